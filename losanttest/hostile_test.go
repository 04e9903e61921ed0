package losanttest_test

import (
	"context"
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
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// The fake's limits, as docs/FAKE.md and docs/RELIABILITY.md state them.
const (
	fakeMaxRequestBytes = 64 << 10 // a body over this is 413
	fakeMaxFilterLength = 1024     // a filter over this many bytes is 400
)

// collections are the collection path of every owner's tokens that the
// world's UserBearer reaches.
func collections(w *testworld.World) []string {
	return []string{"/me/tokens", "/applications/" + w.App.ID + "/tokens", "/instances/" + w.Instance.ID + "/tokens"}
}

// Every rule against hostile input holds on every owner's routes: a body
// before authentication, one over fakeMaxRequestBytes, nesting, absurd paging
// and filters, and IDs that are not IDs.
func TestHostileInputIsRefusedOnEveryOwnersRoutes(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	deep := strings.Repeat("[", 40) + strings.Repeat("]", 40)
	for _, tokens := range collections(w) {
		one := tokens + "/575ec7417ae143cd83dc4a95"
		for _, tc := range []struct {
			method, path string
			body         io.Reader
			bearer       losanttest.Token
			status       int
		}{
			{http.MethodPost, tokens, strings.NewReader(`{"name":"x"}`), losanttest.Token{}, http.StatusUnauthorized},
			{http.MethodPost, tokens, io.LimitReader(&endless{}, fakeMaxRequestBytes+1), w.UserBearer, http.StatusRequestEntityTooLarge},
			{http.MethodPatch, one, strings.NewReader(`{"name":` + deep + `}`), w.UserBearer, http.StatusBadRequest},
			{http.MethodGet, tokens + "?page=99999999999999999999", nil, w.UserBearer, http.StatusBadRequest},
			{http.MethodGet, tokens + "?page=9223372036854775807&perPage=9223372036854775807", nil, w.UserBearer, http.StatusOK},
			{http.MethodGet, tokens + "?filter=" + strings.Repeat("*a", fakeMaxFilterLength), nil, w.UserBearer, http.StatusBadRequest},
			{http.MethodGet, tokens + "/not-an-id", nil, w.UserBearer, http.StatusBadRequest},
			{http.MethodPut, one, nil, w.UserBearer, http.StatusMethodNotAllowed},
		} {
			t.Run(fmt.Sprintf("%s %.60s", tc.method, tc.path), func(t *testing.T) {
				a := w.Send(t, tc.bearer, tc.method, tc.path, tc.body).Answered(t)
				assert.Equal(t, tc.status, a.Status, "%s %.80s", tc.method, tc.path)
				assert.Less(t, a.Size, 2048, "%s %.80s: a bounded answer", tc.method, tc.path)
			})
		}
	}
}

// Paging arithmetic cannot overflow: a page far past the last is empty,
// never a panic and a reset connection.
func TestListPagesFarPastTheEndAreEmpty(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	for _, q := range []string{
		"page=92233720368547759&perPage=100",
		"page=9223372036854775807&perPage=9223372036854775807",
		"page=1&perPage=9223372036854775807",
	} {
		a := w.Send(t, w.UserBearer, http.MethodGet, "/me/tokens?"+q, nil).Answered(t)
		assert.Equal(t, http.StatusOK, a.Status, q)
	}
	a := w.Send(t, w.UserBearer, http.MethodGet, "/me/tokens?page=99999999999999999999", nil).Answered(t)
	assert.Equal(t, http.StatusBadRequest, a.Status, "a page beyond int64 is a bad request")
}

// The glob filter matches as documented; one of many stars against many
// long names answers at once; one over fakeMaxFilterLength is refused.
func TestListFiltersHoldAgainstHostileGlobs(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer)
	// The world seeds User four tokens (UserBearer, ReadOnly, Unscoped,
	// UserTarget), whose names only the filters of stars alone match.
	const seeded = 4
	before, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{})
	require.NoError(t, err)
	require.Equal(t, seeded, before.TotalCount, "the world's tokens of User")
	for i := range 200 {
		w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID,
			Name: fmt.Sprintf("%s-%03d", strings.Repeat("a", 240), i)})
	}
	stars := strings.Repeat("*", fakeMaxFilterLength-1) + "b"
	a := w.Send(t, w.UserBearer, http.MethodGet, "/me/tokens?filter="+stars, nil).Answered(t)
	assert.Equal(t, http.StatusOK, a.Status)

	long := strings.Repeat("*", fakeMaxFilterLength+1)
	a = w.Send(t, w.UserBearer, http.MethodGet, "/me/tokens?filter="+long, nil).Answered(t)
	assert.Equal(t, http.StatusBadRequest, a.Status)
	assert.Contains(t, a.Message, `query parameter "filter"`)

	for filter, want := range map[string]int{"*": 200 + seeded, "a*-00*": 10, "A*-199": 1, "*-1*9": 10, "*a*a*a*-000": 1, "a": 0, "*x*": 0, "**": 200 + seeded} {
		t.Run(fmt.Sprint(filter), func(t *testing.T) {
			page, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{Filter: filter, PerPage: 1000})
			require.NoError(t, err)
			assert.Equal(t, want, page.TotalCount, "filter %q", filter)
		})
	}
}

// Error answers are bounded, and still name the field and the rule: a
// body of deeply nested arrays, or a scope outside a 15 KB enum, do not
// make a message of megabytes.
func TestErrorMessagesAreBounded(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
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
		a := w.Send(t, w.UserBearer, http.MethodPost, "/me/tokens", strings.NewReader(body)).Answered(t)
		assert.Equal(t, http.StatusBadRequest, a.Status)
		assert.Contains(t, a.Message, want)
		assert.LessOrEqual(t, a.Size, 2048, "%s...: a bounded answer", body[:20])
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
	t.Parallel()
	w := testworld.New(t)
	body := &endless{}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang guard
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.Server.URL+"/me/tokens", io.LimitReader(body, 1<<30))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	if err == nil { // usually the 401 arrives; the client may instead see the connection closed mid-body
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	assert.Less(t, body.read.Load(), int64(64<<20), "the client did not get to send its GiB")
	assert.NoError(t, ctx.Err(), "the server did not wait for the whole body")

	a := w.Send(t, w.UserBearer, http.MethodPost, "/me/tokens", io.LimitReader(&endless{}, fakeMaxRequestBytes+1)).Answered(t)
	assert.Equal(t, http.StatusRequestEntityTooLarge, a.Status)
	assert.Equal(t, "RequestTooLarge", a.Type)
}

// A connection that sends its headers slowly, or stops in the middle of a
// body, is closed by the server's timeouts: it cannot hold a connection.
func TestSlowConnectionsAreClosed(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFake(
		losanttest.WithTimeouts(losanttest.Timeouts{ReadHeader: 200 * time.Millisecond, Read: 300 * time.Millisecond})))
	addr := strings.TrimPrefix(w.Server.URL, "http://")
	for name, send := range map[string]string{
		"slow headers": "GET /me/tokens HTTP/1.1\r\nHost: x\r\n",
		"stalled body": "POST /me/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + w.UserBearer.Secret +
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
	t.Parallel()
	srv, err := losanttest.NewServer()
	require.NoError(t, err)
	user := srv.AddUser(losanttest.User{})
	tok := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
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
	t.Parallel()
	w := testworld.New(t, testworld.WithFake(losanttest.WithRequestLog(3)))
	for i := range 5 {
		w.Send(t, w.UserBearer, http.MethodGet, fmt.Sprintf("/me/tokens?page=%d", i), nil).Answered(t)
	}
	got := w.Server.Requests()
	require.Len(t, got, 3)
	for _, r := range got {
		assert.Equal(t, losanttest.ListUserAPITokens, r.Operation)
	}
	w.Server.ResetRequests()
	assert.Empty(t, w.Server.Requests())
	w.Send(t, w.UserBearer, http.MethodGet, "/me/tokens", nil).Answered(t)
	assert.Len(t, w.Server.Requests(), 1)

	off := testworld.New(t, testworld.WithFake(losanttest.WithRequestLog(0)))
	off.Send(t, off.UserBearer, http.MethodGet, "/me/tokens", nil).Answered(t)
	assert.Empty(t, off.Server.Requests())
}

// A page larger than the answers' budget alone is refused 400
// LimitExceeded rather than held in memory for a slow reader.
func TestAPageOverTheAnswersBudgetIsRefused(t *testing.T) {
	srv := losanttest.New(t, losanttest.WithLimits(losanttest.Limits{AnswerBytes: 4 << 10}))
	user := srv.AddUser(losanttest.User{})
	bearer := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	for range 40 {
		srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Description: strings.Repeat("d", 200)})
	}
	client := srv.Client(bearer.Secret)
	_, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{PerPage: 100})
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, "LimitExceeded", apiErr.Type)
	page, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{PerPage: 5})
	require.NoError(t, err, "a page within the budget is answered")
	assert.Len(t, page.Items, 5)
}
