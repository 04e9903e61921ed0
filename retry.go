package losant

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"time"

	"github.com/specdriven/losant/internal/shipped/retrying"
	"github.com/specdriven/losant/internal/shipped/transport"
)

// RetryPolicy says how a call is tried again after a transient failure: a
// connection error, or the status 429, 502, 503 or 504. Nothing else is
// retried, so a 4xx such as 400 or 404 returns at once. A create (POST) is
// retried only on 429 and 503: after a connection error, a 502 or a 504 the
// API may already have made the token, and a second POST would make another.
// A wait that would outlast the call's context deadline is not begun: the
// call returns the answer that asked for it.
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

// DefaultRetryPolicy returns the policy of a client made without
// WithRetry: up to 4 attempts, waiting about 250ms, 500ms and 1s between
// them. It is a function, so that no program can change every other
// client's default: change a copy and give it to WithRetry.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, MinWait: 250 * time.Millisecond, MaxWait: 10 * time.Second}
}

// retryWait says whether an attempt's outcome is worth another attempt,
// and after how long. A request that is not idempotent is retried only on
// the answers that say nothing was done.
func (p RetryPolicy) retryWait(ctx context.Context, resp *http.Response, err error, attempt int, idempotent bool) (time.Duration, bool) {
	if ctx.Err() != nil {
		return 0, false
	}
	if err != nil {
		return p.backoff(attempt), idempotent && !permanent(err)
	}
	status := resp.StatusCode
	if !retrying.Transient(status) {
		return 0, false
	}
	if !idempotent && status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return 0, false // a 502 or 504 may follow a write the API made
	}
	if wait, ok := retrying.After(resp.Header.Get("Retry-After"), time.Now()); ok {
		return wait, wait <= p.MaxWait
	}
	return p.backoff(attempt), true
}

// permanent reports transport errors that another attempt would meet
// again: an untrusted certificate, a server that does not speak TLS to an
// https URL, a redirect loop, a redirect that would
// change a write's method, or a body over the size limit.
func permanent(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		invalidCert      x509.CertificateInvalidError
		hostname         x509.HostnameError
		verification     *tls.CertificateVerificationError
		redirect         *redirectRefused
	)
	return errors.As(err, &unknownAuthority) || errors.As(err, &invalidCert) ||
		errors.As(err, &hostname) || errors.As(err, &verification) || transport.ServerNotTLS(err) ||
		errors.Is(err, errTooManyRedirects) || errors.As(err, &redirect) || errors.Is(err, errDowngrade) ||
		errors.Is(err, ErrResponseTooLarge)
}

// backoff is the policy's wait before retry number attempt+1.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	return retrying.Backoff(p.MinWait, p.MaxWait, attempt)
}
