package losant_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// Expiring yields the tokens that expire before the time given, and those
// already expired, from every page; never a token that does not expire.
func TestExpiringFindsTokensAboutToExpire(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, _, _ := rotatable(t, w)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	expired := now.Add(-time.Hour) // made as a fixture: Create refuses an expiry that has passed
	w.Server.AddToken(losanttest.Token{Name: "expired", OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID, ExpirationDate: &expired, CreationDate: now.Add(-2 * time.Hour)})
	w.Server.AddToken(losanttest.Token{Name: "expired", OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: w.App.ID, ExpirationDate: &expired, CreationDate: now.Add(-2 * time.Hour)})
	for name, expiry := range map[string]time.Time{
		"in a day": now.Add(24 * time.Hour), "in a month": now.AddDate(0, 1, 0),
	} {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			_, err := client.APITokens(losant.User()).Create(ctx, gen.APITokenPost{Name: name, ExpirationDate: &expiry})
			require.NoError(t, err)
			_, err = client.APITokens(losant.Application(w.App.ID)).Create(ctx, gen.APITokenPost{Name: name, ExpirationDate: &expiry})
			require.NoError(t, err)
		})
	}
	week := now.AddDate(0, 0, 7)
	var user, app []string
	for tok, err := range client.APITokens(losant.User()).Expiring(ctx, week, losant.APITokenListOptions{PerPage: 16, SortField: gen.APITokenSortFieldName}) {
		t.Run(fmt.Sprint(tok), func(t *testing.T) {
			require.NoError(t, err)
			user = append(user, tok.Name)
		})
	}
	for tok, err := range client.APITokens(losant.Application(w.App.ID)).Expiring(ctx, week, losant.APITokenListOptions{SortField: gen.APITokenSortFieldName}) {
		t.Run(fmt.Sprint(tok), func(t *testing.T) {
			require.NoError(t, err)
			app = append(app, tok.Name)
		})
	}
	assert.Equal(t, []string{"expired", "in a day"}, user)
	assert.Equal(t, []string{"expired", "in a day"}, app)

	w.Server.Inject(losanttest.Fault{Status: 404}, losanttest.Times(1))
	for tok, err := range client.APITokens(losant.User()).Expiring(ctx, week, losant.APITokenListOptions{}) {
		assert.Nil(t, tok)
		assert.True(t, losant.StatusCode(err) == http.StatusNotFound)
	}
}
