package losant

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// RetryPolicy says how a call is tried again after a transient failure: a
// connection error, or the status 429, 502, 503 or 504. Nothing else is
// retried, so a 4xx such as 400 or 404 returns at once.
type RetryPolicy struct {
	// MaxAttempts bounds the attempts of one call, the first included.
	// 1 or less turns retries off.
	MaxAttempts int
	// MinWait is the wait before the first retry. Each later wait doubles,
	// up to MaxWait, and a random jitter takes up to half of it off so that
	// many clients do not retry in step.
	MinWait time.Duration
	// MaxWait caps each wait. A Retry-After header is honoured in place of
	// the backoff; one asking for longer than MaxWait is not waited out: the
	// call returns the response that asked for it.
	MaxWait time.Duration
}

// DefaultRetryPolicy is the policy of a client made without WithRetry: up
// to 4 attempts, waiting about 250ms, 500ms and 1s between them.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, MinWait: 250 * time.Millisecond, MaxWait: 10 * time.Second}

// newRetryClient sends requests through hc with policy p. It keeps the
// last response of a call that ran out of attempts, rather than an error,
// so that the caller sees the API's status and body. A client for requests
// that must not be done twice (creates) retries only the answers that say
// nothing was done.
func newRetryClient(hc *http.Client, p RetryPolicy, idempotent bool) *retryablehttp.Client {
	check := p.checkRetry
	if !idempotent {
		check = p.checkRetryCreate
	}
	return &retryablehttp.Client{
		HTTPClient:   hc,
		RetryMax:     max(p.MaxAttempts-1, 0),
		RetryWaitMin: p.MinWait,
		RetryWaitMax: p.MaxWait,
		CheckRetry:   check,
		Backoff:      p.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// checkRetry decides whether an attempt's outcome is worth another one.
func (p RetryPolicy) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		// The library's policy knows which transport errors will not go
		// away on their own: bad scheme, bad header, untrusted certificate.
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && wait > p.MaxWait {
			return false, nil
		}
		return true, nil
	}
	return false, nil
}

// checkRetryCreate is checkRetry for a create: a POST done twice makes two
// tokens. A connection error, a 502 or a 504 may come after the API made
// the token, so only 429 and 503, which say it did nothing, are retried.
func (p RetryPolicy) checkRetryCreate(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if err != nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		return false, nil
	}
	return p.checkRetry(ctx, resp, err)
}

// backoff is the wait before retry number attempt+1: the response's
// Retry-After if it has one, else exponential backoff with jitter.
func (p RetryPolicy) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return wait
		}
	}
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

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date.
// A date in the past means no wait.
func retryAfter(header string, now time.Time) (time.Duration, bool) {
	header = strings.TrimSpace(header)
	if header == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(header, 10, 32); err == nil {
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(header)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}
