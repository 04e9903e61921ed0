package losant

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"

	"github.com/specdriven/losant/gen"
)

// APITokenListOptions selects, orders and pages the tokens List returns. A
// zero field leaves it to the API's default: sorted by name, ascending,
// page 0, 100 per page, unfiltered.
type APITokenListOptions struct {
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

// params refuses options the API would answer 400 to, and returns them as
// the generated list parameters, a zero field left out.
func (o APITokenListOptions) params() (*gen.APITokenListParams, error) {
	q := &gen.APITokenListParams{}
	if o.SortField != "" {
		if !slices.Contains([]APITokenSortField{APITokenSortByName, APITokenSortByStatus, APITokenSortByID, APITokenSortByCreationDate, APITokenSortByLastUpdated, APITokenSortByExpirationDate}, o.SortField) {
			return nil, invalid("sortField", "%s is not a field tokens sort by", quote(string(o.SortField)))
		}
		q.SortField = &o.SortField
	}
	if o.SortDirection != "" {
		if o.SortDirection != Ascending && o.SortDirection != Descending {
			return nil, invalid("sortDirection", "%s, want %q or %q", quote(string(o.SortDirection)), Ascending, Descending)
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
	if o.PerPage > 0 {
		q.PerPage = &o.PerPage
	}
	if o.FilterField != "" {
		if o.FilterField != APITokenFilterByName && o.FilterField != APITokenFilterByStatus {
			return nil, invalid("filterField", "%s, want %q or %q", quote(string(o.FilterField)), APITokenFilterByName, APITokenFilterByStatus)
		}
		q.FilterField = &o.FilterField
	}
	if o.Filter != "" {
		q.Filter = &o.Filter
	}
	return q, nil
}

// ErrEndlessPages is wrapped by the error All yields when the API's pages
// do not end: a page that repeats the one before it, or more than MaxPages
// pages without a totalCount that says where they end.
var ErrEndlessPages = errors.New("losant: the API's pages do not end")

// MaxPages bounds the pages All reads when the API does not report a
// totalCount, so that a server answering full pages forever cannot keep
// it running: 10 000 pages of the default 100 tokens is a million tokens.
const MaxPages = 10_000

// defaultPerPage is the API's page size when the request names none.
const defaultPerPage = 100

// pages iterates over every token of the pages list returns, from
// opts.Page on. Ranged again, it starts again from opts.Page.
//
// It stops after the last page: one that is short or empty, or, when the
// API reports a totalCount, the page that reaches it. It stops at the
// first error, which it yields, when ctx is done, and with ErrEndlessPages
// when a full page repeats the one before it or when MaxPages pages went
// by without a totalCount.
func pages(ctx context.Context, opts APITokenListOptions, list func(context.Context, APITokenListOptions) (*APITokenPage, error)) iter.Seq2[*APIToken, error] {
	return func(yield func(*APIToken, error) bool) {
		o := opts // each range starts from the caller's options
		var previousFirst string
		for read := 1; ; read++ {
			if ctx != nil && ctx.Err() != nil {
				yield(nil, ctx.Err())
				return
			}
			page, err := list(ctx, o)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(page.Items) > 0 && page.Items[0].ID != "" && page.Items[0].ID == previousFirst {
				yield(nil, fmt.Errorf("%w: page %d starts with the same token as page %d", ErrEndlessPages, o.Page, o.Page-1))
				return
			}
			for i := range page.Items {
				if !yield(&page.Items[i], nil) {
					return
				}
			}
			if lastPage(page, o) {
				return
			}
			if page.TotalCount <= 0 && read >= MaxPages {
				yield(nil, fmt.Errorf("%w: %d full pages and no totalCount", ErrEndlessPages, read))
				return
			}
			previousFirst = page.Items[0].ID
			o.Page++
		}
	}
}

// lastPage reports whether page, asked for with o, is the last one. A
// totalCount of 0 beside items is read as "not reported".
func lastPage(page *APITokenPage, o APITokenListOptions) bool {
	perPage := page.PerPage
	if perPage <= 0 {
		perPage = o.PerPage
	}
	if perPage <= 0 {
		perPage = defaultPerPage
	}
	if len(page.Items) == 0 || len(page.Items) < perPage {
		return true
	}
	// The last page's index is (totalCount-1)/perPage; dividing cannot
	// overflow where (page+1)*perPage could.
	return page.TotalCount > 0 && o.Page >= (page.TotalCount-1)/perPage
}
