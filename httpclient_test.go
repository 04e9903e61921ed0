package losant_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
)

// redirectTarget records the Authorization header of the requests it gets.
type redirectTarget struct {
	mu   sync.Mutex
	auth []string
}

func (r *redirectTarget) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.auth = append(r.auth, req.Header.Get("Authorization"))
	r.mu.Unlock()
	w.Header().Set("Content-Type", jsonType)
	_, _ = io.WriteString(w, tokenJSON)
}

func (r *redirectTarget) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.auth[len(r.auth)-1]
}

// The token goes only to the origin the client was given: a redirect to
// another host, or to another port of the same host, loses it; a redirect
// within the origin keeps it. This holds for the caller's http.Client too.
func TestRedirectsKeepTheTokenInItsOrigin(t *testing.T) {
	t.Parallel()
	target := &redirectTarget{}
	targetURL, err := url.Parse(testworld.Stub(t, target).URL)
	require.NoError(t, err)
	otherHost := "http://localhost:" + targetURL.Port() // 127.0.0.1 and localhost are different hosts

	var origin string
	origin = testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/moved/"):
			target.ServeHTTP(w, r)
		case strings.HasPrefix(r.URL.Path, "/same/"):
			http.Redirect(w, r, origin+"/moved"+r.URL.Path, http.StatusTemporaryRedirect)
		case strings.HasPrefix(r.URL.Path, "/port/"):
			http.Redirect(w, r, targetURL.String()+r.URL.Path, http.StatusTemporaryRedirect)
		default:
			http.Redirect(w, r, otherHost+r.URL.Path, http.StatusFound)
		}
	})).URL
	var userRedirects int
	userClient := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { userRedirects++; return nil }}
	for name, opts := range map[string][]losant.Option{"default client": nil, "caller's client": {losant.WithHTTPClient(userClient)}} {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			for _, to := range []string{"host", "port", "same"} {
				client, err := losant.NewClient(testToken, append([]losant.Option{losant.WithBaseURL(origin + "/" + to)}, opts...)...)
				require.NoError(t, err)
				_, err = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
				require.NoError(t, err, "%s, redirect to another %s", name, to)
				if to == "same" {
					assert.Equal(t, "Bearer "+testToken, target.last(), "%s: same origin keeps the token", name)
				} else {
					assert.Empty(t, target.last(), "%s: redirect to another %s drops the token", name, to)
				}
			}
		})
	}
	assert.Equal(t, 3, userRedirects, "the caller's CheckRedirect still runs")
}

func TestResponseLimit(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	huge := `{"name": "` + strings.Repeat("x", losant.DefaultMaxResponseBytes) + `"}`
	srv.respond(reply{status: 200, contentType: jsonType, body: huge, offSpec: true})
	_, err := newTestClient(t, srv).APITokens(losant.User()).Get(context.Background(), apiTokenID)
	assertTooLarge(t, err, 200, losant.DefaultMaxResponseBytes)

	small := newTestClient(t, srv, losant.WithMaxResponseBytes(int64(len(tokenJSON))))
	srv.respond(reply{status: 200, contentType: jsonType, body: tokenJSON})
	_, err = small.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	require.NoError(t, err, "a body of exactly the limit is read")
	srv.respond(reply{status: 404, contentType: jsonType, body: tokenJSON + " ", offSpec: true})
	_, err = small.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	assertTooLarge(t, err, 404, 0) // its Content-Length is over the limit: nothing is read
}

// A body that would never end, or one whose Content-Length is over the
// limit, fails at the limit: it is not read into memory first.
func TestEndlessBodyIsNotRead(t *testing.T) {
	t.Parallel()
	chunk := []byte(strings.Repeat("x", 32<<10))
	url := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonType)
		if r.URL.Path == "/declared/me/tokens/"+apiTokenID {
			w.Header().Set("Content-Length", "10000000000")
		}
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})).URL
	for _, base := range []string{url, url + "/declared"} {
		t.Run(fmt.Sprint(base), func(t *testing.T) {
			client, err := losant.NewClient(testToken, losant.WithBaseURL(base), losant.WithMaxResponseBytes(1<<16))
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_, err = client.APITokens(losant.User()).Get(ctx, apiTokenID)
			cancel()
			assertTooLarge(t, err, 200, -1)
			assert.False(t, errors.Is(err, context.DeadlineExceeded), base)
		})
	}
}

func assertTooLarge(t *testing.T, err error, status, kept int) {
	t.Helper()
	require.ErrorIs(t, err, losant.ErrResponseTooLarge)
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, status, apiErr.StatusCode)
	if kept >= 0 {
		assert.Len(t, apiErr.Body, kept, "only the limit is kept")
	}
}

// net/http follows a 301, 302 or 303 by resending a PATCH, POST or DELETE
// as a GET without its body. The client refuses: the write fails with a
// *Error of the redirect's status naming the target's host, the server sees
// no GET in its place, and the write is not retried.
func TestWritesBehindMethodChangingRedirectsFail(t *testing.T) {
	t.Parallel()
	var (
		mu      sync.Mutex
		methods []string
	)
	base := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		methods = append(methods, r.Method)
		mu.Unlock()
		status, _ := strconv.Atoi(strings.Split(r.URL.Path, "/")[1])
		http.Redirect(w, r, "http://localhost:1/moved?secret=abc#frag", status) // never reached: nothing listens there
	})).URL
	host := "localhost:1"
	writes := map[string]func(*losant.Client) error{
		"PATCH": func(c *losant.Client) error {
			_, err := c.APITokens(losant.User()).Patch(context.Background(), apiTokenID, examplePatch)
			return err
		},
		"POST": func(c *losant.Client) error {
			_, err := c.APITokens(losant.Application(applicationID)).Create(context.Background(), gen.APITokenPost{Name: "n"})
			return err
		},
		"DELETE": func(c *losant.Client) error {
			return c.APITokens(losant.Application(applicationID)).Delete(context.Background(), apiTokenID)
		},
	}
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			for method, write := range writes {
				for name, opts := range map[string][]losant.Option{"default client": nil, "caller's client": {losant.WithHTTPClient(&http.Client{})}} {
					mu.Lock()
					methods = nil
					mu.Unlock()
					client, err := losant.NewClient(testToken, append(opts, losant.WithBaseURL(fmt.Sprintf("%s/%d", base, status)))...)
					require.NoError(t, err)
					err = write(client)

					what := fmt.Sprintf("%s behind a %d, %s", method, status, name)
					var redirect *losant.Error
					require.ErrorAs(t, err, &redirect, what)
					assert.Equal(t, status, losant.StatusCode(err), what)
					assert.Equal(t, method, redirect.Method, what)
					assert.NotEmpty(t, redirect.Path, what)
					assert.Contains(t, err.Error(), fmt.Sprintf("host %q", host), what)
					assert.Contains(t, err.Error(), strconv.Itoa(status), what)
					assert.NotContains(t, err.Error(), testToken, what)
					assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), "secret=abc", "%s: the target's query is never quoted", what)
					assert.NotErrorIs(t, err, losant.ErrMayHaveActed, "%s: a redirect answers that nothing was done here", what)
					assert.NotContains(t, err.Error(), "losant: losant:", what)
					mu.Lock()
					assert.Equal(t, []string{method}, methods, "%s: sent once, never as a GET, never retried", what)
					mu.Unlock()
				}
			}
		})
	}
}

// A redirect whose target carries the access token (in its path, its
// query) to a host that cannot be reached: the error names the scheme,
// host and path, with the token cut out, and never the query.
func TestAFailedRedirectNeverQuotesTheTokenOrTheQuery(t *testing.T) {
	t.Parallel()
	base := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:1/x/"+testToken+"/gone?k=v-query", http.StatusTemporaryRedirect)
	})).URL
	client, err := losant.NewClient(testToken, losant.WithBaseURL(base), losant.WithoutRetries())
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	require.Error(t, err)
	printed := fmt.Sprintf("%v %+v %#v", err, err, err)
	assert.NotContains(t, printed, testToken)
	assert.NotContains(t, printed, "v-query")
	assert.Contains(t, err.Error(), "localhost:1/x/[REDACTED]/gone", "where the call went, without the secret")
}

// 307 and 308 keep the method and the body, so they are followed.
func TestWritesFollowMethodKeepingRedirects(t *testing.T) {
	t.Parallel()
	var got recorded
	var mu sync.Mutex
	base := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/moved/") {
			status, _ := strconv.Atoi(strings.Split(r.URL.Path, "/")[1])
			http.Redirect(w, r, "/moved"+r.URL.Path, status)
			return
		}
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = recorded{Method: r.Method, Path: r.URL.Path, Body: body, Header: r.Header.Clone()}
		mu.Unlock()
		w.Header().Set("Content-Type", jsonType)
		_, _ = io.WriteString(w, tokenJSON)
	})).URL
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			client, err := losant.NewClient(testToken, losant.WithBaseURL(fmt.Sprintf("%s/%d", base, status)))
			require.NoError(t, err)
			_, err = client.APITokens(losant.User()).Patch(context.Background(), apiTokenID, examplePatch)
			require.NoError(t, err, status)
			mu.Lock()
			assert.Equal(t, http.MethodPatch, got.Method, status)
			assert.JSONEq(t, patchJSON, string(got.Body), "%d: the body is resent", status)
			assert.Equal(t, "Bearer "+testToken, got.Header.Get("Authorization"), "%d: same origin keeps the token", status)
			mu.Unlock()
		})
	}
}

// With no http.Client given, concurrent callers reuse their connections:
// Go's default transport keeps only 2 idle per host and would open one for
// almost every call here. (A caller may briefly dial a spare connection,
// hence the slack; the benchmarks count them.)
func TestDefaultClientDoesNotChurnConnections(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Server.Client(w.UserBearer.Secret)                                                          // the library's default http.Client
	_, err := w.Client(t, w.UserBearer).APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID) // for the spec check
	require.NoError(t, err)
	const goroutines, calls = 16, 50
	inParallel(t, goroutines, func(int) error {
		for i := 0; i < calls; i++ {
			if _, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID); err != nil {
				return err
			}
		}
		return nil
	})
	assert.LessOrEqual(t, w.Server.Connections(), 2*goroutines, "connections opened for %d calls", goroutines*calls)
}
