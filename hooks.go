package losant

import (
	"context"
	"net/http"
	"time"
)

// Hooks are functions a client calls as each of its calls goes, for
// metrics, tracing and logs (WithHooks). Any of them may be nil. They run
// on the calling goroutine, in order, and the call waits for them: they
// must return quickly (a hook's time counts against the call's deadline,
// and a panic in one panics the call). Nothing they receive holds the
// access token. A call refused before it is sent (a bad argument or
// option) calls none of them.
type Hooks struct {
	// CallStart is called as a call begins, after its arguments are
	// checked and before its first attempt. The context it returns, which
	// must derive from ctx, is the call's from then on: the transport and
	// the later hooks receive it (a tracer starts its span here). nil
	// keeps ctx.
	CallStart func(ctx context.Context, call CallInfo) context.Context
	// AttemptDone is called after each attempt, with its outcome and
	// whether another attempt follows.
	AttemptDone func(ctx context.Context, call CallInfo, attempt Attempt)
	// CallDone is called once, when the call is over, with what the
	// caller gets.
	CallDone func(ctx context.Context, call CallInfo, result CallResult)
}

// CallInfo names a call: what hooks receive. A transport that names its
// metrics after the call reads what a CallStart hook put in the context.
type CallInfo struct {
	// Operation is the spec's operationId of the call, such as
	// "getApplicationApiToken"; for Client.Do and HTTPDoer, which no spec
	// of this package describes, the method and the path under the base
	// URL with each ObjectId as {id}, such as "GET /applications/{id}/devices".
	Operation string
	// Method and Path are the call's request's, the path without the
	// query: it names IDs, never a secret.
	Method, Path string
}

// Attempt is the outcome of one attempt of a call.
type Attempt struct {
	// Number counts the call's attempts, from 1.
	Number int
	// StatusCode is the answer's status; 0 when there was none.
	StatusCode int
	// Err is why the attempt got no whole answer (a connection refused or
	// cut, a timeout); nil when it did, whatever its status.
	Err error
	// Duration is the attempt's time, from sending to the answer's last
	// byte.
	Duration time.Duration
	// Retry says that another attempt follows, after Wait.
	Retry bool
	Wait  time.Duration
}

// CallResult is the outcome of a call, as its caller gets it.
type CallResult struct {
	// StatusCode is the last answer's status; 0 when there was none.
	StatusCode int
	// Header is the last answer's header (a request ID, the rate limits),
	// the access token replaced by "[REDACTED]"; nil when there was none.
	// It is the map the call's *Error holds too: read it, never change it.
	Header http.Header
	// Err is the error the call returns; nil on success.
	Err error
	// Attempts is the number of attempts the call made.
	Attempts int
	// Duration is the call's time, from just before its CallStart hooks
	// to its end.
	Duration time.Duration
}
