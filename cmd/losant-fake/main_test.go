package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runMainEnv makes the test binary run main instead of the tests, for the
// tests of the process as a whole (its exit status, its signals).
const runMainEnv = "LOSANT_FAKE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// syncBuffer is written by run's goroutine and read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// It serves its fixtures until stopped; -log writes a line a request,
// without the token.
func TestServesFixturesUntilStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out, log := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-log", "-fixtures", "../../testdata/fixtures.json"}, out, log)
	}()

	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	require.Eventually(t, func() bool { return url.MatchString(out.String()) }, 10*time.Second, 10*time.Millisecond)
	assert.Contains(t, out.String(), "2 users, 3 applications, 3 instances and 4 tokens")

	req, _ := http.NewRequest("GET", url.FindString(out.String())+"/me/tokens/5a1f0e3b7ae143cd83dc4b02", nil)
	req.Header.Set("Authorization", "Bearer lsnt_user_demo_secret")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop when its context ended")
	}
	assert.Contains(t, out.String(), "losant-fake: stopped")
	assert.Regexp(t, `^\S+Z "GET" "/me/tokens/5a1f0e3b7ae143cd83dc4b02" 200 \S+s\n$`, log.String())
	assert.NotContains(t, log.String(), "lsnt_")
}

func TestBadArgumentsAreErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-fixtures", "does-not-exist.json"},
		{"-addr", "not an address"},
		{"-grace", "soon"},
		{"-bogus"},
		{"extra"},
		{"-max-tokens-per-owner", "0"},
		{"-max-store-bytes", "-1"},
		{"-max-connections", "0"},
	} {
		err := run(context.Background(), args, &syncBuffer{}, &syncBuffer{})
		assert.Error(t, err, "%q", args)
	}
}

// -max-tokens-per-owner caps an owner's tokens: a create past it is a 400
// LimitExceeded with the API's Error JSON.
func TestTokensPerOwnerIsAFlag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { // the fixtures' user holds 2 tokens
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-max-tokens-per-owner", "3", "-fixtures", "../../testdata/fixtures.json"}, out, &syncBuffer{})
	}()
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	require.Eventually(t, func() bool { return url.MatchString(out.String()) }, 10*time.Second, 10*time.Millisecond)
	create := func() (int, string) {
		req, _ := http.NewRequest(http.MethodPost, url.FindString(out.String())+"/me/tokens", strings.NewReader(`{"name": "one more", "scope": ["all.User.read"]}`))
		req.Header.Set("Authorization", "Bearer lsnt_user_demo_secret")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var e struct{ Type string }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return resp.StatusCode, e.Type
	}
	status, _ := create()
	assert.Equal(t, http.StatusCreated, status)
	status, typ := create()
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "LimitExceeded", typ)
	cancel()
	require.NoError(t, <-done)
}

// Fixtures the fake cannot use stop it before it serves, with an error
// that names the entry and the field.
func TestBadFixturesStopTheFake(t *testing.T) {
	dir := t.TempDir()
	for json, want := range map[string]string{
		`{"users": [{"id": "575ed70c7ae143cd83dc4aa9"}, {"id": "575ed70c7ae143cd83dc4aa9"}]}`: "users[1].id",
		`{"tokens": [{"scopes": ["all.User"]}]}`:                                              `tokens[0]: json: unknown field "scopes"`,
		`{"users": [{"id": "575ed70c7ae143cd83dc4aa9"}], "tokens": [{"ownerType": "user", "ownerId": "575ed70c7ae143cd83dc4aa9", "scope": ["all.Users"]}]}`: `tokens[0].scope[0]: "all.Users"`,
	} {
		t.Run(fmt.Sprint(json), func(t *testing.T) {
			path := filepath.Join(dir, "fixtures.json")
			require.NoError(t, os.WriteFile(path, []byte(json), 0o600))
			out := &syncBuffer{}
			err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-fixtures", path}, out, &syncBuffer{})
			assert.ErrorContains(t, err, want)
			assert.NotContains(t, out.String(), "serving")
		})
	}
}

// On SIGINT or SIGTERM (its context ending) the fake waits no longer than
// its grace for a client stalled in the middle of a body.
func TestStopsWithinItsGraceDespiteAStalledClient(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-grace", "200ms", "-fixtures", "../../testdata/fixtures.json"}, out, &syncBuffer{})
	}()
	url := regexp.MustCompile(`127\.0\.0\.1:\d+`)
	require.Eventually(t, func() bool { return url.MatchString(out.String()) }, 10*time.Second, 10*time.Millisecond)
	conn, err := net.Dial("tcp", url.FindString(out.String()))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /me/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer lsnt_user_demo_secret\r\n"+
		"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond) // the server is reading the body

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second): // a hang guard: the read timeout is 30s
		t.Fatal("did not stop within its grace")
	}
	// "closed the connections still busy" is printed when the request was
	// in flight; on a slow machine it may not have been read yet.
	assert.Contains(t, out.String(), "losant-fake: stopped")
}
