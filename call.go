package losant

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/specdriven/losant/internal/shipped/checks"
	"github.com/specdriven/losant/internal/shipped/redact"
	"github.com/specdriven/losant/internal/shipped/retrying"
	"github.com/specdriven/losant/internal/shipped/wire"
)

// callState is one call in progress: what it is, what applies to it, and what
// observes it. Its info is what the attempts' contexts carry.
type callState struct {
	info     CallInfo
	ctx      context.Context // the call's, after the CallStart hooks
	settings callSettings
	hooks    []Hooks
	began    time.Time // when hooks time it; zero otherwise
	attempts int
}

// doOperation builds a call's request with build, a generated builder, under the
// first attempt's deadline (so that the request is not copied to carry
// it), finishes it with the client's headers and the call's losantdomain,
// and sends it through the retry loop. operation is the spec's
// operationId of the call.
func (c *Client) doOperation(ctx context.Context, cs callSettings, operation string, build func(context.Context) (*http.Request, error)) outcome {
	cl := &callState{settings: cs, hooks: cs.hooks}
	first, cancel := retrying.WithDeadline(ctx, cs.timeout)
	req, err := build(first)
	if err == nil { // a Losantdomain of WithParams is held to WithDomain's rule
		err = argumentError(checks.Domain(domainOf(req.Header)))
	}
	if err != nil {
		cancel()
		if errors.Is(err, wire.ErrParamsType) {
			err = invalid("WithParams", "%v", err)
		}
		return outcome{err: err}
	}
	if err := c.auth.Authorize(req.Header, c.setHeaders(req.Header)); err != nil { // BearerAuth's code
		cancel()
		return outcome{err: err}
	}
	setDomain(req.Header, cs.domain) // checked with the call's options
	cl.info = callInfo(operation, req)
	return c.run(ctx, cl, req, cancel)
}

// run sends req, the request of the call cl whose info is set, through
// the CallStart hooks and the retry loop; ctx is the call's context, req
// carries the first attempt's deadline under it, which cancel ends.
func (c *Client) run(ctx context.Context, cl *callState, req *http.Request, cancel context.CancelFunc) outcome {
	if started := cl.start(ctx); started != ctx {
		cancel()
		ctx = started
		var first context.Context
		first, cancel = retrying.WithDeadline(ctx, cl.settings.timeout)
		req = req.WithContext(first)
	}
	cl.ctx = ctx
	return c.attempter.Do(ctx, req, cancel, cl)
}

// callInfo names the call of req, an operation of it: with the token the
// request carries redacted, since a path built from it by mistake
// (Client.Do, HTTPDoer) must name no call with it.
func callInfo(operation string, req *http.Request) CallInfo {
	token := redact.BearerToken(req)
	return CallInfo{Operation: redact.String(operation, token), Method: req.Method, Path: redact.String(req.URL.Path, token)}
}

// start runs the CallStart hooks, and returns the context they leave.
func (cl *callState) start(ctx context.Context) context.Context {
	if len(cl.hooks) == 0 {
		return ctx
	}
	cl.began = time.Now()
	for _, h := range cl.hooks {
		if h.CallStart == nil {
			continue
		}
		if next := h.CallStart(ctx, cl.info); next != nil {
			ctx = next
		}
	}
	return ctx
}

// now is the time, when the call's hooks time it.
func (cl *callState) now() time.Time {
	if len(cl.hooks) == 0 {
		return time.Time{}
	}
	return time.Now()
}

// attemptDone runs the AttemptDone hooks for an attempt begun at began.
func (cl *callState) attemptDone(ctx context.Context, a outcome, began time.Time, retry bool, wait time.Duration) {
	if len(cl.hooks) == 0 {
		return
	}
	at := Attempt{Number: cl.attempts, Err: a.err, Duration: time.Since(began), Retry: retry}
	if a.resp != nil {
		at.StatusCode = a.resp.StatusCode
	}
	if retry {
		at.Wait = wait
	}
	for _, h := range cl.hooks {
		if h.AttemptDone != nil {
			h.AttemptDone(ctx, cl.info, at)
		}
	}
}

// finish reports a call's outcome, err being what its caller gets, to the
// CallDone hooks.
func (cl *callState) finish(a outcome, err error) {
	if cl == nil || len(cl.hooks) == 0 {
		return
	}
	result := CallResult{Err: err, Attempts: cl.attempts, Duration: time.Since(cl.began)}
	if a.resp != nil {
		result.StatusCode, result.Header = a.resp.StatusCode, redact.Header(a.resp.Header, sentToken(a.resp))
	}
	for _, h := range cl.hooks {
		if h.CallDone != nil {
			h.CallDone(cl.ctx, cl.info, result)
		}
	}
}
