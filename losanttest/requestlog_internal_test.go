package losanttest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/specdriven/losant/gen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Requests with big headers and bodies, with a token and without, keep
// the request log under its bytes, by the log's own accounting and by what
// its entries hold; the newest request is kept.
func TestRequestLogIsBoundedInBytes(t *testing.T) {
	t.Parallel()
	const most = 256 << 10
	s := New(t, WithLimits(Limits{RequestLogBytes: most}))
	user := s.AddUser(User{})
	bearer := s.AddToken(Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	pad := strings.Repeat("x", 60_000)
	send := func(secret, method, path string, body string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang guard
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, method, s.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("X-Pad", pad)
		if secret != "" {
			req.Header.Set("Authorization", "Bearer "+secret)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	for range 10 { // 2.4 MB of requests, nine times the bound
		send("", http.MethodGet, "/me/tokens", "")
		send("nobody's", http.MethodGet, "/me/tokens", "")
		send(bearer.Secret, http.MethodGet, "/me/tokens", "")
		send(bearer.Secret, http.MethodPost, "/me/tokens", `{"name": "`+pad[:1000]+`", "description": "`+pad[:60_000]+`"}`)
	}
	send(bearer.Secret, http.MethodGet, "/me/tokens?page=7", "")

	s.mu.Lock()
	accounted, entries := s.requests.bytes, len(s.requests.entries)
	s.mu.Unlock()
	assert.LessOrEqual(t, accounted, most, "the log's own accounting")
	held := 0
	for _, r := range s.Requests() {
		held += len(r.Method) + len(r.Path) + len(r.Operation) + len(r.Domain) + len(r.Body)
		for _, h := range []map[string][]string{r.Header, r.Query} {
			for name, values := range h {
				for _, v := range values {
					held += len(name) + len(v)
				}
			}
		}
	}
	assert.LessOrEqual(t, held, accounted, "what the entries hold is accounted")
	assert.Greater(t, entries, 3, "the log keeps what fits")
	last := s.Requests()[entries-1]
	assert.Equal(t, "7", last.Query.Get("page"), "the newest request is kept")
}
