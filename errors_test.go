package losant_test

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
)

// serveStatus serves every request with status, the headers given and the
// API's Error JSON, and counts the requests.
func serveStatus(t *testing.T, status int, header map[string]string) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	url := serveLoopback(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", jsonType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"type": "RateLimit", "message": "slow down"}`)
	}))
	return url, &n
}

// A 429 keeps what the caller acts on: the status, Retry-After parsed, and
// the response's headers.
func TestRateLimitErrorSaysWhenToRetry(t *testing.T) {
	url, _ := serveStatus(t, http.StatusTooManyRequests, map[string]string{"Retry-After": "120", "X-Request-Id": "req-42"})
	client, err := losant.NewClient(testToken, losant.WithBaseURL(url), losant.WithoutRetries())
	require.NoError(t, err)
	_, err = client.UserAPIToken.Get(context.Background(), apiTokenID)

	assert.True(t, losant.IsRateLimited(err), "%v", err)
	assert.False(t, losant.IsNotFound(err))
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 120*time.Second, apiErr.RetryAfter)
	assert.Equal(t, "req-42", apiErr.Header.Get("X-Request-Id"))
	assert.Equal(t, "losant: GET /me/tokens/"+apiTokenID+": 429 Too Many Requests: RateLimit: slow down (retry after 2m0s)", err.Error())
}

// A Retry-After too long for a time.Duration is longer than any MaxWait:
// it is not waited out, and the call is not retried.
func TestHugeRetryAfterIsNotRetried(t *testing.T) {
	for _, header := range []string{"99999999999999999999", "9223372037"} {
		url, requests := serveStatus(t, http.StatusServiceUnavailable, map[string]string{"Retry-After": header})
		client, err := losant.NewClient(testToken, losant.WithBaseURL(url), losant.WithRetry(fastRetries))
		require.NoError(t, err)
		_, err = client.UserAPIToken.Get(context.Background(), apiTokenID)
		var apiErr *losant.Error
		require.ErrorAs(t, err, &apiErr, header)
		assert.Equal(t, time.Duration(math.MaxInt64), apiErr.RetryAfter, header)
		assert.EqualValues(t, 1, requests.Load(), "%s: sent once", header)
	}
}

func TestErrorMessagesReadCleanly(t *testing.T) {
	prefix := "losant: GET /me/tokens/x: "
	for want, e := range map[string]losant.Error{
		prefix + "404 Not Found: NotFound: API Token was not found":     {StatusCode: 404, Type: "NotFound", Message: "API Token was not found"},
		prefix + "400 Bad Request: name is too long":                    {StatusCode: 400, Message: "name is too long"},
		prefix + "403 Forbidden: Forbidden":                             {StatusCode: 403, Type: "Forbidden"},
		prefix + "502 Bad Gateway: unexpected body (6 bytes)":           {StatusCode: 502, Body: []byte("<html>")},
		prefix + "503 Service Unavailable: empty body (retry after 1s)": {StatusCode: 503, RetryAfter: time.Second},
		prefix + "200 OK: losant: response body too large":              {StatusCode: 200, Err: losant.ErrResponseTooLarge},
	} {
		e.Method, e.Path = "GET", "/me/tokens/x"
		assert.Equal(t, want, e.Error())
		assert.NotContains(t, e.Error(), ": :", "no empty part")
	}
}

func TestEverySentinelSaysLosant(t *testing.T) {
	for _, err := range []error{losant.ErrInvalidArgument, losant.ErrResponseTooLarge, losant.ErrEndlessPages} {
		assert.True(t, strings.HasPrefix(err.Error(), "losant: "), err.Error())
	}
	redirect := &losant.RedirectError{Method: "PATCH", StatusCode: 302, Host: "h"}
	arg := &losant.ArgumentError{Field: "name", Reason: "empty"}
	for _, err := range []error{redirect, arg} {
		assert.True(t, strings.HasPrefix(err.Error(), "losant: "), err.Error())
	}
	assert.True(t, errors.Is(arg, losant.ErrInvalidArgument))
}
