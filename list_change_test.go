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
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// outOfOrder adds to w an application of w.User with n tokens that differ
// in every field tokens sort by, made out of name order, and returns it
// with the tokens' IDs in creation order.
func outOfOrder(w *testworld.World, n int) (app losanttest.Application, initial []string) {
	app = w.Server.AddApplication(losanttest.Application{Name: "Changing", OwnerID: w.User.ID})
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		k := (i * 7) % n // names, dates and expiries out of creation order
		tok := losanttest.Token{Name: fmt.Sprintf("t%02d", k), OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: app.ID,
			Scope: []string{"all.Application.read"}, CreationDate: start.Add(time.Duration(k) * time.Hour)}
		if k%3 == 0 {
			tok.Status = gen.APITokenStatusInactive
		}
		if k%4 != 0 {
			tok.ExpirationDate = losant.Ptr(start.AddDate(1, 0, n-k))
		}
		initial = append(initial, w.Server.AddToken(tok).ID)
	}
	return app, initial
}

// countedTokens returns app's tokens as w.User sees them through a client
// whose requests lists counts, every exchange checked against the spec.
func countedTokens(w *testworld.World, app losanttest.Application) (tokens losant.APITokenService, lists *countingTransport) {
	lists = &countingTransport{next: w.Transport()}
	return w.Server.Client(w.UserBearer.Secret, losant.WithHTTPClient(&http.Client{Transport: lists})).APITokens(losant.Application(app.ID)), lists
}

// pageIDs reads a page directly, as the mutator sees it.
func pageIDs(t *testing.T, tokens losant.APITokenService, o losant.APITokenListOptions) []string {
	t.Helper()
	p, err := tokens.List(context.Background(), o)
	require.NoError(t, err)
	var ids []string
	for _, tok := range p.Items {
		ids = append(ids, tok.ID)
	}
	return ids
}

func createNamed(t *testing.T, tokens losant.APITokenService, names ...string) {
	t.Helper()
	for _, name := range names {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			_, err := tokens.Create(context.Background(), gen.APITokenPost{Name: name, Scope: []string{"all.Application.read"}})
			require.NoError(t, err)
		})
	}
}

func deleteIDs(t *testing.T, tokens losant.APITokenService, ids ...string) {
	t.Helper()
	for _, id := range ids {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			require.NoError(t, tokens.Delete(context.Background(), id))
		})
	}
}

// All yields each token once, and every token that exists throughout,
// whatever another client creates or deletes between its page requests:
// before the cursor, at it and after it, for every sort field and
// direction.
func TestAllIsExactUnderConcurrentChange(t *testing.T) {
	t.Parallel()
	// The change comes between the second read (tokens 15 to 29) and the
	// third, which overlaps it by 2: deleting 4 before the cursor moves
	// the list back further than that.
	const n, perPage, mutateAfter = 55, 16, 30
	fields := []gen.APITokenSortField{"", gen.APITokenSortFieldName, gen.APITokenSortFieldStatus, gen.APITokenSortFieldID,
		gen.APITokenSortFieldCreationDate, gen.APITokenSortFieldLastUpdated, gen.APITokenSortFieldExpirationDate}
	changes := map[string]func(t *testing.T, other losant.APITokenService, yielded []string, o losant.APITokenListOptions) []string{
		"create 4 that sort first": func(t *testing.T, other losant.APITokenService, _ []string, _ losant.APITokenListOptions) []string {
			createNamed(t, other, "0a", "0b", "0c", "0d")
			return nil
		},
		"create 4 that sort last": func(t *testing.T, other losant.APITokenService, _ []string, _ losant.APITokenListOptions) []string {
			createNamed(t, other, "za", "zb", "zc", "zd")
			return nil
		},
		"delete 4 before the cursor": func(t *testing.T, other losant.APITokenService, yielded []string, _ losant.APITokenListOptions) []string {
			deleteIDs(t, other, yielded[:4]...)
			return yielded[:4]
		},
		"delete 1 at the cursor": func(t *testing.T, other losant.APITokenService, _ []string, o losant.APITokenListOptions) []string {
			o.Page, o.PerPage = mutateAfter, 1
			next := pageIDs(t, other, o)[:1]
			deleteIDs(t, other, next...)
			return next
		},
		"delete 2 after the cursor": func(t *testing.T, other losant.APITokenService, _ []string, o losant.APITokenListOptions) []string {
			o.Page, o.PerPage = 15, 3 // tokens 45 to 47
			later := pageIDs(t, other, o)[:2]
			deleteIDs(t, other, later...)
			return later
		},
		"delete 2 before and create 2 that sort first": func(t *testing.T, other losant.APITokenService, yielded []string, _ losant.APITokenListOptions) []string {
			deleteIDs(t, other, yielded[1:3]...)
			createNamed(t, other, "0a", "0b")
			return yielded[1:3]
		},
	}
	for _, field := range fields {
		for _, dir := range []gen.SortDirection{gen.SortDirectionAsc, gen.SortDirectionDesc} {
			for name, change := range changes {
				t.Run(fmt.Sprintf("%s/%s/%s", cmpOr(string(field), "default"), dir, name), func(t *testing.T) {
					t.Parallel()
					w := testworld.New(t)
					app, initial := outOfOrder(w, n)
					tokens, _ := countedTokens(w, app)
					other := w.Client(t, w.UserBearer).APITokens(losant.Application(app.ID)) // the mutator
					o := losant.APITokenListOptions{SortField: field, SortDirection: dir}
					if field == "" {
						o.SortField = gen.APITokenSortFieldID // the order All takes
					}
					var yielded, deleted []string
					for tok, err := range tokens.All(context.Background(), losant.APITokenListOptions{SortField: field, SortDirection: dir, PerPage: perPage}) {
						require.NoError(t, err)
						yielded = append(yielded, tok.ID)
						if len(yielded) == mutateAfter {
							deleted = change(t, other, slices.Clone(yielded), o)
						}
					}
					assertEachOnce(t, yielded)
					for _, id := range initial {
						if !slices.Contains(deleted, id) {
							assert.Contains(t, yielded, id, "a token that existed throughout")
						}
					}
				})
			}
		}
	}
}

// On a list nobody changes, All asks for no more than PerPage tokens a
// request, and its overlapping reads cost what its doc says: about 1.14
// times the requests of fixed pages of 100, 1.04 times at 1 000, 1.45
// times at 16. The counts are the fewest any overlapping reads can do.
func TestAllOnAnUnchangedListAsksForNoMoreThanPerPage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ tokens, perPage, requests int }{
		{0, 16, 1}, {16, 16, 1}, {17, 16, 2}, {250, 100, 3}, {1000, 16, 91}, {1000, 100, 11}, {10000, 100, 114}, {5000, 1000, 6},
	} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			t.Parallel()
			w := testworld.New(t)
			app, initial := outOfOrder(w, tc.tokens)
			tokens, lists := countedTokens(w, app)
			var yielded []string
			for tok, err := range tokens.All(context.Background(), losant.APITokenListOptions{PerPage: tc.perPage}) {
				require.NoError(t, err)
				yielded = append(yielded, tok.ID)
			}
			assert.ElementsMatch(t, initial, yielded)
			assert.Equal(t, tc.requests, lists.n, "%d tokens, %d a page", tc.tokens, tc.perPage)
			if tc.tokens > 0 {
				assert.Equal(t, tc.perPage, lists.perPage, "the most a request asked for")
			}
		})
	}
}

// All refuses a PerPage under 16, which could not overlap its reads
// within it, before it sends anything: List reads a page of any size.
func TestAllRefusesPagesTooSmallToOverlap(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	app, _ := outOfOrder(w, 5)
	tokens, lists := countedTokens(w, app)
	for _, perPage := range []int{1, 2, 15} {
		t.Run(fmt.Sprint(perPage), func(t *testing.T) {
			var errs []error
			for tok, err := range tokens.All(context.Background(), losant.APITokenListOptions{PerPage: perPage}) {
				assert.Nil(t, tok)
				errs = append(errs, err)
			}
			require.Len(t, errs, 1)
			assertArgumentError(t, errs[0], "perPage")
			assert.ErrorContains(t, errs[0], "under 16")
		})
	}
	assert.Zero(t, lists.n, "nothing was sent")
	page, err := tokens.List(context.Background(), losant.APITokenListOptions{PerPage: 2})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
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
