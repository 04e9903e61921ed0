package losanttest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

// faultWorld is a fake with one user token, and a raw HTTP getter for it.
func faultWorld(t *testing.T) (*losanttest.Server, func(ctx context.Context) (*http.Response, error)) {
	t.Helper()
	srv := losanttest.New(t)
	user := srv.AddUser(losanttest.User{})
	tok := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	get := func(ctx context.Context) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/me/tokens/"+tok.ID, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tok.Secret)
		return http.DefaultClient.Do(req)
	}
	return srv, get
}

func TestStatusFaultMeetsTheNextNRequests(t *testing.T) {
	t.Parallel()
	srv, get := faultWorld(t)
	srv.Inject(losanttest.Fault{Status: 503, RetryAfter: "7"}, losanttest.Times(2))
	srv.Inject(losanttest.Fault{Status: 429, RetryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"}, losanttest.Times(1))
	want := []struct {
		status     int
		retryAfter string
	}{{503, "7"}, {503, "7"}, {429, "Wed, 21 Oct 2015 07:28:00 GMT"}, {200, ""}, {200, ""}}
	for i, w := range want {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			resp, err := get(context.Background())
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, w.status, resp.StatusCode, "request %d", i)
			assert.Equal(t, w.retryAfter, resp.Header.Get("Retry-After"), "request %d", i)
			if w.status != 200 {
				assert.JSONEq(t, `{"type":"Fault","message":"injected by losanttest: `+http.StatusText(w.status)+`"}`, string(body))
			}
		})
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 5)
	assert.True(t, reqs[0].Fault && reqs[2].Fault && !reqs[3].Fault)
	assert.Equal(t, losanttest.GetUserAPIToken, reqs[3].Operation)
}

func TestDropFaultClosesTheConnection(t *testing.T) {
	t.Parallel()
	srv, get := faultWorld(t)
	srv.Inject(losanttest.Fault{Drop: true}, losanttest.Times(1))
	_, err := get(context.Background())
	require.Error(t, err, "no answer")
	resp, err := get(context.Background())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 0, srv.Requests()[0].Status)
}

func TestMalformedFaultTruncatesTheBody(t *testing.T) {
	t.Parallel()
	srv, get := faultWorld(t)
	srv.Inject(losanttest.Fault{Malformed: true}, losanttest.Times(1))
	resp, err := get(context.Background())
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.True(t, strings.HasPrefix(string(body), `{"id": `), "a token's JSON...")
	assert.False(t, json.Valid(body), "...cut short: %s", body)
}

func TestLatencyFaultDelaysAndEndsWithTheClient(t *testing.T) {
	t.Parallel()
	srv, get := faultWorld(t)
	srv.Inject(losanttest.Fault{Latency: 20 * time.Millisecond}, losanttest.Times(1))
	start := time.Now()
	resp, err := get(context.Background())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "latency alone goes on to the API")
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)

	srv.Inject(losanttest.Fault{Latency: time.Hour}, losanttest.Times(0))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = get(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the client gave up; the fake did not keep it for an hour")
	srv.ClearFaults()
	resp, err = get(context.Background())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "ClearFaults removes a fault of every request")
}

func TestConnectionsCountsWhatTheServerAccepted(t *testing.T) {
	t.Parallel()
	srv, get := faultWorld(t)
	for i := 0; i < 3; i++ {
		resp, err := get(context.Background())
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	assert.Equal(t, 1, srv.Connections(), "one kept-alive connection")
	srv.Inject(losanttest.Fault{Drop: true}, losanttest.Times(1))
	// net/http resends a GET whose reused connection dropped, on a new one.
	resp, err := get(context.Background())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 2, srv.Connections(), "a dropped connection is replaced")
}
