package losant_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/faultproxy"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
	"github.com/specdriven/losant/tokenfile"
)

// newDoerRequest is a request as a generated client builds one: its own
// headers, its own User-Agent, no Authorization.
func newDoerRequest(t *testing.T, method, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, body)
	require.NoError(t, err)
	req.Header.Set("X-Request-Id", "req-42")
	req.Header.Set("User-Agent", "devices-client/1.0")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func TestHTTPDoerSendsTheClientsHeadersAndKeepsTheRequests(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	var ops []string
	hooks := losant.Hooks{CallDone: func(_ context.Context, call losant.CallInfo, res losant.CallResult) {
		ops = append(ops, fmt.Sprint(call.Operation, " ", res.StatusCode, " ", res.Err))
	}}
	client := w.Client(t, w.UserBearer, losant.WithDomain("client.example.com"), losant.WithHooks(hooks))
	req := newDoerRequest(t, http.MethodGet, w.Server.URL+"/me/tokens/"+w.UserTarget.ID, nil)

	resp, err := client.HTTPDoer().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var token gen.APIToken
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&token), "the body comes back readable")
	assert.Equal(t, w.UserTarget.ID, token.ID)
	assert.Same(t, req, resp.Request, "the response names the caller's request, not the one that carried the token")
	assert.Empty(t, req.Header.Get("Authorization"), "the caller's request is not changed")

	sent := w.Server.Requests()
	got := sent[len(sent)-1]
	assert.Equal(t, "client.example.com", got.Domain)
	assert.Equal(t, "req-42", got.Header.Get("X-Request-Id"), "the request's own headers are sent")
	assert.Regexp(t, `^devices-client/1\.0 losant-go/`, got.Header.Get("User-Agent"))
	assert.Equal(t, losant.DefaultAcceptVersion, got.Header.Get("Accept-Version"))
	assert.Equal(t, []string{"GET /me/tokens/{id} 200 <nil>"}, ops, "hooks name the call by its route")
}

func TestHTTPDoerKeepsTheRequestsOwnDomainAndRefusesABadOne(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer, losant.WithDomain("client.example.com"))
	req := newDoerRequest(t, http.MethodGet, w.Server.URL+"/me/tokens/"+w.UserTarget.ID, nil)
	req.Header.Set("losantdomain", "request.example.com")
	resp, err := client.HTTPDoer().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	sent := w.Server.Requests()
	assert.Equal(t, "request.example.com", sent[len(sent)-1].Domain)

	req = newDoerRequest(t, http.MethodGet, w.Server.URL+"/me/tokens/"+w.UserTarget.ID, nil)
	req.Header.Set("losantdomain", jwtLike)
	_, err = client.HTTPDoer().Do(req)
	require.ErrorIs(t, err, losant.ErrInvalidArgument)
	assert.NotContains(t, err.Error(), jwtLike)
	assert.Len(t, w.Server.Requests(), len(sent), "nothing was sent")
}

func TestHTTPDoerRetriesByThePolicy(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	client := w.Client(t, w.UserBearer, losant.WithRetry(fastRetries))
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Times(2))
	resp, err := client.HTTPDoer().Do(newDoerRequest(t, http.MethodGet, w.Server.URL+"/me/tokens", nil))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Len(t, w.Server.Requests(), 3, "two 503s, then the answer")

	// A POST whose answer is lost is not sent again: the API may have made the token.
	w.Server.ResetRequests()
	w.Server.Inject(losanttest.Fault{LoseAnswer: true}, losanttest.Times(1))
	body := `{"name":"made once","scope":["all.User.read"]}`
	_, err = client.HTTPDoer().Do(newDoerRequest(t, http.MethodPost, w.Server.URL+"/me/tokens", strings.NewReader(body)))
	require.ErrorIs(t, err, losant.ErrMayHaveActed)
	sent := w.Server.Requests()
	require.Len(t, sent, 1)
	assert.Equal(t, http.StatusCreated, sent[0].LostStatus, "the API made the token the answer to which was lost")
}

func TestHTTPDoerRetriesACutAnswerThroughTheProxy(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaultProxy())
	client := w.ProxyClient(t, w.UserBearer, losant.WithRetry(fastRetries))
	w.Proxy.Set(faultproxy.Sequence(faultproxy.CutBody, faultproxy.DropAfter))
	resp, err := client.HTTPDoer().Do(newDoerRequest(t, http.MethodGet, w.Proxy.URL+"/me/tokens/"+w.UserTarget.ID, nil))
	require.NoError(t, err)
	defer resp.Body.Close()
	var token gen.APIToken
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&token), "the third attempt's whole body")
	assert.Equal(t, w.UserTarget.ID, token.ID)
	assert.Equal(t, 3, w.Proxy.Requests())
}

func TestHTTPDoerRereadsTheTokenFileAfterA401(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	path := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(path, []byte("tok_revoked_long_ago\n"), 0o600))
	src, err := tokenfile.New(path)
	require.NoError(t, err)
	client := w.Client(t, losanttest.Token{}, losant.WithTokenSource(src))
	require.NoError(t, os.WriteFile(path, []byte(w.UserBearer.Secret+"\n"), 0o600)) // rotated after the client read it

	resp, err := client.HTTPDoer().Do(newDoerRequest(t, http.MethodGet, w.Server.URL+"/me/tokens/"+w.UserTarget.ID, nil))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the 401 made the doer read the file again and send once more")
	sent := w.Server.Requests()
	require.Len(t, sent, 2)
	assert.Equal(t, http.StatusUnauthorized, sent[0].Status)
}

func TestHTTPDoerRefusesABodyOverTheLimit(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer, losant.WithMaxResponseBytes(64))
	_, err := client.HTTPDoer().Do(newDoerRequest(t, http.MethodGet, w.Server.URL+"/me/tokens/"+w.UserTarget.ID, nil))
	require.ErrorIs(t, err, losant.ErrResponseTooLarge)
	assert.NotContains(t, fmt.Sprintf("%v %#v", err, err), w.UserBearer.Secret)
}

func TestHTTPDoerSendsNothingOutsideTheBaseURL(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	reached := 0
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reached++
		mu.Unlock()
	}))
	client, err := losant.NewClient(testToken, losant.WithBaseURL(srv.URL+"/api"))
	require.NoError(t, err)
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	for _, url := range []string{
		other + "/api/me", // another host, whatever it resolves to
		strings.Replace(srv.URL, "http:", "https:", 1) + "/api/me", // another scheme
		"http://127.0.0.1:1/api/me",                                // another port
		srv.URL + "/admin",                                         // outside the base path
		srv.URL + "/apiary",                                        // a prefix of a segment is not the path
		srv.URL + "/api/..;/admin",                                 // read as .. by some gateways
		srv.URL + "/api/%2e%2e%3b/admin",
		srv.URL + "/api/..%5cadmin",
		srv.URL + "/api/a%2fb",
		"http://user:" + testToken + "@" + strings.TrimPrefix(srv.URL, "http://") + "/api/me",
	} {
		body := &closeRecorder{Reader: strings.NewReader("{}")}
		req, err := http.NewRequest(http.MethodPost, url, body)
		require.NoError(t, err, url)
		_, err = client.HTTPDoer().Do(req)
		require.ErrorIs(t, err, losant.ErrInvalidArgument, url)
		assert.NotContains(t, err.Error(), testToken)
		assert.True(t, body.closed, "the body is closed, as http.Client.Do closes it: %s", url)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Zero(t, reached, "nothing reached any server")
}

func TestHTTPDoerRedactsTheTokenFromWhatComesBack(t *testing.T) {
	t.Parallel()
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		w.Header().Set("X-Echo", auth)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"type":"Unauthorized","message":"bad token %s"}`, strings.TrimPrefix(auth, "Bearer "))
	}))
	client, err := losant.NewClient(testToken, losant.WithBaseURL(srv.URL))
	require.NoError(t, err)
	resp, err := client.HTTPDoer().Do(newDoerRequest(t, http.MethodGet, srv.URL+"/me", nil))
	require.NoError(t, err, "a 401 is an answer, not an error")
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.NotContains(t, string(body), testToken)
	assert.Contains(t, string(body), "[REDACTED]")
	assert.Equal(t, "Bearer [REDACTED]", resp.Header.Get("X-Echo"))
	assert.EqualValues(t, len(body), resp.ContentLength)
}

func TestHTTPDoerOfNoClientRefuses(t *testing.T) {
	t.Parallel()
	_, err := losant.HTTPDoer{}.Do(newDoerRequest(t, http.MethodGet, "https://api.losant.com/me", nil))
	require.Error(t, err)
	client, err := losant.NewClient(testToken)
	require.NoError(t, err)
	_, err = client.HTTPDoer().Do(nil)
	require.ErrorIs(t, err, losant.ErrInvalidArgument)
}

// closeRecorder is a request body that records being closed.
type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

// A token source that turns bad fails the doer's request unsent, with
// an error that says it is this package's and quotes nothing.
func TestHTTPDoerRefusesASourcesBadTokenUnsent(t *testing.T) {
	var reached atomic.Int32
	srv := testworld.Stub(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	next := testToken
	client, err := losant.NewClient("", losant.WithBaseURL(srv.URL), losant.WithTokenSource(losant.TokenSourceFunc(func() (string, error) { return next, nil })))
	require.NoError(t, err)
	next = "Bearer " + testToken
	_, err = client.HTTPDoer().Do(newDoerRequest(t, http.MethodGet, srv.URL+"/me", nil))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "losant: "), "%v", err)
	assert.NotContains(t, err.Error(), testToken)
	assert.Zero(t, reached.Load(), "nothing was sent")
}

// The token comes back in nothing of the doer's answer: not the status
// line's reason, not a trailer (tryout findings).
func TestHTTPDoerRedactsTheStatusLineAndTrailers(t *testing.T) {
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Echo")
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, "{}")
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
	}))
	client, err := losant.NewClient(testToken, losant.WithBaseURL(srv.URL))
	require.NoError(t, err)
	resp, err := client.HTTPDoer().Do(newDoerRequest(t, http.MethodGet, srv.URL+"/me", nil))
	require.NoError(t, err)
	assert.Equal(t, "Bearer [REDACTED]", resp.Trailer.Get("X-Echo"))

	raw := "http://" + testworld.Raw(t, testworld.Reply("HTTP/1.1 502 Bearer "+testToken+"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
	client, err = losant.NewClient(testToken, losant.WithBaseURL(raw), losant.WithoutRetries())
	require.NoError(t, err)
	resp, err = client.HTTPDoer().Do(newDoerRequest(t, http.MethodGet, raw+"/me", nil))
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.NotContains(t, resp.Status, testToken)
}

// A request whose URL is opaque, or whose Host names another origin, is
// refused unsent: either would send the token past the path and origin
// checks (tryout findings).
func TestHTTPDoerRefusesAnOpaqueURLOrAnotherHost(t *testing.T) {
	var reached atomic.Int32
	srv := testworld.Stub(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	client, err := losant.NewClient(testToken, losant.WithBaseURL(srv.URL+"/api"))
	require.NoError(t, err)
	for name, edit := range map[string]func(*http.Request){
		"opaque with ..":    func(r *http.Request) { r.URL.Opaque = "/admin/../secret" },
		"opaque to a proxy": func(r *http.Request) { r.URL.Opaque = "//evil.example/api/x" },
		"another Host":      func(r *http.Request) { r.Host = "internal.example" },
	} {
		req := newDoerRequest(t, http.MethodGet, srv.URL+"/api/me", nil)
		edit(req)
		_, err := client.HTTPDoer().Do(req)
		require.ErrorIs(t, err, losant.ErrInvalidArgument, name)
	}
	assert.Zero(t, reached.Load(), "nothing was sent")
}

// A token in the request's path (an argument pasted in the wrong place)
// is in no hook's CallInfo and no error (tryout finding).
func TestATokenInTheRequestPathIsInNoCallInfoOrError(t *testing.T) {
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) }))
	var rec recorder
	client, err := losant.NewClient(testToken, losant.WithBaseURL(srv.URL), losant.WithHooks(rec.hooks()), losant.WithoutRetries())
	require.NoError(t, err)
	resp, err := client.HTTPDoer().Do(newDoerRequest(t, http.MethodGet, srv.URL+"/applications/"+applicationID+"/devices/"+testToken, nil))
	require.NoError(t, err)
	resp.Body.Close()
	err = client.Do(context.Background(), http.MethodGet, "applications/"+applicationID+"/devices/"+testToken, nil, nil)
	require.Error(t, err)
	assert.NotContains(t, fmt.Sprintf("%v %#v", err, err), testToken)
	assert.NotContains(t, rec.everything(), testToken)
	assert.Contains(t, rec.everything(), "GET /applications/{id}/devices/[REDACTED]")
}

func TestANilTokenSourceFuncIsAnErrorNotAPanic(t *testing.T) {
	var f losant.TokenSourceFunc
	_, err := losant.NewClient("", losant.WithTokenSource(f))
	require.Error(t, err)
	req, _ := http.NewRequest(http.MethodGet, "https://api.losant.com/me", nil)
	require.Error(t, losant.BearerAuth(f)(context.Background(), req))
}

// A request that asks for gzip itself gets the body decompressed and
// redacted, not compressed past the redaction (GUIDE's promise: the
// request's own Accept-Encoding is dropped).
func TestHTTPDoerRedactsACompressedAnswer(t *testing.T) {
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		fmt.Fprintf(zw, `{"echo":%q}`, r.Header.Get("Authorization"))
		zw.Close()
	}))
	client, err := losant.NewClient(testToken, losant.WithBaseURL(srv.URL))
	require.NoError(t, err)
	req := newDoerRequest(t, http.MethodGet, srv.URL+"/me", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := client.HTTPDoer().Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.JSONEq(t, `{"echo":"Bearer [REDACTED]"}`, string(body), "decompressed, and redacted")
}
