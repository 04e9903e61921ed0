package losant

import "github.com/specdriven/losant/gen"

// The models are the types generated from api/openapi.yaml, re-exported so
// that callers rarely need to import the gen package.
type (
	// APIToken is an API token as the API returns it. Every field is
	// optional; nil means the server did not send it.
	APIToken = gen.APIToken
	// APITokenPatch holds the fields to change on an API token. Nil fields
	// are left unchanged.
	APITokenPatch = gen.APITokenPatch
	// APITokenStatus is the status of an API token: active or inactive.
	APITokenStatus = gen.APITokenStatus
	// APITokenOwnerType says what owns an API token: an application or a user.
	APITokenOwnerType = gen.APITokenOwnerType
	// APITokenCreatorType says what created an API token.
	APITokenCreatorType = gen.APITokenCreatorType
	// APITokens is one page of API tokens, as List returns it.
	APITokens = gen.APITokens
	// APITokenPost is the body of a user API token to create. Name is
	// required; Scope lists the scopes the token will hold.
	APITokenPost = gen.APITokenPost
	// ApplicationAPITokenPost is the body of an application API token to
	// create. Name is required; Scope lists the scopes the token will hold.
	ApplicationAPITokenPost = gen.ApplicationAPITokenPost
	// APITokenSortField is a field List can sort by.
	APITokenSortField = gen.APITokenSortField
	// APITokenFilterField is a field List can filter on.
	APITokenFilterField = gen.APITokenFilterField
	// SortDirection is ascending or descending.
	SortDirection = gen.SortDirection
)

// Values of APITokenStatus, APITokenOwnerType and APITokenCreatorType.
const (
	APITokenStatusActive   = gen.APITokenStatusActive
	APITokenStatusInactive = gen.APITokenStatusInactive

	APITokenOwnerTypeApplication = gen.APITokenOwnerTypeApplication
	APITokenOwnerTypeUser        = gen.APITokenOwnerTypeUser

	APITokenCreatorTypeAPIToken = gen.APITokenCreatorTypeAPIToken
	APITokenCreatorTypeFlow     = gen.APITokenCreatorTypeFlow
	APITokenCreatorTypeUser     = gen.APITokenCreatorTypeUser
)

// Values of APITokenSortField, APITokenFilterField and SortDirection.
const (
	SortByName           = gen.APITokenSortFieldName
	SortByStatus         = gen.APITokenSortFieldStatus
	SortByID             = gen.APITokenSortFieldID
	SortByCreationDate   = gen.APITokenSortFieldCreationDate
	SortByLastUpdated    = gen.APITokenSortFieldLastUpdated
	SortByExpirationDate = gen.APITokenSortFieldExpirationDate

	FilterByName   = gen.APITokenFilterFieldName
	FilterByStatus = gen.APITokenFilterFieldStatus

	Ascending  = gen.SortDirectionAsc
	Descending = gen.SortDirectionDesc
)

// Ptr returns a pointer to v, for filling the optional fields of a model:
//
//	losant.APITokenPatch{Name: losant.Ptr("CI token")}
func Ptr[T any](v T) *T { return &v }
