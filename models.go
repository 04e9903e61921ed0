package losant

import "github.com/specdriven/losant/gen"

// The models are the types generated from api/openapi.yaml, re-exported so
// that callers rarely need to import the gen package.
type (
	// APIToken is an API token as the API returns it. Its fields are
	// values: a field the API left out reads as its zero value. The one
	// exception is ExpirationDate, nil for a token that never expires.
	// Token, the secret, is set only in the answer to a create.
	//
	// Decoding is forward compatible: fields a newer API adds are ignored,
	// and a status, owner or creator type it adds is kept as sent.
	APIToken = gen.APIToken
	// APITokenPatch holds the fields to change on an API token. Nil fields
	// are left unchanged; OrgRoles pointing to an empty slice clears them.
	APITokenPatch = gen.APITokenPatch
	// APITokenPost is the body of an API token to create, for any owner. Name is required; Scope lists the
	// scopes the token will hold; nil Description, ExpirationDate and
	// Status are left to the API (no description, no expiry, active).
	APITokenPost = gen.APITokenPost
	// APITokenStatus is the status of an API token: active or inactive.
	APITokenStatus = gen.APITokenStatus
	// APITokenOwnerType says what owns an API token: an application, a
	// user or an instance. A type a newer API adds is kept as sent.
	APITokenOwnerType = gen.APITokenOwnerType
	// APITokenCreatorType says what created an API token.
	APITokenCreatorType = gen.APITokenCreatorType
	// APITokenPage is one page of API tokens, as List returns it. Count
	// is the number of Items; TotalCount the number of tokens on every page.
	APITokenPage = gen.APITokens
	// APITokenSortField is a field List can sort API tokens by.
	APITokenSortField = gen.APITokenSortField
	// APITokenFilterField is a field List can filter API tokens on.
	APITokenFilterField = gen.APITokenFilterField
	// SortDirection is ascending or descending.
	SortDirection = gen.SortDirection

	// APITokenRole is a role a token holds: by default (DefaultRole), or in
	// one organization (APITokenOrgRole.Role).
	APITokenRole = gen.APITokenRole
	// APITokenOrgRole is the roles a token holds in one organization, or in
	// the sandbox (OrgID "sandbox"), with at most 100 application and 100
	// dashboard roles.
	APITokenOrgRole = gen.APITokenOrgRole
	// APITokenResourceRole is the role a token holds on one application or
	// dashboard (ResourceID).
	APITokenResourceRole = gen.APITokenResourceRole
	// APITokenResourceAccess is the role of an APITokenResourceRole.
	APITokenResourceAccess = gen.APITokenResourceAccess
)

// Values of APITokenRole and APITokenResourceAccess.
const (
	APITokenRoleAdmin       = gen.APITokenRoleAdmin
	APITokenRoleEdit        = gen.APITokenRoleEdit
	APITokenRoleCollaborate = gen.APITokenRoleCollaborate
	APITokenRoleView        = gen.APITokenRoleView
	APITokenRoleNone        = gen.APITokenRoleNone

	APITokenResourceAccessCollaborate = gen.APITokenResourceAccessCollaborate
	APITokenResourceAccessView        = gen.APITokenResourceAccessView
	APITokenResourceAccessNone        = gen.APITokenResourceAccessNone
)

// SandboxOrgID is the APITokenOrgRole.OrgID of the sandbox.
const SandboxOrgID = "sandbox"

// Values of APITokenStatus, APITokenOwnerType and APITokenCreatorType.
const (
	APITokenStatusActive   = gen.APITokenStatusActive
	APITokenStatusInactive = gen.APITokenStatusInactive

	APITokenOwnerTypeApplication = gen.APITokenOwnerTypeApplication
	APITokenOwnerTypeUser        = gen.APITokenOwnerTypeUser
	APITokenOwnerTypeInstance    = gen.APITokenOwnerTypeInstance

	APITokenCreatorTypeAPIToken = gen.APITokenCreatorTypeAPIToken
	APITokenCreatorTypeFlow     = gen.APITokenCreatorTypeFlow
	APITokenCreatorTypeUser     = gen.APITokenCreatorTypeUser
)

// Values of APITokenSortField and APITokenFilterField.
const (
	APITokenSortByName           = gen.APITokenSortFieldName
	APITokenSortByStatus         = gen.APITokenSortFieldStatus
	APITokenSortByID             = gen.APITokenSortFieldID
	APITokenSortByCreationDate   = gen.APITokenSortFieldCreationDate
	APITokenSortByLastUpdated    = gen.APITokenSortFieldLastUpdated
	APITokenSortByExpirationDate = gen.APITokenSortFieldExpirationDate

	APITokenFilterByName   = gen.APITokenFilterFieldName
	APITokenFilterByStatus = gen.APITokenFilterFieldStatus
)

// Values of SortDirection, which every Losant list shares.
const (
	Ascending  = gen.SortDirectionAsc
	Descending = gen.SortDirectionDesc
)

// Ptr returns a pointer to v, for filling the optional fields of a request
// body:
//
//	losant.APITokenPatch{Name: losant.Ptr("CI token")}
func Ptr[T any](v T) *T { return &v }
