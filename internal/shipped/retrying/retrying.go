// Package retrying holds the arithmetic of retries: which statuses a retry
// may get past, how long to wait, and whether a wait fits a deadline.
package retrying

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Transient reports the statuses that a retry may get past.
func Transient(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Backoff is the wait before retry number attempt+1: exponential from
// minWait, capped by maxWait, with up to half of it taken off at random.
func Backoff(minWait, maxWait time.Duration, attempt int) time.Duration {
	wait := min(minWait, maxWait)
	for i := 0; i < attempt && wait < maxWait; i++ {
		if wait > maxWait/2 {
			wait = maxWait
			break
		}
		wait *= 2
	}
	if wait <= 0 {
		return 0
	}
	return wait - rand.N(wait/2+1)
}

// After parses a Retry-After header: delay-seconds or an HTTP date.
// A date in the past means no wait; a number of seconds too large for a
// Duration means the longest Duration, which no MaxWait allows.
func After(header string, now time.Time) (time.Duration, bool) {
	header = strings.TrimSpace(header)
	if header == "" {
		return 0, false
	}
	if isDigits(header) {
		secs, err := strconv.ParseInt(header, 10, 64)
		if err != nil || secs > int64(math.MaxInt64/time.Second) {
			return math.MaxInt64, true
		}
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(header)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// FitsWithin reports whether a wait of d ends before ctx's deadline, with time
// left for an attempt; a context without a deadline fits any wait.
func FitsWithin(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}

// WithDeadline returns ctx bounded by timeout, for one attempt, and the
// function that releases it once the attempt is over.
func WithDeadline(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if timeout <= 0 {
		return ctx, noRelease
	}
	return context.WithTimeout(ctx, timeout)
}

// noRelease releases nothing: a package-level func, so that a call
// without a timeout allocates no closure.
func noRelease() {}

// Rewind returns a copy of req with a fresh body for the next attempt. It
// is a copy because the transport may still be closing the last body.
func Rewind(req *http.Request) (*http.Request, error) {
	next := *req
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		next.Body = body
	}
	return &next, nil
}
