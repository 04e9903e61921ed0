package losant_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/losanttest"
)

// changeWorld is an application with tokens that differ in every field
// tokens sort by, made out of name order, and a client that counts its
// list requests.
type changeWorld struct {
	srv     *losanttest.Server
	tokens  losant.APITokenService // counted: the iteration under test
	other   losant.APITokenService // another client: the mutator
	appID   string
	initial []string
	lists   *countingTransport
}

func newChangeWorld(t *testing.T, n int) *changeWorld {
	t.Helper()
	srv := losanttest.New(t)
	user := srv.AddUser(losanttest.User{})
	app := srv.AddApplication(losanttest.Application{OwnerID: user.ID})
	bearer := srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	w := &changeWorld{srv: srv, appID: app.ID, lists: &countingTransport{next: http.DefaultTransport}}
	w.tokens = srv.Client(bearer.Secret, losant.WithHTTPClient(&http.Client{Transport: w.lists})).APITokens(losant.Application(app.ID))
	w.other = srv.Client(bearer.Secret).APITokens(losant.Application(app.ID))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		k := (i * 7) % n // names, dates and expiries out of creation order
		tok := losanttest.Token{Name: fmt.Sprintf("t%02d", k), OwnerType: losant.APITokenOwnerTypeApplication, OwnerID: app.ID,
			Scope: []string{"all.Application.read"}, CreationDate: start.Add(time.Duration(k) * time.Hour)}
		if k%3 == 0 {
			tok.Status = losant.APITokenStatusInactive
		}
		if k%4 != 0 {
			tok.ExpirationDate = losant.Ptr(start.AddDate(1, 0, n-k))
		}
		w.initial = append(w.initial, srv.AddToken(tok).ID)
	}
	return w
}

// page reads a page directly, as the mutator sees it.
func (w *changeWorld) page(t *testing.T, o losant.APITokenListOptions) []string {
	t.Helper()
	p, err := w.other.List(context.Background(), o)
	require.NoError(t, err)
	var ids []string
	for _, tok := range p.Items {
		ids = append(ids, tok.ID)
	}
	return ids
}

func (w *changeWorld) create(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			_, err := w.other.Create(context.Background(), losant.APITokenPost{Name: name, Scope: []string{"all.Application.read"}})
			require.NoError(t, err)
		})
	}
}

func (w *changeWorld) delete(t *testing.T, ids ...string) {
	t.Helper()
	for _, id := range ids {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			require.NoError(t, w.other.Delete(context.Background(), id))
		})
	}
}

// All yields each token once, and every token that exists throughout,
// whatever another client creates or deletes between its page requests:
// before the cursor, at it and after it, for every sort field and
// direction.
func TestAllIsExactUnderConcurrentChange(t *testing.T) {
	const n, perPage, mutateAfter = 11, 3, 6 // the change comes between pages 1 and 2
	fields := []losant.APITokenSortField{"", losant.APITokenSortByName, losant.APITokenSortByStatus, losant.APITokenSortByID,
		losant.APITokenSortByCreationDate, losant.APITokenSortByLastUpdated, losant.APITokenSortByExpirationDate}
	changes := map[string]func(t *testing.T, w *changeWorld, yielded []string, o losant.APITokenListOptions) []string{
		"create 4 that sort first": func(t *testing.T, w *changeWorld, _ []string, _ losant.APITokenListOptions) []string {
			w.create(t, "0a", "0b", "0c", "0d")
			return nil
		},
		"create 4 that sort last": func(t *testing.T, w *changeWorld, _ []string, _ losant.APITokenListOptions) []string {
			w.create(t, "za", "zb", "zc", "zd")
			return nil
		},
		"delete 4 before the cursor": func(t *testing.T, w *changeWorld, yielded []string, _ losant.APITokenListOptions) []string {
			w.delete(t, yielded[:4]...)
			return yielded[:4]
		},
		"delete 1 at the cursor": func(t *testing.T, w *changeWorld, _ []string, o losant.APITokenListOptions) []string {
			o.Page = 2
			next := w.page(t, o)[:1]
			w.delete(t, next...)
			return next
		},
		"delete 2 after the cursor": func(t *testing.T, w *changeWorld, _ []string, o losant.APITokenListOptions) []string {
			o.Page = 3
			later := w.page(t, o)[:2]
			w.delete(t, later...)
			return later
		},
		"delete 2 before and create 2 that sort first": func(t *testing.T, w *changeWorld, yielded []string, _ losant.APITokenListOptions) []string {
			w.delete(t, yielded[1:3]...)
			w.create(t, "0a", "0b")
			return yielded[1:3]
		},
	}
	for _, field := range fields {
		for _, dir := range []losant.SortDirection{losant.Ascending, losant.Descending} {
			for name, change := range changes {
				t.Run(fmt.Sprintf("%s/%s/%s", cmpOr(string(field), "default"), dir, name), func(t *testing.T) {
					w := newChangeWorld(t, n)
					o := losant.APITokenListOptions{SortField: field, SortDirection: dir, PerPage: perPage}
					if field == "" {
						o.SortField = losant.APITokenSortByID // the order All takes
					}
					var yielded, deleted []string
					for tok, err := range w.tokens.All(context.Background(), losant.APITokenListOptions{SortField: field, SortDirection: dir, PerPage: perPage}) {
						require.NoError(t, err)
						yielded = append(yielded, tok.ID)
						if len(yielded) == mutateAfter {
							deleted = change(t, w, slices.Clone(yielded), o)
						}
					}
					assertEachOnce(t, yielded)
					for _, id := range w.initial {
						if !slices.Contains(deleted, id) {
							assert.Contains(t, yielded, id, "a token that existed throughout")
						}
					}
				})
			}
		}
	}
}

// On a list nobody changes, All's overlapping reads cost no extra request:
// no more than pages of the size asked for would take.
func TestAllOnAnUnchangedListReadsNoMorePages(t *testing.T) {
	for _, tc := range []struct{ tokens, perPage, requests int }{
		{11, 3, 2}, {12, 3, 2}, {12, 100, 1}, {0, 3, 1}, {250, 100, 3}, {1000, 100, 8}, {1000, 10, 52},
	} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			w := newChangeWorld(t, tc.tokens)
			var yielded []string
			for tok, err := range w.tokens.All(context.Background(), losant.APITokenListOptions{PerPage: tc.perPage}) {
				require.NoError(t, err)
				yielded = append(yielded, tok.ID)
			}
			assert.ElementsMatch(t, w.initial, yielded)
			assert.Equal(t, tc.requests, w.lists.n, "%d tokens, %d a page", tc.tokens, tc.perPage)
			assert.LessOrEqual(t, w.lists.n, max(1, (tc.tokens+tc.perPage-1)/tc.perPage), "no more than pages of %d", tc.perPage)
		})
	}
}

func assertEachOnce(t *testing.T, ids []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, id := range ids {
		assert.False(t, seen[id], "%s yielded twice", id)
		seen[id] = true
	}
}

func cmpOr(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}
