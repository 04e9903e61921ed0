package losanttest_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/contract"
	"github.com/specdriven/losant/losanttest"
)

// Test helpers shared by the package's tests: fake worlds driven through
// the client as a user's code would, every response checked against the
// spec, and the six single-token actions as a table.

// fakeWorld is a fake Losant API seeded with two users, an application of
// each, and tokens: callers (bearers) and targets (what the actions act on).
type fakeWorld struct {
	srv       *losanttest.Server
	transport *contract.Transport

	app, otherApp   losanttest.Application
	userBearer      losanttest.Token // user's, scope all.User
	appBearer       losanttest.Token // app's, scope all.Application
	readOnly        losanttest.Token // user's, scope all.User.read
	unscoped        losanttest.Token // user's, scope device.get only
	appTarget       losanttest.Token // app's
	userTarget      losanttest.Token // user's
	otherUserTarget losanttest.Token // the other user's
}

func newFakeWorld(t *testing.T) *fakeWorld {
	t.Helper()
	srv := losanttest.New(t)
	user := srv.AddUser(losanttest.User{Email: "ada@example.com"})
	other := srv.AddUser(losanttest.User{Email: "bob@example.com"})
	app := srv.AddApplication(losanttest.Application{Name: "Greenhouse", OwnerID: user.ID})
	otherApp := srv.AddApplication(losanttest.Application{Name: "Garage", OwnerID: other.ID})
	userToken := func(owner, name string, scope ...string) losanttest.Token {
		return srv.AddToken(losanttest.Token{Name: name, OwnerType: losant.APITokenOwnerTypeUser, OwnerID: owner, Scope: scope})
	}
	appToken := func(owner, name string, scope ...string) losanttest.Token {
		return srv.AddToken(losanttest.Token{Name: name, OwnerType: losant.APITokenOwnerTypeApplication, OwnerID: owner, Scope: scope})
	}
	w := &fakeWorld{
		srv: srv, transport: contract.CheckedTransport(t),
		app: app, otherApp: otherApp,
		userBearer:      userToken(user.ID, "cli", "all.User"),
		appBearer:       appToken(app.ID, "device fleet", "all.Application"),
		readOnly:        userToken(user.ID, "dashboard", "all.User.read"),
		unscoped:        userToken(user.ID, "device reader", "device.get"),
		appTarget:       appToken(app.ID, "ingest", "all.Application"),
		userTarget:      userToken(user.ID, "backup", "all.User.read"),
		otherUserTarget: userToken(other.ID, "bob's", "all.User"),
	}
	return w
}

// client returns a client of the fake that authenticates as bearer and
// checks every response against the spec.
func (w *fakeWorld) client(t *testing.T, bearer losanttest.Token, opts ...losant.Option) *losant.Client {
	t.Helper()
	return w.srv.Client(bearer.Secret, append(opts, losant.WithHTTPClient(&http.Client{Transport: w.transport}))...)
}

// ids names the token an action acts on; user actions ignore app.
type ids struct{ app, token string }

// action is one of the six single-token actions, called through the client.
type action struct {
	name   string
	method string
	user   bool
	call   func(ctx context.Context, c *losant.Client, id ids) (*losant.APIToken, error)
}

func (a action) isDelete() bool { return a.method == http.MethodDelete }

func (a action) isUser() bool { return a.user }

var examplePatch = losant.APITokenPatch{Name: losant.Ptr("My Updated API Token"), Status: losant.Ptr(losant.APITokenStatusInactive)}

var actions = []action{
	{"ApplicationAPIToken.Get", http.MethodGet, false, func(ctx context.Context, c *losant.Client, id ids) (*losant.APIToken, error) {
		return c.ApplicationAPIToken.Get(ctx, id.app, id.token)
	}},
	{"ApplicationAPIToken.Patch", http.MethodPatch, false, func(ctx context.Context, c *losant.Client, id ids) (*losant.APIToken, error) {
		return c.ApplicationAPIToken.Patch(ctx, id.app, id.token, examplePatch)
	}},
	{"ApplicationAPIToken.Delete", http.MethodDelete, false, func(ctx context.Context, c *losant.Client, id ids) (*losant.APIToken, error) {
		return nil, c.ApplicationAPIToken.Delete(ctx, id.app, id.token)
	}},
	{"UserAPIToken.Get", http.MethodGet, true, func(ctx context.Context, c *losant.Client, id ids) (*losant.APIToken, error) {
		return c.UserAPIToken.Get(ctx, id.token)
	}},
	{"UserAPIToken.Patch", http.MethodPatch, true, func(ctx context.Context, c *losant.Client, id ids) (*losant.APIToken, error) {
		return c.UserAPIToken.Patch(ctx, id.token, examplePatch)
	}},
	{"UserAPIToken.Delete", http.MethodDelete, true, func(ctx context.Context, c *losant.Client, id ids) (*losant.APIToken, error) {
		return nil, c.UserAPIToken.Delete(ctx, id.token)
	}},
}

// target returns the IDs a's success case acts on.
func (w *fakeWorld) target(a action) ids {
	if a.isUser() {
		return ids{token: w.userTarget.ID}
	}
	return ids{app: w.app.ID, token: w.appTarget.ID}
}

// inParallel runs fn in n goroutines and fails t with their errors.
func inParallel(t *testing.T, n int, fn func(g int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for g := range n {
		wg.Add(1)
		go func() { defer wg.Done(); errs[g] = fn(g) }()
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
}

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
		tok, err := w.client.ApplicationAPIToken.Create(context.Background(), w.app.ID, losant.APITokenPost{Name: name, Scope: []string{"all.Application.read"}})
		require.NoError(t, err)
		out = append(out, tok)
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
