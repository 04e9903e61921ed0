package losant

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
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
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		if !idempotent {
			return 0, false
		}
	default:
		return 0, false
	}
	if wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		return wait, wait <= p.MaxWait
	}
	return p.backoff(attempt), true
}

// transient reports the statuses that a retry may get past.
func transient(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// permanent reports transport errors that another attempt would meet
// again: an untrusted certificate, a redirect loop, a redirect that would
// change a write's method, or a body over the size limit.
func permanent(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		invalidCert      x509.CertificateInvalidError
		hostname         x509.HostnameError
		verification     *tls.CertificateVerificationError
		redirect         *RedirectError
	)
	return errors.As(err, &unknownAuthority) || errors.As(err, &invalidCert) ||
		errors.As(err, &hostname) || errors.As(err, &verification) ||
		errors.Is(err, errTooManyRedirects) || errors.As(err, &redirect) || errors.Is(err, errDowngrade) ||
		errors.Is(err, ErrResponseTooLarge)
}

// backoff is the wait before retry number attempt+1: exponential from
// MinWait, capped by MaxWait, with up to half of it taken off at random.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	wait := min(p.MinWait, p.MaxWait)
	for i := 0; i < attempt && wait < p.MaxWait; i++ {
		if wait > p.MaxWait/2 {
			wait = p.MaxWait
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
// A date in the past means no wait; a number of seconds too large for a
// Duration means the longest Duration, which no MaxWait allows.
func retryAfter(header string, now time.Time) (time.Duration, bool) {
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

// doer sends a call's request: the retry loop, each attempt bounded by
// the call's timeout and reading the whole response body within its size
// limit.
type doer struct {
	hc   *http.Client
	log  *slog.Logger // nil: no logging
	auth *auth        // asked for a new token after a 401
}

// answer is what a call's attempts came to: the last attempt's response
// and its whole body, or its error, and whether a write may have reached
// the API on the way.
type answer struct {
	resp *http.Response // nil when no attempt got one; its body is read and closed
	buf  *[]byte        // its body, from bodyBuffers: released by decode; nil when none was read
	err  error          // the attempt's transport error, or reading its body failed
	// mayHaveActed is set for a write of which some attempt may have been
	// carried out by the API without the client hearing of it.
	mayHaveActed bool
	call         *call // the call the answer is to; nil when none was begun
	// unrenewed is why the token source gave no new token after the 401
	// that is this answer, if it failed.
	unrenewed error
}

// Do sends req, the request of call c, retrying as c's policy says. req
// carries the first attempt's deadline, which release ends; later
// attempts get their own, under ctx, the call's context. Each attempt
// reads the whole body, so a body cut or stalled midway is retried like a
// dropped connection. When the attempts run out it returns the last
// answer, so that the caller sees the API's own status and message.
func (d *doer) Do(ctx context.Context, req *http.Request, release context.CancelFunc, c *call) answer {
	policy := c.settings.retry
	idempotent := req.Method != http.MethodPost
	write := req.Method != http.MethodGet && req.Method != http.MethodHead
	attempts := policy.MaxAttempts
	resendable := req.GetBody != nil || req.Body == nil || req.Body == http.NoBody
	if !resendable {
		attempts = 1 // the body cannot be sent again
	}
	acted, renewed := false, false
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil { // never sent: nothing was done by this attempt
			release()
			return answer{err: err, mayHaveActed: acted, call: c}
		}
		began := c.now()
		a := d.attempt(req, attempt, release, c.settings.maxBody)
		c.attempts++
		acted = acted || write && mayHaveActed(a)
		a.mayHaveActed, a.call = acted, c
		wait, again := policy.retryWait(ctx, a.resp, a.err, attempt, idempotent)
		again = again && attempt+1 < attempts && fits(ctx, wait) // a wait that would outlast ctx is not begun
		authorization := ""
		if !renewed && resendable && a.resp != nil && a.resp.StatusCode == http.StatusUnauthorized {
			renewed = true // once a call: a source that keeps changing cannot keep it going
			authorization, a.unrenewed = d.auth.renew(ctx, req.Header.Get("Authorization"))
			if authorization != "" { // nothing was done: sent again at once, beyond the policy's attempts
				again, wait = true, 0
				attempts++
			}
		}
		c.attemptDone(ctx, a, began, again, wait)
		again = again && fits(ctx, wait) // a hook may have taken the time the wait had
		if !again {
			d.logOutcome(req, a, attempt, false, 0)
			return a // the caller gets this answer, not a deadline
		}
		d.logOutcome(req, a, attempt, true, wait)
		releaseBody(a.buf) // this answer is not the call's
		if err := sleep(ctx, wait); err != nil {
			return answer{err: err, mayHaveActed: acted, call: c}
		}
		var err error
		if req, err = rewind(req); err != nil {
			return answer{err: err, mayHaveActed: acted, call: c}
		}
		if authorization != "" { // on a copy: the last attempt's request keeps what it sent
			req.Header = req.Header.Clone()
			req.Header["Authorization"] = []string{authorization}
		}
		attemptCtx, cancel := withDeadline(ctx, c.settings.timeout)
		req, release = req.WithContext(attemptCtx), cancel
	}
}

// attempt sends req once and reads its response's body, both within the
// deadline req carries, which release ends; the body no further than the
// size limit.
func (d *doer) attempt(req *http.Request, n int, release context.CancelFunc, maxBody int64) answer {
	defer release()
	d.logAttempt(req, n)
	resp, err := d.hc.Do(req)
	if err != nil {
		err = transportError(err, req)
		if resp != nil { // a refused redirect: its response is not the call's answer
			resp.Body.Close()
			resp = nil
		}
	}
	var body *[]byte
	if err == nil {
		body, err = readBody(resp.Body, resp.ContentLength, maxBody)
		resp.Body.Close()
	}
	return answer{resp: resp, buf: body, err: err}
}

// mayHaveActed reports whether the API may have carried out the write of
// an attempt that came to a: anything but an answer that says nothing was
// done (a 4xx, a 503) or a connection that was never made.
func mayHaveActed(a answer) bool {
	if a.resp == nil {
		var op *net.OpError
		return !(errors.As(a.err, &op) && op.Op == "dial") && !permanent(a.err)
	}
	if a.err != nil {
		return true // the answer was cut: whatever it said happened
	}
	status := a.resp.StatusCode
	return !(status >= 400 && status < 500 || status == http.StatusServiceUnavailable)
}

// withDeadline returns ctx bounded by timeout, for one attempt, and the
// function that releases it once the attempt is over.
func withDeadline(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if timeout <= 0 {
		return ctx, noRelease
	}
	return context.WithTimeout(ctx, timeout)
}

// noRelease releases nothing: a package-level func, so that a call
// without a timeout allocates no closure.
func noRelease() {}

// sleep waits for d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// rewind returns a copy of req with a fresh body for the next attempt. It
// is a copy because the transport may still be closing the last body.
func rewind(req *http.Request) (*http.Request, error) {
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

// logAttempt logs an attempt at debug level, with its headers redacted.
func (d *doer) logAttempt(req *http.Request, attempt int) {
	if !d.logs(req, slog.LevelDebug) {
		return
	}
	d.log.LogAttrs(req.Context(), slog.LevelDebug, "losant: request",
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("attempt", attempt+1),
		slog.Any("header", redactHeader(req.Header)))
}

// logOutcome logs an attempt's outcome at the level it deserves: a retry
// at info level, with its cause and wait; an attempt that got no answer
// and is not retried at error level; an answer at debug level (whatever
// its status, the caller gets it). A transport error names the URL, never
// a header.
func (d *doer) logOutcome(req *http.Request, a answer, attempt int, retry bool, wait time.Duration) {
	level := slog.LevelDebug
	switch {
	case retry:
		level = slog.LevelInfo
	case a.err != nil:
		level = slog.LevelError
	case attempt > 0 && transient(a.resp.StatusCode): // retried, and still failing: given up
		level = slog.LevelWarn
	}
	if !d.logs(req, level) {
		return
	}
	attrs := []slog.Attr{slog.String("method", req.Method), slog.String("path", req.URL.Path), slog.Int("attempt", attempt+1)}
	if a.resp != nil {
		attrs = append(attrs, slog.Int("status", a.resp.StatusCode))
	}
	if a.err != nil {
		attrs = append(attrs, slog.Any("error", a.err))
	}
	msg := "losant: response"
	switch {
	case retry:
		msg = "losant: retrying"
		attrs = append(attrs, slog.Duration("wait", wait))
	case a.err != nil:
		msg = "losant: request failed"
	case level == slog.LevelWarn:
		msg = "losant: giving up"
	}
	d.log.LogAttrs(req.Context(), level, msg, attrs...)
}

// logs reports whether a record at level would be logged, so that nothing
// is built for a record that would not be, such as a copy of the headers.
func (d *doer) logs(req *http.Request, level slog.Level) bool {
	return d.log != nil && d.log.Enabled(req.Context(), level)
}

// fits reports whether a wait of d ends before ctx's deadline, with time
// left for an attempt; a context without a deadline fits any wait.
func fits(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}
