package losant_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/contract"
	"github.com/specdriven/losant/losanttest"
)

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
	v, err := contract.New()
	require.NoError(t, err)
	w := &fakeWorld{
		srv: srv, transport: &contract.Transport{Validator: v, AllowBadRequests: true},
		app: app, otherApp: otherApp,
		userBearer:      userToken(user.ID, "cli", "all.User"),
		appBearer:       appToken(app.ID, "device fleet", "all.Application"),
		readOnly:        userToken(user.ID, "dashboard", "all.User.read"),
		unscoped:        userToken(user.ID, "device reader", "device.get"),
		appTarget:       appToken(app.ID, "ingest", "all.Application"),
		userTarget:      userToken(user.ID, "backup", "all.User.read"),
		otherUserTarget: userToken(other.ID, "bob's", "all.User"),
	}
	// Whatever a test did, every response the fake sent must be valid.
	t.Cleanup(func() {
		problems, checked := w.transport.Problems()
		assert.Empty(t, problems, "responses of the fake that the spec does not allow")
		assert.Positive(t, checked)
	})
	return w
}

// client returns a client of the fake that authenticates as bearer and
// checks every response against the spec.
func (w *fakeWorld) client(t *testing.T, bearer losanttest.Token, opts ...losant.Option) *losant.Client {
	t.Helper()
	return w.srv.Client(bearer.Secret, append(opts, losant.WithHTTPClient(&http.Client{Transport: w.transport}))...)
}

// target returns the IDs a's success case acts on.
func (w *fakeWorld) target(a action) ids {
	if a.isUser() {
		return ids{token: w.userTarget.ID}
	}
	return ids{app: w.app.ID, token: w.appTarget.ID}
}

func TestFakeActionsSucceed(t *testing.T) {
	for _, a := range actions {
		t.Run(a.name, func(t *testing.T) {
			w := newFakeWorld(t)
			client := w.client(t, w.userBearer)
			id := w.target(a)
			ctx := context.Background()
			get := actions[0]
			if a.isUser() {
				get = actions[3]
			}
			before, err := get.call(ctx, client, id)
			require.NoError(t, err)

			got, err := a.call(ctx, client, id)
			require.NoError(t, err)
			switch {
			case a.isDelete():
				_, err := a.call(ctx, client, id)
				assert.True(t, losant.IsNotFound(err), "a deleted token is gone: %v", err)
			case a.method == http.MethodPatch:
				assert.Equal(t, *examplePatch.Name, got.Name)
				assert.Equal(t, losant.APITokenStatusInactive, got.Status)
				assert.Equal(t, before.CreationDate, got.CreationDate)
				assert.True(t, got.LastUpdated.After(before.LastUpdated), "lastUpdated moves on a patch")
			default:
				assert.Equal(t, id.token, got.ID)
				assert.Equal(t, id.token, got.APITokenID)
				assert.NotEmpty(t, got.Name)
				assert.NotEmpty(t, got.Scope)
				assert.Equal(t, losant.APITokenStatusActive, got.Status)
				assert.Empty(t, got.Token, "the secret is never returned by a get")
			}
		})
	}
}

func TestFakePatchChangesOnlyTheGivenFields(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.userBearer)
	ctx := context.Background()
	before, err := client.UserAPIToken.Get(ctx, w.userTarget.ID)
	require.NoError(t, err)

	patched, err := client.UserAPIToken.Patch(ctx, w.userTarget.ID, losant.APITokenPatch{Description: losant.Ptr("nightly backups")})
	require.NoError(t, err)
	assert.Equal(t, "nightly backups", patched.Description)
	assert.Equal(t, before.Name, patched.Name)
	assert.Equal(t, before.Status, patched.Status)
	assert.Equal(t, before.Scope, patched.Scope)
	assert.Equal(t, before.CreationDate, patched.CreationDate)
	assert.False(t, patched.LastUpdated.Before(before.LastUpdated))

	again, err := client.UserAPIToken.Get(ctx, w.userTarget.ID)
	require.NoError(t, err)
	assert.Equal(t, patched, again, "a get sees the patch")
}

func TestFakeRejectsWhatTheRealAPIRejects(t *testing.T) {
	w := newFakeWorld(t)
	ctx := context.Background()
	unknown := "000000000000000000000000"
	cases := []struct {
		name   string
		bearer losanttest.Token
		id     func(a action) ids
		status int
		typ    string
		in     string // a part of the message
	}{
		{"401 unknown bearer", losanttest.Token{Secret: "lsnt_unknown"}, w.target, 401, "Unauthorized", "access token"},
		{"403 no accepted scope", w.unscoped, w.target, 403, "Forbidden", "one of"},
		{"404 unknown token", w.userBearer, func(a action) ids { return ids{app: w.app.ID, token: unknown} }, 404, "NotFound", "API Token was not found"},
		{"404 another user's token", w.userBearer, func(a action) ids {
			if a.isUser() {
				return ids{token: w.otherUserTarget.ID}
			}
			return ids{app: w.otherApp.ID, token: w.appTarget.ID}
		}, 404, "NotFound", "was not found"},
	}
	for _, tc := range cases {
		for _, a := range actions {
			t.Run(tc.name+"/"+a.name, func(t *testing.T) {
				client := w.client(t, tc.bearer)
				_, err := a.call(ctx, client, tc.id(a))
				var apiErr *losant.Error
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.status, apiErr.StatusCode)
				assert.Equal(t, tc.typ, apiErr.Type)
				assert.Contains(t, apiErr.Message, tc.in)
				assert.NotContains(t, err.Error(), tc.bearer.Secret)
			})
		}
	}
}

func TestFakeReadOnlyTokenCanOnlyRead(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.readOnly)
	for _, a := range actions {
		_, err := a.call(context.Background(), client, w.target(a))
		if a.method == http.MethodGet {
			assert.NoError(t, err, a.name)
		} else {
			assert.True(t, losant.IsForbidden(err), "%s: %v", a.name, err)
		}
	}
}

func TestFakeApplicationTokenStaysInItsApplication(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.appBearer)
	ctx := context.Background()
	_, err := client.ApplicationAPIToken.Get(ctx, w.app.ID, w.appTarget.ID)
	assert.NoError(t, err, "its own application")
	_, err = client.ApplicationAPIToken.Get(ctx, w.otherApp.ID, w.appTarget.ID)
	assert.True(t, losant.IsNotFound(err), "another application: %v", err)
	_, err = client.UserAPIToken.Get(ctx, w.userTarget.ID)
	assert.True(t, losant.IsForbidden(err), "an application token has no /me: %v", err)
}

// What the fake would answer 400 to (losanttest's tests show it does) the
// client refuses before sending: the fake sees no request.
func TestBadInputNeverReachesTheFake(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.userBearer)
	ctx := context.Background()
	before := len(w.srv.Requests())
	for _, a := range actions {
		for _, bad := range []ids{{app: w.app.ID, token: "not-a-token-id"}, {app: "575ec8687ae143cd83dc4a9z", token: w.appTarget.ID}} {
			if a.isUser() && bad.token == w.appTarget.ID {
				continue
			}
			_, err := a.call(ctx, client, bad)
			assert.ErrorIs(t, err, losant.ErrInvalidArgument, a.name)
		}
	}
	for name, patch := range map[string]losant.APITokenPatch{
		"empty name":             {Name: losant.Ptr("")},
		"name over 255":          {Name: losant.Ptr(strings.Repeat("n", 256))},
		"status neither":         {Status: losant.Ptr(losant.APITokenStatus("paused"))},
		"description over 32767": {Description: losant.Ptr(strings.Repeat("d", 32768))},
	} {
		_, err := client.UserAPIToken.Patch(ctx, w.userTarget.ID, patch)
		assert.ErrorIs(t, err, losant.ErrInvalidArgument, name)
	}
	assert.Len(t, w.srv.Requests(), before, "the fake saw no request")
	got, err := client.UserAPIToken.Get(ctx, w.userTarget.ID)
	require.NoError(t, err)
	assert.Equal(t, w.userTarget.Name, got.Name, "a refused patch changes nothing")
}

func TestFakeInactiveTokenCannotAuthenticate(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.userBearer)
	ctx := context.Background()
	_, err := client.UserAPIToken.Patch(ctx, w.readOnly.ID, losant.APITokenPatch{Status: losant.Ptr(losant.APITokenStatusInactive)})
	require.NoError(t, err)
	_, err = w.client(t, w.readOnly).UserAPIToken.Get(ctx, w.userTarget.ID)
	assert.True(t, losant.IsUnauthorized(err), "%v", err)
}

func TestFakeRecordsTheDomain(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.userBearer, losant.WithDomain("client.example.com"))
	ctx := context.Background()
	_, err := client.UserAPIToken.Get(ctx, w.userTarget.ID)
	require.NoError(t, err)
	_, err = client.UserAPIToken.Get(ctx, w.userTarget.ID, losant.Domain("call.example.com"))
	require.NoError(t, err)
	reqs := w.srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "client.example.com", reqs[0].Domain)
	assert.Equal(t, "call.example.com", reqs[1].Domain)
	assert.Equal(t, "getUserApiToken", reqs[1].Operation)
	assert.Equal(t, http.StatusOK, reqs[1].Status)
}

func TestFakeUnderConcurrentClients(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.userBearer)
	ctx := context.Background()
	const goroutines = 16
	inParallel(t, goroutines, func(g int) error {
		name := fmt.Sprintf("writer %d", g)
		if _, err := client.UserAPIToken.Patch(ctx, w.userTarget.ID, losant.APITokenPatch{Name: &name}); err != nil {
			return err
		}
		_, err := client.ApplicationAPIToken.Get(ctx, w.app.ID, w.appTarget.ID)
		return err
	})
	got, err := client.UserAPIToken.Get(ctx, w.userTarget.ID)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(got.Name, "writer "), "one of the writers won: %s", got.Name)
	assert.Len(t, w.srv.Requests(), 2*goroutines+1)
}

// With no http.Client given, concurrent callers reuse their connections:
// Go's default transport keeps only 2 idle per host and would open one for
// almost every call here. (A caller may briefly dial a spare connection,
// hence the slack; the benchmarks count them.)
func TestDefaultClientDoesNotChurnConnections(t *testing.T) {
	w := newFakeWorld(t)
	client := w.srv.Client(w.userBearer.Secret)                                                 // the library's default http.Client
	_, err := w.client(t, w.userBearer).UserAPIToken.Get(context.Background(), w.userTarget.ID) // for the spec check
	require.NoError(t, err)
	const goroutines, calls = 16, 50
	inParallel(t, goroutines, func(int) error {
		for i := 0; i < calls; i++ {
			if _, err := client.UserAPIToken.Get(context.Background(), w.userTarget.ID); err != nil {
				return err
			}
		}
		return nil
	})
	assert.LessOrEqual(t, w.srv.Connections(), 2*goroutines, "connections opened for %d calls", goroutines*calls)
}
