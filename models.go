package losant

import (
	"strings"

	"github.com/specdriven/losant/gen"
)

// The models are generated from api/openapi.yaml into package gen, whose
// go doc documents every field and enum value. This package names each of
// those a call takes or returns, and the values a program compares with,
// so that most programs need no other import; `go doc gen.APIToken` (or
// the gen package on pkg.go.dev) lists a model's fields. The types of a
// token's roles and creator (gen.APITokenRole, gen.APITokenOrgRole,
// gen.APITokenResourceRole, gen.APITokenResourceAccess,
// gen.APITokenCreatorType) and their values are gen's alone.
type (
	// APIToken is an API token as the API returns it (gen.APIToken lists
	// its fields). Its fields are values: a field the API left out reads
	// as its zero value. The one exception is ExpirationDate, nil for a
	// token that never expires. Token, the secret, is set only in the
	// answer to a create.
	//
	// Decoding is forward compatible: fields a newer API adds are ignored,
	// and a status, owner or creator type it adds is kept as sent.
	APIToken = gen.APIToken
	// APITokenPatch holds the fields to change on an API token
	// (gen.APITokenPatch). Nil fields are left unchanged; OrgRoles pointing
	// to an empty slice clears them.
	APITokenPatch = gen.APITokenPatch
	// APITokenPost is the body of an API token to create, for any owner
	// (gen.APITokenPost). Name is required; Scope lists the scopes the
	// token will hold; nil Description, ExpirationDate and Status are left
	// to the API (no description, no expiry, active).
	APITokenPost = gen.APITokenPost
	// APITokenPage is one page of API tokens, as List returns it
	// (gen.APITokenPage). Count is the number of Items; TotalCount the number
	// of tokens on every page. Its SortDirection is SortDirectionAsc, SortDirectionDesc
	// or empty, however the API spelled it.
	APITokenPage = gen.APITokenPage
	// APITokenStatus is the status of an API token: active or inactive.
	APITokenStatus = gen.APITokenStatus
	// APITokenOwnerType says what owns an API token: an application, a
	// user or an instance. A type a newer API adds is kept as sent.
	APITokenOwnerType = gen.APITokenOwnerType
	// APITokenSortField is a field List can sort API tokens by.
	APITokenSortField = gen.APITokenSortField
	// APITokenFilterField is a field List can filter API tokens on.
	APITokenFilterField = gen.APITokenFilterField
	// SortDirection is ascending or descending, for every Losant list.
	SortDirection = gen.SortDirection
)

// Values of APITokenStatus and APITokenOwnerType.
const (
	APITokenStatusActive   = gen.APITokenStatusActive
	APITokenStatusInactive = gen.APITokenStatusInactive

	APITokenOwnerTypeApplication = gen.APITokenOwnerTypeApplication
	APITokenOwnerTypeUser        = gen.APITokenOwnerTypeUser
	APITokenOwnerTypeInstance    = gen.APITokenOwnerTypeInstance
)

// Values of APITokenSortField and APITokenFilterField.
const (
	APITokenSortFieldName           = gen.APITokenSortFieldName
	APITokenSortFieldStatus         = gen.APITokenSortFieldStatus
	APITokenSortFieldID             = gen.APITokenSortFieldID
	APITokenSortFieldCreationDate   = gen.APITokenSortFieldCreationDate
	APITokenSortFieldLastUpdated    = gen.APITokenSortFieldLastUpdated
	APITokenSortFieldExpirationDate = gen.APITokenSortFieldExpirationDate

	APITokenFilterFieldName   = gen.APITokenFilterFieldName
	APITokenFilterFieldStatus = gen.APITokenFilterFieldStatus
)

// Values of SortDirection, which every Losant list shares (the API's
// upper-case spellings read into these).
const (
	SortDirectionAsc  = gen.SortDirectionAsc
	SortDirectionDesc = gen.SortDirectionDesc
)

// sortDirection reads a direction the API sent, in any of its spellings
// ("asc", "ASC", "desc", "DESC"), as SortDirectionAsc or SortDirectionDesc; anything
// else is kept as sent.
func sortDirection(d SortDirection) SortDirection {
	switch {
	case strings.EqualFold(string(d), string(SortDirectionAsc)):
		return SortDirectionAsc
	case strings.EqualFold(string(d), string(SortDirectionDesc)):
		return SortDirectionDesc
	}
	return d
}

// Ptr returns a pointer to v, for filling the optional fields of a request
// body:
//
//	losant.APITokenPatch{Name: losant.Ptr("CI token")}
func Ptr[T any](v T) *T { return &v }
