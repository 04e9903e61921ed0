package losant_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/contract"
	"github.com/specdriven/losant/losanttest"
)

// fakeWorld is a fake Losant API with a user, its application, a bearer
// token of the user and a token of each to act on. (The fake's own
// behaviour is tested in package losanttest; here it is the client's.)
type fakeWorld struct {
	srv       *losanttest.Server
	transport *contract.Transport

	app        losanttest.Application
	userBearer losanttest.Token // user's, scope all.User
	appTarget  losanttest.Token // app's
	userTarget losanttest.Token // user's
}

func newFakeWorld(t *testing.T) *fakeWorld {
	t.Helper()
	srv := losanttest.New(t)
	user := srv.AddUser(losanttest.User{Email: "ada@example.com"})
	app := srv.AddApplication(losanttest.Application{Name: "Greenhouse", OwnerID: user.ID})
	v, err := contract.New()
	require.NoError(t, err)
	w := &fakeWorld{
		srv: srv, transport: &contract.Transport{Validator: v, AllowBadRequests: true}, app: app,
		userBearer: srv.AddToken(losanttest.Token{Name: "cli", OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}}),
		appTarget:  srv.AddToken(losanttest.Token{Name: "ingest", OwnerType: losant.APITokenOwnerTypeApplication, OwnerID: app.ID, Scope: []string{"all.Application"}}),
		userTarget: srv.AddToken(losanttest.Token{Name: "backup", OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User.read"}}),
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
