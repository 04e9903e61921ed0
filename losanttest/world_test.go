package losanttest_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/harness/contract"
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

// listWorld is a fake with a user, its application, and a client acting as
// the user whose every response is checked against the spec. The fake's
// clock moves a minute on each reading, so creation dates differ.
type listWorld struct {
	srv    *losanttest.Server
	client *losant.Client
	app    losanttest.Application
	bearer losanttest.Token
}

func newListWorld(t *testing.T) *listWorld {
	t.Helper()
	var mu sync.Mutex
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := losanttest.New(t, losanttest.WithClock(func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Minute)
		return clock
	}))
	user := srv.AddUser(losanttest.User{})
	app := srv.AddApplication(losanttest.Application{OwnerID: user.ID})
	bearer := srv.AddToken(losanttest.Token{Name: "bearer", OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	transport := contract.CheckedTransport(t) // tests send some bad requests on purpose
	client := srv.Client(bearer.Secret, losant.WithHTTPClient(&http.Client{Transport: transport}), losant.WithoutRetries())
	return &listWorld{srv: srv, client: client, app: app, bearer: bearer}
}

// createApp creates application tokens with these names, in this order.
func (w *listWorld) createApp(t *testing.T, names ...string) []*losant.APIToken {
	t.Helper()
	var out []*losant.APIToken
	for _, name := range names {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			tok, err := w.client.APITokens(losant.Application(w.app.ID)).Create(context.Background(), losant.APITokenPost{Name: name, Scope: []string{"all.Application.read"}})
			require.NoError(t, err)
			out = append(out, tok)
		})
	}
	return out
}

func names(tokens []losant.APIToken) []string {
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
