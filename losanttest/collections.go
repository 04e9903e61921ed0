package losanttest

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
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
// over MaxFilterLength and a number too large for an int.
func parseListQuery(v url.Values) (listQuery, *failure) {
	q := listQuery{
		sortField:     losant.APITokenSortField(cmp.Or(v.Get("sortField"), string(losant.APITokenSortByName))),
		sortDirection: losant.SortDirection(cmp.Or(v.Get("sortDirection"), string(losant.Ascending))),
		filterField:   losant.APITokenFilterField(cmp.Or(v.Get("filterField"), string(losant.APITokenFilterByName))),
		filter:        v.Get("filter"),
		perPage:       100,
	}
	if len(q.filter) > MaxFilterLength {
		return q, fail(http.StatusBadRequest, "Validation",
			fmt.Sprintf("query parameter \"filter\": %d bytes, over the fake's limit of %d", len(q.filter), MaxFilterLength))
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

// apply filters, sorts and pages the tokens of o as the API does, and
// reports the page with the query it answered.
func (q listQuery) apply(o owner, tokens []losant.APIToken) losant.APITokenPage {
	if q.filter != "" {
		glob := newGlob(q.filter)
		tokens = slices.DeleteFunc(tokens, func(t losant.APIToken) bool {
			field := t.Name
			if q.filterField == losant.APITokenFilterByStatus {
				field = string(t.Status)
			}
			return !glob.match(field)
		})
	}
	slices.SortStableFunc(tokens, func(a, b losant.APIToken) int {
		// Ties go in creation order, as with the real API's time-ordered IDs.
		c := cmp.Or(compareField(q.sortField, a, b), a.CreationDate.Compare(b.CreationDate), strings.Compare(a.ID, b.ID))
		if q.sortDirection == losant.Descending {
			return -c
		}
		return c
	})
	total := len(tokens)
	start := total // a page past the last is empty
	if q.page < (total+q.perPage-1)/q.perPage {
		start = q.page * q.perPage // under total+perPage: no overflow
	}
	items := tokens[start : start+min(q.perPage, total-start)]
	if items == nil {
		items = []losant.APIToken{}
	}
	page := losant.APITokenPage{
		Items: items, Count: len(items), TotalCount: total, Page: q.page, PerPage: q.perPage,
		SortField: string(q.sortField), SortDirection: gen.APITokensSortDirection(q.sortDirection),
		OwnerID: o.id, OwnerType: gen.APITokensOwnerType(o.typ),
	}
	if q.filter != "" {
		page.Filter, page.FilterField = q.filter, string(q.filterField)
	}
	return page
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

// MaxFilterLength bounds a list's filter, in bytes; a longer one is
// answered 400.
const MaxFilterLength = 1024

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
