// Test helpers of the rotation tests, which run on testworld: the tokens
// to rotate, clients through the fault proxy, and reads of what the fake
// holds.

package rotation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// rotatable returns a client of w acting as its user, without retries
// (every fault is met once), and two tokens made through it to rotate: a
// user token with a description, scopes and roles, and a token of w.App.
func rotatable(t *testing.T, w *testworld.World) (client *losant.Client, userOld, appOld gen.APIToken) {
	t.Helper()
	client = w.Client(t, w.UserBearer, losant.WithoutRetries())
	ctx := context.Background()
	roles := []gen.APITokenOrgRole{{OrgID: "sandbox", Role: gen.APITokenRoleView}}
	user, err := client.APITokens(losant.User()).Create(ctx, gen.APITokenPost{Name: "ci", Description: losant.Ptr("deploys"),
		Scope: []string{"all.User.read"}, DefaultRole: losant.Ptr(gen.APITokenRoleNone), OrgRoles: roles})
	require.NoError(t, err)
	app, err := client.APITokens(losant.Application(w.App.ID)).Create(ctx, gen.APITokenPost{Name: "gateway", Scope: []string{"all.Application"}})
	require.NoError(t, err)
	return client, *user, *app
}

// tokenStatus reads a user token's status through client.
func tokenStatus(t *testing.T, client *losant.Client, id string) gen.APITokenStatus {
	t.Helper()
	tok, err := client.APITokens(losant.User()).Get(context.Background(), id)
	require.NoError(t, err)
	return tok.Status
}

// userTokens counts the tokens of client's user.
func userTokens(t *testing.T, client *losant.Client) int {
	t.Helper()
	page, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{})
	require.NoError(t, err)
	return page.TotalCount
}

// fastRetries retries as the default policy does, with waits short enough
// for tests.
var fastRetries = losant.RetryPolicy{MaxAttempts: 4, MinWait: time.Millisecond, MaxWait: 2 * time.Second}

// proxyClient acts as bearer through w's fault proxy, retrying at once,
// each attempt bounded by a timeout long enough for a loaded machine (a
// test of stalled answers gives a shorter one).
func proxyClient(t *testing.T, w *testworld.World, bearer losanttest.Token, opts ...losant.Option) *losant.Client {
	t.Helper()
	return w.ProxyClient(t, bearer, append([]losant.Option{losant.WithRetry(fastRetries), losant.WithTimeout(2 * time.Second)}, opts...)...)
}

// stallTimeout bounds the attempts of the tests whose answers stall.
const stallTimeout = 300 * time.Millisecond

// direct reads what the fake holds, around the proxy.
func direct(t *testing.T, w *testworld.World, o testworld.Owner) losant.APITokenService {
	t.Helper()
	return w.Client(t, o.Bearer).APITokens(o.Owner)
}

// countNamed counts the owner's tokens named name.
func countNamed(t *testing.T, tokens losant.APITokenService, name string) int {
	t.Helper()
	n := 0
	for tok, err := range tokens.All(context.Background(), losant.APITokenListOptions{}) {
		t.Run(fmt.Sprint(tok), func(t *testing.T) {
			require.NoError(t, err)
			if tok.Name == name {
				n++
			}
		})
	}
	return n
}
