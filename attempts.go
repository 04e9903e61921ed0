package losant

import (
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/specdriven/losant/internal/shipped/bearer"
	"github.com/specdriven/losant/internal/shipped/clock"
	"github.com/specdriven/losant/internal/shipped/retrying"
	"github.com/specdriven/losant/internal/shipped/transport"
)

// attempter sends a call's request: the retry loop, each attempt bounded by
// the call's timeout and reading the whole response body within its size
// limit.
type attempter struct {
	hc   *http.Client
	auth *bearer.Auth // asked for a new token after a 401
}

// outcome is what a call's attempts came to: the last attempt's response
// and its whole body, or its error, and whether a write may have reached
// the API on the way.
type outcome struct {
	resp *http.Response // nil when no attempt got one; its body is read and closed
	buf  *[]byte        // its body, from bodyBuffers: released by decode; nil when none was read
	err  error          // the attempt's transport error, or reading its body failed
	// mayHaveActed is set for a write of which some attempt may have been
	// carried out by the API without the client hearing of it.
	mayHaveActed bool
	call         *callState // the call the answer is to; nil when none was begun
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
func (d *attempter) Do(ctx context.Context, req *http.Request, release context.CancelFunc, c *callState) outcome {
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
			return outcome{err: err, mayHaveActed: acted, call: c}
		}
		began := c.now()
		a := d.attempt(req, attempt, release, c.settings.maxBody)
		c.attempts++
		acted = acted || write && mayHaveActed(a)
		a.mayHaveActed, a.call = acted, c
		wait, again := policy.retryWait(ctx, a.resp, a.err, attempt, idempotent)
		again = again && attempt+1 < attempts && retrying.FitsWithin(ctx, wait) // a wait that would outlast ctx is not begun
		authorization := ""
		if !renewed && resendable && a.resp != nil && a.resp.StatusCode == http.StatusUnauthorized {
			renewed = true // once a call: a source that keeps changing cannot keep it going
			authorization, a.unrenewed = d.auth.Renew(ctx, req.Header.Get("Authorization"))
			if authorization != "" { // nothing was done: sent again at once, beyond the policy's attempts
				again, wait = true, 0
				attempts++
			}
		}
		c.attemptDone(ctx, a, began, again, wait)
		again = again && retrying.FitsWithin(ctx, wait) // a hook may have taken the time the wait had
		if !again {
			return a // the caller gets this answer, not a deadline
		}
		transport.Release(a.buf) // this answer is not the call's
		if err := clock.Sleep(ctx, wait); err != nil {
			return outcome{err: err, mayHaveActed: acted, call: c}
		}
		var err error
		if req, err = retrying.Rewind(req); err != nil {
			return outcome{err: err, mayHaveActed: acted, call: c}
		}
		if authorization != "" { // on a copy: the last attempt's request keeps what it sent
			req.Header = req.Header.Clone()
			req.Header["Authorization"] = []string{authorization}
		}
		attemptCtx, cancel := retrying.WithDeadline(ctx, c.settings.timeout)
		req, release = req.WithContext(attemptCtx), cancel
	}
}

// attempt sends req once and reads its response's body, both within the
// deadline req carries, which release ends; the body no further than the
// size limit.
func (d *attempter) attempt(req *http.Request, n int, release context.CancelFunc, maxBody int64) outcome {
	defer release()
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
		body, err = transport.ReadBody(resp.Body, resp.ContentLength, maxBody, ErrResponseTooLarge)
		resp.Body.Close()
	}
	return outcome{resp: resp, buf: body, err: err}
}

// mayHaveActed reports whether the API may have carried out the write of
// an attempt that came to a: anything but an answer that says nothing was
// done (a 4xx, a 503) or a connection that was never made.
func mayHaveActed(a outcome) bool {
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
