package losanttest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
)

// The store's cached orders, kept in order by each write, answer every
// list as sorting all the owner's tokens afresh would, through a random
// run of creates, patches (of every field lists sort by) and deletes; and
// the store's accounted size is its records' sizes all along.
func TestCachedOrdersAnswerAsAFreshSortWould(t *testing.T) {
	t.Parallel()
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := newStore(func() time.Time { clock = clock.Add(time.Second); return clock }, map[string]bool{"all.Application": true}, DefaultLimits())
	app := Application{ID: "575ec8687ae143cd83dc4a97", OwnerID: "575ed70c7ae143cd83dc4aa9"}
	_, err := s.addUser(User{ID: app.OwnerID})
	require.NoError(t, err)
	_, err = s.addApplication(app)
	require.NoError(t, err)
	o := owner{gen.APITokenOwnerTypeApplication, app.ID}
	rng := rand.New(rand.NewPCG(1, 2))
	fields := []gen.APITokenSortField{gen.APITokenSortFieldName, gen.APITokenSortFieldStatus, gen.APITokenSortFieldID,
		gen.APITokenSortFieldCreationDate, gen.APITokenSortFieldLastUpdated, gen.APITokenSortFieldExpirationDate}
	var ids []string
	for step := range 600 {
		t.Run(fmt.Sprint(step), func(t *testing.T) {
			switch op := rng.IntN(10); {
			case op < 4 || len(ids) == 0:
				tok, err := s.addToken(Token{Name: fmt.Sprintf("t%d", rng.IntN(20)), OwnerType: o.typ, OwnerID: o.id, Scope: []string{"all.Application"}})
				require.NoError(t, err)
				ids = append(ids, tok.ID)
			case op < 8:
				id := ids[rng.IntN(len(ids))]
				_, err := s.update(o, id, func(tok *gen.APIToken) bool {
					tok.Name = fmt.Sprintf("t%d", rng.IntN(20))
					tok.Description = strings.Repeat("d", rng.IntN(100))
					tok.Status = []gen.APITokenStatus{gen.APITokenStatusActive, gen.APITokenStatusInactive}[rng.IntN(2)]
					tok.LastUpdated = clock.Add(time.Duration(rng.IntN(100)) * time.Second)
					if rng.IntN(2) == 0 {
						tok.ExpirationDate = losant.Ptr(clock.Add(time.Duration(rng.IntN(100)) * time.Hour))
					} else {
						tok.ExpirationDate = nil
					}
					return true
				})
				require.NoError(t, err)
			default:
				i := rng.IntN(len(ids))
				_, err := s.update(o, ids[i], func(*gen.APIToken) bool { return false })
				require.NoError(t, err)
				ids = slices.Delete(ids, i, i+1)
			}
			q := listQuery{sortField: string(fields[rng.IntN(len(fields))]), sortDirection: gen.SortDirectionAsc, perPage: 7, page: rng.IntN(4)}
			if rng.IntN(2) == 0 {
				q.sortDirection = gen.SortDirectionDesc
			}
			if rng.IntN(4) == 0 {
				q.filter, q.filterField = "t1*", string(gen.APITokenFilterFieldName)
			}
			got := s.page(o, q)

			fresh := make([]*record, 0, len(s.byOwner[o]))
			for _, rec := range s.tokens {
				if o.owns(rec.token) {
					fresh = append(fresh, rec)
				}
			}
			slices.SortFunc(fresh, tokenKind.order(q.sortField))
			require.Equal(t, q.answer(o, fresh), got, "step %d: %+v", step, q)
			size := 0
			for _, rec := range s.tokens {
				size += recordSize(rec.token, rec.secret)
			}
			require.Equal(t, size, s.size, "step %d: the store's accounted size", step)
		})
	}
}
