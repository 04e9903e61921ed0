package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

func TestServesFixturesUntilStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-fixtures", "../../testdata/fixtures.json"}, out)
	}()

	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	require.Eventually(t, func() bool { return url.MatchString(out.String()) }, 10*time.Second, 10*time.Millisecond)
	assert.Contains(t, out.String(), "1 users, 1 applications and 3 tokens")

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
}

func TestBadArgumentsAreErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-fixtures", "does-not-exist.json"},
		{"-addr", "not an address"},
		{"-bogus"},
		{"extra"},
	} {
		err := run(context.Background(), args, &syncBuffer{})
		assert.Error(t, err, "%q", args)
	}
}
