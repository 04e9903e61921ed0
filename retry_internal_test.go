package losant

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/specdriven/losant/internal/shipped/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackoffIsExponentialWithJitter(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MinWait: 100 * time.Millisecond, MaxWait: time.Second}
	for attempt, full := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		full *= time.Millisecond
		seen := map[time.Duration]bool{}
		for i := 0; i < 200; i++ {
			wait := p.backoff(attempt)
			assert.GreaterOrEqual(t, wait, full/2, "attempt %d", attempt)
			assert.LessOrEqual(t, wait, full, "attempt %d", attempt)
			seen[wait] = true
		}
		assert.Greater(t, len(seen), 10, "attempt %d: the waits are jittered", attempt)
	}
	assert.LessOrEqual(t, p.backoff(1000), time.Second, "no overflow on a huge attempt")
}

func TestRetryWaitTakesRetryAfter(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MinWait: 100 * time.Millisecond, MaxWait: time.Minute}
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"7"}}}
	wait, again := p.retryWait(context.Background(), resp, nil, 0, true)
	assert.True(t, again)
	assert.Equal(t, 7*time.Second, wait)
	resp.Header.Set("Retry-After", "61")
	_, again = p.retryWait(context.Background(), resp, nil, 0, true)
	assert.False(t, again, "longer than MaxWait")
}

func TestPermanentTransportErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	p := DefaultRetryPolicy()
	for _, err := range []error{
		&url.Error{Op: "Get", URL: "https://x", Err: x509.UnknownAuthorityError{}},
		&url.Error{Op: "Get", URL: "https://x", Err: x509.HostnameError{Host: "x"}},
		&url.Error{Op: "Get", URL: "https://x", Err: &tls.CertificateVerificationError{}},
		&url.Error{Op: "Get", URL: "https://x", Err: errTooManyRedirects},
		&url.Error{Op: "Get", URL: "https://x", Err: tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}},
	} {
		_, again := p.retryWait(context.Background(), nil, err, 0, true)
		assert.False(t, again, "%v", err)
	}
	_, again := p.retryWait(context.Background(), nil, &url.Error{Op: "Get", URL: "https://x", Err: io.ErrUnexpectedEOF}, 0, true)
	assert.True(t, again, "a connection cut short is retried")
}

func TestDefaultHTTPClientIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	hc := transport.Default()
	assert.Zero(t, hc.Timeout, "no net/http timer: the doer bounds each attempt")
	transport, ok := hc.Transport.(*http.Transport)
	if assert.True(t, ok) {
		assert.Equal(t, 100, transport.MaxIdleConnsPerHost)
		assert.NotSame(t, http.DefaultTransport, transport, "the program's default transport is not changed")
	}
}

// Each attempt is bounded by DefaultTimeout, whichever http.Client the
// client uses, unless WithTimeout says otherwise, for the client or for
// one call; WithTimeout(0) leaves an attempt to the context.
func TestAttemptTimeouts(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		opts []Option
		call []CallOption
		want time.Duration
	}{
		"default":                    {nil, nil, DefaultTimeout},
		"client's":                   {[]Option{WithTimeout(time.Second)}, nil, time.Second},
		"own http.Client":            {[]Option{WithHTTPClient(&http.Client{Timeout: time.Minute})}, nil, DefaultTimeout},
		"own http.Client, client's":  {[]Option{WithHTTPClient(&http.Client{}), WithTimeout(5 * time.Second)}, nil, 5 * time.Second},
		"turned off":                 {[]Option{WithTimeout(0)}, nil, 0},
		"call's over the default":    {nil, []CallOption{WithTimeout(2 * time.Second)}, 2 * time.Second},
		"call's over the client's":   {[]Option{WithTimeout(time.Second)}, []CallOption{WithTimeout(3 * time.Second)}, 3 * time.Second},
		"call turns it off":          {nil, []CallOption{WithTimeout(0)}, 0},
		"wrapped transport keeps it": {[]Option{WithTransportWrapper(func(rt http.RoundTripper) http.RoundTripper { return rt })}, nil, DefaultTimeout},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := NewClient("token", tc.opts...)
			require.NoError(t, err)
			cs, err := c.callSettings(tc.call)
			require.NoError(t, err)
			assert.Equal(t, tc.want, cs.timeout)
		})
	}
	_, err := NewClient("token", WithTimeout(-time.Second))
	assert.ErrorContains(t, err, "WithTimeout")
	c, err := NewClient("token")
	require.NoError(t, err)
	_, err = c.callSettings([]CallOption{WithTimeout(-time.Second)})
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.ErrorContains(t, err, "WithTimeout")
}

func TestBackoffNeverOverflows(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MinWait: time.Hour, MaxWait: 1<<63 - 1}
	for attempt := 0; attempt < 100; attempt++ {
		assert.Positive(t, p.backoff(attempt), "attempt %d", attempt)
	}
	assert.Zero(t, RetryPolicy{}.backoff(5))
}

// A body that cannot be read again is sent once: a retry would send it
// empty.
func TestBodyThatCannotBeResentIsNotRetried(t *testing.T) {
	t.Parallel()
	var attempts int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts++
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	d := &attempter{hc: srv.Client()}
	req, err := http.NewRequest(http.MethodPatch, srv.URL, io.NopCloser(strings.NewReader(`{"name":"n"}`)))
	require.NoError(t, err)
	require.Nil(t, req.GetBody)
	a := d.Do(req.Context(), req, func() {}, &callState{settings: callSettings{retry: RetryPolicy{MaxAttempts: 3}, maxBody: 1 << 10}})
	require.NoError(t, a.err)
	assert.Equal(t, 503, a.resp.StatusCode)
	assert.Equal(t, 1, attempts)
}
