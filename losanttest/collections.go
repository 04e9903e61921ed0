package losanttest

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/specdriven/losant/gen"
)

// listQuery is a list's query fields, defaults filled in: of a token
// list, or of a list of applications or instances. The spec has checked
// each field against the operation's own enum.
type listQuery struct {
	sortField     string
	sortDirection gen.SortDirection
	page, perPage int
	filterField   string
	filter        string
}

// byName is every list's default sort field and filter field, as the
// spec's enums give it (ApiTokenSortField, ApplicationSortField, ...).
const byName = string(gen.APITokenSortFieldName)

// parseListQuery reads a list's query, which the spec has checked, filling
// in the spec's defaults for the fields not given. It refuses a filter
// over maxFilterLength and a number too large for an int.
func parseListQuery(v url.Values) (listQuery, *failure) {
	q := listQuery{
		sortField:     cmp.Or(v.Get("sortField"), byName),
		sortDirection: gen.SortDirection(cmp.Or(v.Get("sortDirection"), string(gen.SortDirectionAsc))),
		filterField:   cmp.Or(v.Get("filterField"), byName),
		filter:        v.Get("filter"),
		perPage:       100,
	}
	if len(q.filter) > maxFilterLength {
		return q, fail(http.StatusBadRequest, "Validation",
			fmt.Sprintf("query parameter \"filter\": %d bytes, over the fake's limit of %d", len(q.filter), maxFilterLength))
	}
	for name, into := range map[string]*int{"page": &q.page, "perPage": &q.perPage} {
		if raw := v.Get(name); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil {
				return q, fail(http.StatusBadRequest, "Validation", fmt.Sprintf("query parameter %q: not an integer the API takes", name))
			}
			*into = n
		}
	}
	return q, nil
}

// listed is what every kind of list sorts by and filters on.
type listed struct {
	id, name         string
	created, updated time.Time
}

// listKind is what sets one kind of list apart (tokens, applications,
// instances): querying, ordering, filtering and paging are the same for
// all.
type listKind[T any] struct {
	item func(T) listed
	// sortBy and filterOn hold the kind's sort and filter fields beyond
	// name, id, creationDate and lastUpdated: a token's status and expiry,
	// an application's owner.
	sortBy   map[string]func(a, b T) int
	filterOn map[string]func(T) string
}

// order returns the ascending order of items by field; ties go in
// creation order, as with the real API's time-ordered IDs, then by ID: a
// total order.
func (k listKind[T]) order(field string) func(a, b T) int {
	by := k.sortBy[field]
	return func(a, b T) int {
		x, y := k.item(a), k.item(b)
		var c int
		switch {
		case by != nil:
			c = by(a, b)
		case field == string(gen.APITokenSortFieldID):
			c = strings.Compare(x.id, y.id)
		case field == string(gen.APITokenSortFieldCreationDate):
			c = x.created.Compare(y.created)
		case field == string(gen.APITokenSortFieldLastUpdated):
			c = x.updated.Compare(y.updated)
		default:
			c = strings.Compare(x.name, y.name)
		}
		return cmp.Or(c, x.created.Compare(y.created), strings.Compare(x.id, y.id))
	}
}

// filtered returns the value of item's field that a filter matches.
func (k listKind[T]) filtered(field string, item T) string {
	if on := k.filterOn[field]; on != nil {
		return on(item)
	}
	return k.item(item).name
}

// pick returns q's page of sorted, every item of the list in ascending
// order of q's sort field (descending is its reverse), each copied by out,
// and how many items the list holds over all its pages: those q's filter
// matches. Without a filter it touches only the page's items; a filter
// must look at every item, but copies only the page's.
func pick[T, R any](q listQuery, k listKind[T], sorted []T, out func(T) R) (items []R, total int) {
	n := len(sorted)
	at := func(i int) T { // the ith item in q's direction
		if q.sortDirection == gen.SortDirectionDesc {
			return sorted[n-1-i]
		}
		return sorted[i]
	}
	items = []R{}
	if q.filter == "" {
		if n > 0 && q.page <= (n-1)/q.perPage { // else: a page past the last is empty
			start := q.page * q.perPage // under n: no overflow
			for i := start; i < start+min(q.perPage, n-start); i++ {
				items = append(items, out(at(i)))
			}
		}
		return items, n
	}
	glob := newGlob(q.filter)
	for i := range n {
		item := at(i)
		if !glob.match(k.filtered(q.filterField, item)) {
			continue
		}
		if total/q.perPage == q.page {
			items = append(items, out(item))
		}
		total++
	}
	return items, total
}

// tokenKind is the token lists' kind.
var tokenKind = listKind[*record]{
	item: func(r *record) listed {
		return listed{id: r.token.ID, name: r.token.Name, created: r.token.CreationDate, updated: r.token.LastUpdated}
	},
	sortBy: map[string]func(a, b *record) int{
		string(gen.APITokenSortFieldStatus): func(a, b *record) int {
			return strings.Compare(string(a.token.Status), string(b.token.Status))
		},
		string(gen.APITokenSortFieldExpirationDate): func(a, b *record) int {
			return compareExpiry(a.token.ExpirationDate, b.token.ExpirationDate)
		},
	},
	filterOn: map[string]func(*record) string{
		string(gen.APITokenFilterFieldStatus): func(r *record) string { return string(r.token.Status) },
	},
}

// answer filters and pages the tokens of o as the API does, from sorted, the
// owner's records in ascending order of q's sort field, and reports the
// page with the query it answered. It is called under the store's lock.
func (q listQuery) answer(o owner, sorted []*record) gen.APITokenPage {
	items, total := pick(q, tokenKind, sorted, func(r *record) gen.APIToken { return clone(r.token) })
	page := gen.APITokenPage{
		Items: items, Count: len(items), TotalCount: total, Page: q.page, PerPage: q.perPage,
		SortField: gen.APITokenSortField(q.sortField), SortDirection: q.sortDirection,
		OwnerID: o.id, OwnerType: o.typ,
	}
	if q.filter != "" {
		page.Filter, page.FilterField = q.filter, gen.APITokenFilterField(q.filterField)
	}
	return page
}

// compareExpiry orders "never expires" (nil) first, as the zero time did.
func compareExpiry(a, b *time.Time) int {
	if a == nil || b == nil {
		return cmp.Compare(boolInt(a != nil), boolInt(b != nil))
	}
	return a.Compare(*b)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// maxFilterLength bounds a list's filter, in bytes; a longer one is
// answered 400.
const maxFilterLength = 1024

// glob matches a whole value against a filter in which "*" stands for any
// run of characters, ignoring case. It takes time linear in the value and
// the filter, however many stars: the literal parts between stars are
// found left to right, each at its first place, which is all a "*"-only
// pattern needs (no backtracking).
type glob struct {
	parts []string // the filter split at its stars, lower-cased
}

func newGlob(filter string) glob {
	return glob{parts: strings.Split(strings.ToLower(filter), "*")}
}

func (g glob) match(value string) bool {
	value = strings.ToLower(value)
	first, last := g.parts[0], g.parts[len(g.parts)-1]
	if len(g.parts) == 1 {
		return value == first
	}
	if !strings.HasPrefix(value, first) {
		return false
	}
	value = value[len(first):]
	for _, part := range g.parts[1 : len(g.parts)-1] {
		i := strings.Index(value, part)
		if i < 0 {
			return false
		}
		value = value[i+len(part):]
	}
	return len(value) >= len(last) && strings.HasSuffix(value, last)
}
