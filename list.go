package losant

import (
	"context"
	"iter"
	"slices"
)

// ListOptions selects, orders and pages the tokens List returns. A zero
// field leaves it to the API's default: sorted by name, ascending, page 0,
// 100 per page, unfiltered.
type ListOptions struct {
	SortField     APITokenSortField
	SortDirection SortDirection
	// Page is the page to return, from 0; All starts there.
	Page int
	// PerPage is the number of tokens per page.
	PerPage int
	// FilterField is the field Filter applies to (name if not set).
	FilterField APITokenFilterField
	// Filter keeps the tokens whose field matches it; "*" matches any run
	// of characters, as in "ci-*".
	Filter string
}

// query is what the generated params of both List actions hold.
type query struct {
	sortField     *APITokenSortField
	sortDirection *SortDirection
	page, perPage *int
	filterField   *APITokenFilterField
	filter        *string
}

// check refuses options the API would answer 400 to, and returns them as
// the generated params' optional fields.
func (o ListOptions) check() (query, error) {
	var q query
	if o.SortField != "" {
		if !slices.Contains([]APITokenSortField{SortByName, SortByStatus, SortByID, SortByCreationDate, SortByLastUpdated, SortByExpirationDate}, o.SortField) {
			return q, invalid("sortField", "%s is not a field tokens sort by", quote(string(o.SortField)))
		}
		q.sortField = &o.SortField
	}
	if o.SortDirection != "" {
		if o.SortDirection != Ascending && o.SortDirection != Descending {
			return q, invalid("sortDirection", "%s, want %q or %q", quote(string(o.SortDirection)), Ascending, Descending)
		}
		q.sortDirection = &o.SortDirection
	}
	if o.Page < 0 {
		return q, invalid("page", "%d, want 0 or more", o.Page)
	}
	if o.Page > 0 {
		q.page = &o.Page
	}
	if o.PerPage < 0 {
		return q, invalid("perPage", "%d, want 1 or more (0 for the default)", o.PerPage)
	}
	if o.PerPage > 0 {
		q.perPage = &o.PerPage
	}
	if o.FilterField != "" {
		if o.FilterField != FilterByName && o.FilterField != FilterByStatus {
			return q, invalid("filterField", "%s, want %q or %q", quote(string(o.FilterField)), FilterByName, FilterByStatus)
		}
		q.filterField = &o.FilterField
	}
	if o.Filter != "" {
		q.filter = &o.Filter
	}
	return q, nil
}

// pages iterates over every token of the pages list returns, from
// opts.Page on. It stops after the last page (one that is short, empty,
// or reaches totalCount), at the first error, which it yields, and when
// ctx is done.
func pages(ctx context.Context, opts ListOptions, list func(context.Context, ListOptions) (*APITokens, error)) iter.Seq2[*APIToken, error] {
	return func(yield func(*APIToken, error) bool) {
		for {
			if ctx != nil && ctx.Err() != nil {
				yield(nil, ctx.Err())
				return
			}
			page, err := list(ctx, opts)
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range page.Items {
				if !yield(&page.Items[i], nil) {
					return
				}
			}
			perPage := opts.PerPage
			if page.PerPage != nil {
				perPage = *page.PerPage
			}
			if len(page.Items) == 0 || len(page.Items) < perPage ||
				page.TotalCount != nil && (opts.Page+1)*perPage >= *page.TotalCount {
				return
			}
			opts.Page++
		}
	}
}
