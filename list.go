package losant

import (
	"slices"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/paging"
	"github.com/specdriven/losant/internal/shipped/terminal"
	"github.com/specdriven/losant/internal/shipped/wire"
)

// APITokenListOptions selects, orders and pages the tokens List returns. A
// zero field leaves it to the API's default: sorted by name, ascending,
// page 0, 100 per page, unfiltered. (All, without a SortField, sorts by ID
// instead: the order tokens were made in, with no ties.)
type APITokenListOptions struct {
	SortField     gen.APITokenSortField
	SortDirection gen.SortDirection
	// Page is the page to return, from 0; All starts there.
	Page int
	// PerPage is the number of tokens per page.
	PerPage int
	// FilterField is the field Filter applies to (name if not set).
	FilterField gen.APITokenFilterField
	// Filter keeps the tokens whose field matches it; "*" matches any run
	// of characters, as in "ci-*".
	Filter string
}

// params refuses options the API would answer 400 to, and returns them as
// the generated list parameters, a zero field left out.
func (o APITokenListOptions) params() (*wire.APITokenListParams, error) {
	q := &wire.APITokenListParams{}
	if o.SortField != "" {
		if !slices.Contains(tokenSortBy, o.SortField) {
			return nil, invalid("sortField", "%s is not a field tokens sort by; want one of %v", terminal.Quote(string(o.SortField)), tokenSortBy)
		}
		q.SortField = &o.SortField
	}
	if o.SortDirection != "" {
		if o.SortDirection != gen.SortDirectionAsc && o.SortDirection != gen.SortDirectionDesc {
			return nil, invalid("sortDirection", "%s, want %q or %q", terminal.Quote(string(o.SortDirection)), gen.SortDirectionAsc, gen.SortDirectionDesc)
		}
		q.SortDirection = &o.SortDirection
	}
	if o.Page < 0 {
		return nil, invalid("page", "%d, want 0 or more", o.Page)
	}
	if o.Page > 0 {
		q.Page = &o.Page
	}
	if o.PerPage < 0 {
		return nil, invalid("perPage", "%d, want 1 or more (0 for the default)", o.PerPage)
	}
	if o.PerPage > MaxPerPage {
		return nil, invalid("perPage", "%d, over MaxPerPage (%d): its page could be over %d MiB; ask for smaller pages (All reads them all)",
			o.PerPage, MaxPerPage, MaxPerPage*listBytesPerToken>>20)
	}
	if o.PerPage > 0 {
		q.PerPage = &o.PerPage
	}
	if o.FilterField != "" {
		if !slices.Contains(tokenFilterBy, o.FilterField) {
			return nil, invalid("filterField", "%s, want one of %v", terminal.Quote(string(o.FilterField)), tokenFilterBy)
		}
		q.FilterField = &o.FilterField
	}
	if o.Filter != "" {
		q.Filter = &o.Filter
	}
	return q, nil
}

// listBytesPerToken is the room a list response is given for each token
// of its page: a typical token is under 500 bytes; this leaves room for
// long descriptions and roles.
const listBytesPerToken = 4 << 10

// The fields the spec lets a list sort and filter on, read once.
var (
	tokenSortBy   = gen.APITokenSortFieldValues()
	tokenFilterBy = gen.APITokenFilterFieldValues()
)

// MaxPerPage is the largest page List asks for: a page of it may take
// 64 MiB (4 KiB a token), which bounds a client's memory.
const MaxPerPage = 16 << 10

// listResponseLimit is the response limit a page of perPage tokens needs
// (perPage 0: the API's default).
func listResponseLimit(perPage int) int64 {
	if perPage <= 0 {
		perPage = paging.DefaultPerPage
	}
	return int64(perPage)*listBytesPerToken + 4<<10 // and the page's own fields
}
