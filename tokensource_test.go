package losant_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
	"github.com/specdriven/losant/tokenfile"
)

// sourceWorld is a fake with a user, two of their tokens that may act on
// the user's tokens (old, in use, and next, its successor), and a token to
// read with them.
type sourceWorld struct {
	srv              *losanttest.Server
	old, next, other losanttest.Token
}

func newSourceWorld(t *testing.T) *sourceWorld {
	t.Helper()
	srv := losanttest.New(t)
	user := srv.AddUser(losanttest.User{})
	add := func(name string) losanttest.Token {
		return srv.AddToken(losanttest.Token{Name: name, OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	}
	return &sourceWorld{srv: srv, old: add("old"), next: add("next"), other: add("read")}
}

// client returns a client of the fake that takes its token from src.
func (w *sourceWorld) client(t *testing.T, src losant.TokenSource) *losant.Client {
	t.Helper()
	c, err := losant.NewClient("", losant.WithBaseURL(w.srv.URL), losant.WithTokenSource(src))
	require.NoError(t, err)
	return c
}

// deactivate makes tok inactive: the fake answers 401 to it from now on.
func (w *sourceWorld) deactivate(t *testing.T, tok losanttest.Token) {
	t.Helper()
	_, err := w.srv.Client(w.other.Secret).APITokens(losant.User()).Patch(context.Background(), tok.ID,
		gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)})
	require.NoError(t, err)
	w.srv.ResetRequests() // statuses are the client's
}

// get reads the world's other token through c, within ctx.
func (w *sourceWorld) get(ctx context.Context, c *losant.Client) error {
	_, err := c.APITokens(losant.User()).Get(ctx, w.other.ID)
	return err
}

// statuses returns the statuses the fake answered with, and forgets them.
func (w *sourceWorld) statuses() []int {
	var out []int
	for _, r := range w.srv.Requests() {
		out = append(out, r.Status)
	}
	w.srv.ResetRequests()
	return out
}

// vaultSource is a RereadTokenSource of someone else's: Token returns the
// token it holds; RereadToken asks its vault (fetch) for the current one,
// within ctx, and holds what it gets.
type vaultSource struct {
	held    atomic.Pointer[string]
	fetch   func(ctx context.Context) (string, error)
	rereads atomic.Int64
}

func (s *vaultSource) Token() (string, error) { return *s.held.Load(), nil }

func (s *vaultSource) RereadToken(ctx context.Context) (string, error) {
	s.rereads.Add(1)
	token, err := s.fetch(ctx)
	if err != nil {
		return *s.held.Load(), err
	}
	s.held.Store(&token)
	return token, nil
}

type callKey struct{}

// A source of anyone's that implements RereadTokenSource is asked after a
// 401, once a call and within the call's context, and its new token is
// sent once; an error of it is returned beside the 401.
func TestARereadTokenSourceIsAskedAfterA401(t *testing.T) {
	w := newSourceWorld(t)
	var vault atomic.Pointer[string] // what the vault holds now
	vault.Store(&w.old.Secret)
	var sealed atomic.Bool
	errSealed := errors.New("vault is sealed")
	src := &vaultSource{fetch: func(ctx context.Context) (string, error) {
		if ctx.Value(callKey{}) != "the call's" {
			return "", errors.New("not the call's context")
		}
		if sealed.Load() {
			return "", errSealed
		}
		return *vault.Load(), nil
	}}
	src.held.Store(&w.old.Secret)
	client := w.client(t, src)
	ctx := context.WithValue(context.Background(), callKey{}, "the call's")

	// Rotated behind the source's back: the 401 has it ask the vault.
	vault.Store(&w.next.Secret)
	w.deactivate(t, w.old)
	require.NoError(t, w.get(ctx, client))
	assert.Equal(t, []int{http.StatusUnauthorized, http.StatusOK}, w.statuses(), "the new token, sent once")
	assert.Equal(t, int64(1), src.rereads.Load())
	require.NoError(t, w.get(ctx, client))
	assert.Equal(t, []int{http.StatusOK}, w.statuses(), "the new token is kept; no 401, no re-read")
	assert.Equal(t, int64(1), src.rereads.Load())

	// A vault that keeps giving a token the API refuses is asked once a call.
	w.deactivate(t, w.next)
	vault.Store(&w.old.Secret)
	err := w.get(ctx, client)
	assert.True(t, losant.StatusCode(err) == http.StatusUnauthorized, "%v", err)
	assert.Equal(t, []int{http.StatusUnauthorized, http.StatusUnauthorized}, w.statuses(), "sent again once, not again")
	assert.Equal(t, int64(2), src.rereads.Load())

	// The source's error is returned beside the 401; nothing is sent again.
	sealed.Store(true)
	err = w.get(ctx, client)
	assert.True(t, losant.StatusCode(err) == http.StatusUnauthorized, "%v", err)
	assert.ErrorIs(t, err, errSealed)
	assert.Equal(t, []int{http.StatusUnauthorized}, w.statuses())
	assert.Equal(t, int64(3), src.rereads.Load())
}

func TestTokenSourceFuncIsAskedBeforeEachCallAndAfterA401(t *testing.T) {
	w := newSourceWorld(t)
	ctx := context.Background()
	var current atomic.Pointer[string]
	current.Store(&w.old.Secret)
	var asked atomic.Int64
	src := losant.TokenSourceFunc(func() (string, error) {
		asked.Add(1)
		return *current.Load(), nil
	})
	client := w.client(t, src)
	require.NoError(t, w.get(ctx, client))
	assert.Equal(t, int64(2), asked.Load(), "once by NewClient, once by the call")

	w.deactivate(t, w.old)
	current.Store(&w.next.Secret)
	w.srv.ResetRequests()
	require.NoError(t, w.get(ctx, client))
	assert.Equal(t, []int{200}, w.statuses(), "the call took the new token at once")

	w.deactivate(t, w.next)
	err := w.get(ctx, client)
	assert.True(t, losant.StatusCode(err) == http.StatusUnauthorized, "%v", err)
	assert.Equal(t, []int{401}, w.statuses(), "an unchanged token is not sent again")
}

func TestATokenSourceErrorFailsTheCallUnsent(t *testing.T) {
	w := newSourceWorld(t)
	broken := errors.New("vault is sealed")
	var fail atomic.Bool
	src := losant.TokenSourceFunc(func() (string, error) {
		if fail.Load() {
			return "", broken
		}
		return w.old.Secret, nil
	})
	client := w.client(t, src)
	fail.Store(true)
	w.srv.ResetRequests()
	err := w.get(context.Background(), client)
	assert.ErrorIs(t, err, broken)
	assert.ErrorContains(t, err, "losant: token source: vault is sealed")
	assert.Empty(t, w.statuses(), "nothing is sent")

	_, err = losant.NewClient("", losant.WithTokenSource(src))
	assert.ErrorIs(t, err, broken)
	assert.ErrorContains(t, err, "losant: NewClient: token source: vault is sealed")
}

func TestWithTokenSourceIsChecked(t *testing.T) {
	t.Parallel()
	src := losant.TokenSourceFunc(func() (string, error) { return testToken, nil })
	for name, tc := range map[string]struct {
		token string
		opts  []losant.Option
		want  string
	}{
		"nil source":         {"", []losant.Option{losant.WithTokenSource(nil)}, "WithTokenSource: nil source"},
		"a token and source": {testToken, []losant.Option{losant.WithTokenSource(src)}, "both a token and WithTokenSource"},
		"an empty token":     {"", nil, "the API token is empty"},
		"source gives empty": {"", []losant.Option{losant.WithTokenSource(losant.TokenSourceFunc(func() (string, error) { return "", nil }))}, "the API token is empty"},
		"source gives a \\n": {"", []losant.Option{losant.WithTokenSource(losant.TokenSourceFunc(func() (string, error) { return "tok\n", nil }))}, "the API token has a control character at byte 3"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := losant.NewClient(tc.token, tc.opts...)
			assert.ErrorContains(t, err, "losant: NewClient: "+tc.want)
		})
	}
}

// A token source adds no allocation to a call: the header value of the
// token in use is kept.
func TestATokenSourceCostsNoAllocation(t *testing.T) {
	hc := &http.Client{Transport: cannedTransport{body: []byte(tokenJSON)}}
	path := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(path, []byte(testToken), 0o600))
	file, err := tokenfile.New(path)
	require.NoError(t, err)
	allocs := map[string]float64{}
	for name, opt := range map[string]losant.Option{
		"static": nil,
		"func":   losant.WithTokenSource(losant.TokenSourceFunc(func() (string, error) { return testToken, nil })),
		"file":   losant.WithTokenSource(file),
	} {
		token := ""
		if opt == nil {
			token = testToken
		}
		client, err := losant.NewClient(token, losant.WithHTTPClient(hc), opt)
		require.NoError(t, err)
		allocs[name] = testing.AllocsPerRun(200, func() {
			_, err := client.APITokens(losant.Application(applicationID)).Get(context.Background(), apiTokenID)
			require.NoError(t, err)
		})
	}
	assert.Equal(t, allocs["static"], allocs["func"])
	assert.Equal(t, allocs["static"], allocs["file"])
}
