package losanttest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/losanttest"
)

// The fake's limits, as docs/FAKE.md and docs/RELIABILITY.md state them.
const (
	fakeMaxRequestBytes = 64 << 10 // a body over this is 413
	fakeMaxFilterLength = 1024     // a filter over this many bytes is 400
)

// hostile is a fake with a user token, and a raw request helper that
// decodes the answer's Error JSON.
type hostile struct {
	srv    *losanttest.Server
	secret string
}

func newHostile(t *testing.T, opts ...losanttest.Option) *hostile {
	t.Helper()
	srv := losanttest.New(t, opts...)
	user := srv.AddUser(losanttest.User{ID: hostileUser})
	srv.AddApplication(losanttest.Application{ID: hostileApp, OwnerID: user.ID})
	srv.AddInstance(losanttest.Instance{ID: hostileInstance, Members: []string{user.ID}})
	tok := srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	return &hostile{srv: srv, secret: tok.Secret}
}

const (
	hostileUser     = "575ed70c7ae143cd83dc4aa9"
	hostileApp      = "575ec8687ae143cd83dc4a97"
	hostileInstance = "575ec8687ae143cd83dc4a99"
)

// hostileCollections are the collection path of every owner's tokens.
var hostileCollections = []string{"/me/tokens", "/applications/" + hostileApp + "/tokens", "/instances/" + hostileInstance + "/tokens"}

// Every rule against hostile input holds on every owner's routes: a body
// before authentication, one over fakeMaxRequestBytes, nesting, absurd paging
// and filters, and IDs that are not IDs.
func TestHostileInputIsRefusedOnEveryOwnersRoutes(t *testing.T) {
	h := newHostile(t)
	deep := strings.Repeat("[", 40) + strings.Repeat("]", 40)
	for _, tokens := range hostileCollections {
		one := tokens + "/575ec7417ae143cd83dc4a95"
		for _, tc := range []struct {
			method, path string
			body         io.Reader
			bearer       bool
			status       int
		}{
			{http.MethodPost, tokens, strings.NewReader(`{"name":"x"}`), false, http.StatusUnauthorized},
			{http.MethodPost, tokens, io.LimitReader(&endless{}, fakeMaxRequestBytes+1), true, http.StatusRequestEntityTooLarge},
			{http.MethodPatch, one, strings.NewReader(`{"name":` + deep + `}`), true, http.StatusBadRequest},
			{http.MethodGet, tokens + "?page=99999999999999999999", nil, true, http.StatusBadRequest},
			{http.MethodGet, tokens + "?page=9223372036854775807&perPage=9223372036854775807", nil, true, http.StatusOK},
			{http.MethodGet, tokens + "?filter=" + strings.Repeat("*a", fakeMaxFilterLength), nil, true, http.StatusBadRequest},
			{http.MethodGet, tokens + "/not-an-id", nil, true, http.StatusBadRequest},
			{http.MethodPut, one, nil, true, http.StatusMethodNotAllowed},
		} {
			t.Run(fmt.Sprintf("%s %.60s", tc.method, tc.path), func(t *testing.T) {
				a := h.do(t, tc.method, tc.path, tc.body, tc.bearer)
				assert.Equal(t, tc.status, a.status, "%s %.80s", tc.method, tc.path)
				assert.Less(t, a.size, 2048, "%s %.80s: a bounded answer", tc.method, tc.path)
			})
		}
	}
}

type answer struct {
	status  int
	typ     string
	message string
	size    int
}

func (h *hostile) do(t *testing.T, method, path string, body io.Reader, bearer bool) answer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang guard, not a timing check
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, h.srv.URL+path, body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if bearer {
		req.Header.Set("Authorization", "Bearer "+h.secret)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var e struct{ Type, Message string }
	_ = json.Unmarshal(raw, &e)
	return answer{status: resp.StatusCode, typ: e.Type, message: e.Message, size: len(raw)}
}

// Paging arithmetic cannot overflow: a page far past the last is empty,
// never a panic and a reset connection.
func TestListPagesFarPastTheEndAreEmpty(t *testing.T) {
	h := newHostile(t)
	for _, q := range []string{
		"page=92233720368547759&perPage=100",
		"page=9223372036854775807&perPage=9223372036854775807",
		"page=1&perPage=9223372036854775807",
	} {
		a := h.do(t, http.MethodGet, "/me/tokens?"+q, nil, true)
		assert.Equal(t, http.StatusOK, a.status, q)
	}
	a := h.do(t, http.MethodGet, "/me/tokens?page=99999999999999999999", nil, true)
	assert.Equal(t, http.StatusBadRequest, a.status, "a page beyond int64 is a bad request")
}

// The glob filter matches as documented; one of many stars against many
// long names answers at once; one over fakeMaxFilterLength is refused.
func TestListFiltersHoldAgainstHostileGlobs(t *testing.T) {
	h := newHostile(t)
	client := h.srv.Client(h.secret)
	for i := range 200 {
		h.srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: mustOwner(t, client),
			Name: fmt.Sprintf("%s-%03d", strings.Repeat("a", 240), i)})
	}
	stars := strings.Repeat("*", fakeMaxFilterLength-1) + "b"
	a := h.do(t, http.MethodGet, "/me/tokens?filter="+stars, nil, true)
	assert.Equal(t, http.StatusOK, a.status)

	long := strings.Repeat("*", fakeMaxFilterLength+1)
	a = h.do(t, http.MethodGet, "/me/tokens?filter="+long, nil, true)
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.Contains(t, a.message, `query parameter "filter"`)

	for filter, want := range map[string]int{"*": 201, "a*-00*": 10, "A*-199": 1, "*-1*9": 10, "*a*a*a*-000": 1, "a": 0, "*x*": 0, "**": 201} {
		t.Run(fmt.Sprint(filter), func(t *testing.T) {
			page, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{Filter: filter, PerPage: 1000})
			require.NoError(t, err)
			assert.Equal(t, want, page.TotalCount, "filter %q", filter)
		})
	}
}

// mustOwner is the ID of the user the client acts as.
func mustOwner(t *testing.T, client *losant.Client) string {
	t.Helper()
	page, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{PerPage: 1})
	require.NoError(t, err)
	return page.OwnerID
}

// Error answers are bounded, and still name the field and the rule: a
// body of deeply nested arrays, or a scope outside a 15 KB enum, do not
// make a message of megabytes.
func TestErrorMessagesAreBounded(t *testing.T) {
	h := newHostile(t)
	nested := `{"name": "x", "scope": ` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`
	deep := `{"name": "x", "scope": ` + strings.Repeat("[", 4000) + strings.Repeat("]", 4000) + `}`
	for body, want := range map[string]string{
		deep:   "body: nested 4001 levels deep, over 32",
		nested: "body: nested 10001 levels deep, over 32",
		`{"name": "x", "scope": ["\\\"` + strings.Repeat("[", 40) + `"]}`: "body field /scope/0", // brackets in a string do not nest
		`{"name": "x", "scope": ["all.Nothing"]}`:                         "body field /scope/0",
		`{"name": "` + strings.Repeat("é", 300) + `"}`:                    "body field /name: maximum string length is 255",
		`{"name": "x", "bogus": 1}`:                                       "body: property \"bogus\" is unsupported",
	} {
		a := h.do(t, http.MethodPost, "/me/tokens", strings.NewReader(body), true)
		assert.Equal(t, http.StatusBadRequest, a.status)
		assert.Contains(t, a.message, want)
		assert.LessOrEqual(t, a.size, 2048, "%s...: a bounded answer", body[:20])
	}
}

// endless is a body that never ends, counting what was read of it.
type endless struct{ read atomic.Int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.read.Add(int64(len(p)))
	return len(p), nil
}

// No byte of a body is wanted before the bearer token passes: a huge body
// without a token is answered 401 having been read no further than
// net/http's own drain. With a token, a body over fakeMaxRequestBytes is 413.
func TestBodiesAreReadOnlyAfterAuthenticationAndBounded(t *testing.T) {
	h := newHostile(t)
	body := &endless{}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang guard
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.srv.URL+"/me/tokens", io.LimitReader(body, 1<<30))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	if err == nil { // usually the 401 arrives; the client may instead see the connection closed mid-body
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	assert.Less(t, body.read.Load(), int64(64<<20), "the client did not get to send its GiB")
	assert.NoError(t, ctx.Err(), "the server did not wait for the whole body")

	a := h.do(t, http.MethodPost, "/me/tokens", io.LimitReader(&endless{}, fakeMaxRequestBytes+1), true)
	assert.Equal(t, http.StatusRequestEntityTooLarge, a.status)
	assert.Equal(t, "RequestTooLarge", a.typ)
}

// A connection that sends its headers slowly, or stops in the middle of a
// body, is closed by the server's timeouts: it cannot hold a connection.
func TestSlowConnectionsAreClosed(t *testing.T) {
	h := newHostile(t, losanttest.WithTimeouts(losanttest.Timeouts{ReadHeader: 200 * time.Millisecond, Read: 300 * time.Millisecond}))
	addr := strings.TrimPrefix(h.srv.URL, "http://")
	for name, send := range map[string]string{
		"slow headers": "GET /me/tokens HTTP/1.1\r\nHost: x\r\n",
		"stalled body": "POST /me/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + h.secret +
			"\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\": ",
	} {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			require.NoError(t, err)
			_, err = io.WriteString(conn, send)
			require.NoError(t, err)
			require.NoError(t, conn.SetReadDeadline(time.Now().Add(20*time.Second))) // a hang guard
			_, err = io.ReadAll(conn)                                                // returns once the server closes the connection
			assert.NoError(t, err, "%s: the server closed the connection", name)
			conn.Close()
		})
	}
}

// Shutdown lets requests in flight finish within its grace, then closes
// what is left, such as a client stalled in the middle of a body.
func TestShutdownEndsStalledClients(t *testing.T) {
	srv, err := losanttest.NewServer()
	require.NoError(t, err)
	user := srv.AddUser(losanttest.User{})
	tok := srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /me/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+tok.Secret+
		"\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond) // let the server start reading the body

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(ctx) }()
	select {
	case err := <-done:
		// Usually the request is in flight, and the grace ends first; on a
		// slow machine the server may not have read its headers yet, and
		// closes it as a new connection. Either way it returns, and closes it.
		if err != nil {
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		}
	case <-time.After(20 * time.Second): // a hang guard
		t.Fatal("Shutdown did not return")
	}
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, err = io.ReadAll(conn)
	assert.NoError(t, err, "the stalled connection was closed")
}

// The request log keeps the last N requests, and can be reset.
func TestRequestLogIsBounded(t *testing.T) {
	h := newHostile(t, losanttest.WithRequestLog(3))
	for i := range 5 {
		h.do(t, http.MethodGet, fmt.Sprintf("/me/tokens?page=%d", i), nil, true)
	}
	got := h.srv.Requests()
	require.Len(t, got, 3)
	for _, r := range got {
		assert.Equal(t, losanttest.ListUserAPITokens, r.Operation)
	}
	h.srv.ResetRequests()
	assert.Empty(t, h.srv.Requests())
	h.do(t, http.MethodGet, "/me/tokens", nil, true)
	assert.Len(t, h.srv.Requests(), 1)

	off := newHostile(t, losanttest.WithRequestLog(0))
	off.do(t, http.MethodGet, "/me/tokens", nil, true)
	assert.Empty(t, off.srv.Requests())
}
