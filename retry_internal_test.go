package losant

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBackoffIsExponentialWithJitter(t *testing.T) {
	p := RetryPolicy{MinWait: 100 * time.Millisecond, MaxWait: time.Second}
	for attempt, full := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		full *= time.Millisecond
		seen := map[time.Duration]bool{}
		for i := 0; i < 200; i++ {
			wait := p.backoff(p.MinWait, p.MaxWait, attempt, nil)
			assert.GreaterOrEqual(t, wait, full/2, "attempt %d", attempt)
			assert.LessOrEqual(t, wait, full, "attempt %d", attempt)
			seen[wait] = true
		}
		assert.Greater(t, len(seen), 10, "attempt %d: the waits are jittered", attempt)
	}
	assert.LessOrEqual(t, p.backoff(p.MinWait, p.MaxWait, 1000, nil), time.Second, "no overflow on a huge attempt")
}

func TestBackoffTakesRetryAfter(t *testing.T) {
	p := RetryPolicy{MinWait: 100 * time.Millisecond, MaxWait: time.Minute}
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"7"}}}
	assert.Equal(t, 7*time.Second, p.backoff(p.MinWait, p.MaxWait, 0, resp))
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"0", 0, true},
		{"120", 2 * time.Minute, true},
		{" 5 ", 5 * time.Second, true},
		{"Mon, 23 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Monday, 23-Nov-26 12:01:00 GMT", time.Minute, true},
		{"Mon Nov 23 12:00:10 2026", 10 * time.Second, true},
		{"Mon, 23 Nov 2026 11:00:00 GMT", 0, true}, // past: no wait
		{"", 0, false},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tc := range cases {
		got, ok := retryAfter(tc.header, now)
		assert.Equal(t, tc.ok, ok, tc.header)
		assert.Equal(t, tc.want, got, tc.header)
	}
}

func TestDefaultHTTPClientIsSafeForConcurrentUse(t *testing.T) {
	hc := defaultHTTPClient()
	assert.Equal(t, 30*time.Second, hc.Timeout, "a default timeout when the caller gives no client")
	transport, ok := hc.Transport.(*http.Transport)
	if assert.True(t, ok) {
		assert.Equal(t, 100, transport.MaxIdleConnsPerHost)
		assert.NotSame(t, http.DefaultTransport, transport, "the program's default transport is not changed")
	}
}

func TestBackoffNeverOverflows(t *testing.T) {
	p := RetryPolicy{MinWait: time.Hour, MaxWait: 1<<63 - 1}
	for attempt := 0; attempt < 100; attempt++ {
		assert.Positive(t, p.backoff(p.MinWait, p.MaxWait, attempt, nil), "attempt %d", attempt)
	}
	assert.Zero(t, p.backoff(0, 0, 5, nil))
}
