package losanttest

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/specdriven/losant"
)

// listQuery is a list action's query fields, defaults filled in.
type listQuery struct {
	sortField     losant.APITokenSortField
	sortDirection losant.SortDirection
	page, perPage int
	filterField   losant.APITokenFilterField
	filter        string
}

// parseListQuery reads a list's query, which the spec has checked, filling
// in the spec's defaults for the fields not given. It refuses a filter
// over maxFilterLength and a number too large for an int.
func parseListQuery(v url.Values) (listQuery, *failure) {
	q := listQuery{
		sortField:     losant.APITokenSortField(cmp.Or(v.Get("sortField"), string(losant.APITokenSortByName))),
		sortDirection: losant.SortDirection(cmp.Or(v.Get("sortDirection"), string(losant.Ascending))),
		filterField:   losant.APITokenFilterField(cmp.Or(v.Get("filterField"), string(losant.APITokenFilterByName))),
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

// answer filters and pages the tokens of o as the API does, from sorted, the
// owner's records in ascending order of q's sort field (descending is its
// reverse), and reports the page with the query it answered. It is called
// under the store's lock. Without a filter it touches only the page's
// tokens; a filter must look at every token, but copies only the page's.
func (q listQuery) answer(o owner, sorted []*record) losant.APITokenPage {
	n := len(sorted)
	at := func(i int) *record { // the ith record in q's direction
		if q.sortDirection == losant.Descending {
			return sorted[n-1-i]
		}
		return sorted[i]
	}
	items := []losant.APIToken{}
	total := n
	if q.filter == "" {
		if q.page < (n+q.perPage-1)/q.perPage { // else: a page past the last is empty
			start := q.page * q.perPage // under total+perPage: no overflow
			for i := start; i < start+min(q.perPage, n-start); i++ {
				items = append(items, clone(at(i).token))
			}
		}
	} else {
		glob := newGlob(q.filter)
		total = 0
		for i := range n {
			t := &at(i).token
			field := t.Name
			if q.filterField == losant.APITokenFilterByStatus {
				field = string(t.Status)
			}
			if !glob.match(field) {
				continue
			}
			if total/q.perPage == q.page {
				items = append(items, clone(*t))
			}
			total++
		}
	}
	page := losant.APITokenPage{
		Items: items, Count: len(items), TotalCount: total, Page: q.page, PerPage: q.perPage,
		SortField: q.sortField, SortDirection: q.sortDirection,
		OwnerID: o.id, OwnerType: o.typ,
	}
	if q.filter != "" {
		page.Filter, page.FilterField = q.filter, q.filterField
	}
	return page
}

// byField orders records ascending by field; ties go in creation order,
// as with the real API's time-ordered IDs, then by ID: a total order.
func byField(field losant.APITokenSortField) func(a, b *record) int {
	return func(a, b *record) int {
		return cmp.Or(compareField(field, a.token, b.token), a.token.CreationDate.Compare(b.token.CreationDate), strings.Compare(a.token.ID, b.token.ID))
	}
}

func compareField(field losant.APITokenSortField, a, b losant.APIToken) int {
	switch field {
	case losant.APITokenSortByStatus:
		return strings.Compare(string(a.Status), string(b.Status))
	case losant.APITokenSortByID:
		return strings.Compare(a.ID, b.ID)
	case losant.APITokenSortByCreationDate:
		return a.CreationDate.Compare(b.CreationDate)
	case losant.APITokenSortByLastUpdated:
		return a.LastUpdated.Compare(b.LastUpdated)
	case losant.APITokenSortByExpirationDate:
		return compareExpiry(a.ExpirationDate, b.ExpirationDate)
	default:
		return strings.Compare(a.Name, b.Name)
	}
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
