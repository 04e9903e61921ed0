package losanttest_test

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

// Test helpers shared by the package's tests: fake worlds driven through
// the client as a user's code would, every response checked against the
// spec, and the token actions as a table (testworld.Actions).

var (
	examplePatch = testworld.ExamplePatch()
	inParallel   = testworld.InParallel
)

// newListWorld is the test world with a clock that moves a minute on each
// reading, so creation dates differ; a client acting as its user, every
// response checked against the spec; and an application of the user's
// with no tokens yet, for tests that list what they made.
func newListWorld(t *testing.T) (w *testworld.World, client *losant.Client, app losanttest.Application) {
	t.Helper()
	w = testworld.New(t, testworld.WithTickingClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	app = w.Server.AddApplication(losanttest.Application{Name: "Listed", OwnerID: w.User.ID})
	return w, w.Client(t, w.UserBearer, losant.WithoutRetries()), app
}

// createApp creates tokens of app with these names, in this order.
func createApp(t *testing.T, client *losant.Client, app losanttest.Application, names ...string) []*gen.APIToken {
	t.Helper()
	var out []*gen.APIToken
	for _, name := range names {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			tok, err := client.APITokens(losant.Application(app.ID)).Create(context.Background(), gen.APITokenPost{Name: name, Scope: []string{"all.Application.read"}})
			require.NoError(t, err)
			out = append(out, tok)
		})
	}
	return out
}

func names(tokens []gen.APIToken) []string {
	var out []string
	for _, t := range tokens {
		out = append(out, t.Name)
	}
	return out
}

func cmpOr(v, fallback int) int {
	if v == 0 {
		return fallback
	}
	return v
}
