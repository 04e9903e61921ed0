package losanttest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

// BenchmarkList is one list request of 100 tokens, sorted by name, of an
// application holding 1 000, 10 000 or 100 000 tokens: what it costs
// should depend on the page, not on the tokens held. write=each patches a
// token before every list, so that the owner's cached order is rebuilt
// each time (the cost of a list right after a write). 100 000 tokens are
// past the default limits, which the patches would meet.
func BenchmarkList(b *testing.B) {
	roomy := losanttest.WithLimits(losanttest.Limits{TokensPerOwner: 200_000, StoreBytes: 1 << 30})
	for _, tokens := range []int{1_000, 10_000, 100_000} {
		srv := losanttest.New(b, roomy)
		user := srv.AddUser(losanttest.User{})
		app := srv.AddApplication(losanttest.Application{OwnerID: user.ID})
		bearer := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
		var last losanttest.Token
		for i := range tokens {
			last = srv.AddToken(losanttest.Token{Name: fmt.Sprintf("token %07d", (i*7919)%tokens), OwnerType: gen.APITokenOwnerTypeApplication,
				OwnerID: app.ID, Scope: []string{"all.Application.read"}})
		}
		tokensOf := srv.Client(bearer.Secret).APITokens(losant.Application(app.ID))
		opts := losant.APITokenListOptions{SortField: gen.APITokenSortFieldName, PerPage: 100, Page: tokens / 200}
		ctx := context.Background()
		for _, write := range []string{"none", "each"} {
			b.Run(fmt.Sprintf("tokens=%d/write=%s", tokens, write), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if write == "each" {
						if _, err := tokensOf.Patch(ctx, last.ID, gen.APITokenPatch{Description: losant.Ptr(fmt.Sprint(i))}); err != nil {
							b.Fatal(err)
						}
					}
					page, err := tokensOf.List(ctx, opts)
					if err != nil || len(page.Items) != 100 {
						b.Fatal(err, page)
					}
				}
			})
		}
	}
}
