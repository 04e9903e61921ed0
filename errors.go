package losant

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Error is the error returned for a response the client cannot accept: any
// non-2xx status, a body that could not be read whole, or a 2xx whose body
// is not what the API promises.
// Use errors.As to reach it through wrapping, or the Is... helpers.
type Error struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Method and Path name the request that failed.
	Method, Path string
	// Type and Message come from the API's Error JSON body
	// ({"type": "NotFound", "message": "..."}); empty when the body was not one.
	Type, Message string
	// Header is the response's header, for what a caller acts on beyond
	// RetryAfter, such as a request ID to quote to support.
	Header http.Header
	// RetryAfter is how long the API asked the caller to wait before trying
	// again (its Retry-After header, in seconds or as a date); 0 when it
	// did not say. A wait too long for a time.Duration reads as the longest
	// one.
	RetryAfter time.Duration
	// Body is the raw response body (up to the read limit), kept so that a
	// body that is not the Error JSON, such as a proxy's HTML page, can be
	// inspected.
	Body []byte
	// Err is why the response could not be used, at any status: its body
	// was cut short, stalled or over the size limit (ErrResponseTooLarge),
	// or a 2xx body was not the JSON the API promises. It is nil for a
	// non-2xx response whose body was read whole: StatusCode, Type and
	// Message say what the API answered.
	Err error
}

// Error describes the failure. It never includes the request's headers, so
// it never includes the API token.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "losant: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.Err != nil:
		b.WriteString(": " + e.Err.Error())
	case e.Type != "" && e.Message != "":
		b.WriteString(": " + e.Type + ": " + e.Message)
	case e.Type != "" || e.Message != "":
		b.WriteString(": " + e.Type + e.Message)
	case len(e.Body) == 0:
		b.WriteString(": empty body")
	default:
		fmt.Fprintf(&b, ": unexpected body (%d bytes)", len(e.Body))
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %v)", e.RetryAfter)
	}
	return b.String()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// IsNotFound reports whether err is a 404 from the API, as for an unknown
// application or API token.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsBadRequest reports whether err is a 400 from the API: a malformed request.
func IsBadRequest(err error) bool { return hasStatus(err, http.StatusBadRequest) }

// IsUnauthorized reports whether err is a 401 from the API: no valid token.
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

// IsForbidden reports whether err is a 403 from the API: the token lacks
// every scope the action accepts.
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// IsRateLimited reports whether err is a 429 from the API: too many
// requests. The *Error's RetryAfter says how long the API asked to wait.
func IsRateLimited(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

func hasStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == status
}

// RedirectError is the error of a write (PATCH, POST or DELETE) that the
// server answered with a 301, 302 or 303. Following one would resend the
// write as a GET without its body, and report the answer to that GET as the
// write's, so the client does not follow it, and does not retry.
type RedirectError struct {
	// Method is the method of the request that was redirected.
	Method string
	// StatusCode is the redirect's status.
	StatusCode int
	// Host is the host the redirect pointed to.
	Host string
}

// Error names the status and the target's host, never the request's
// headers or the target's path and query.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("losant: %s answered with %d %s to host %q: not followed, since it would turn the %s into a GET",
		e.Method, e.StatusCode, http.StatusText(e.StatusCode), e.Host, e.Method)
}

// ErrMayHaveActed is wrapped by the error of a write (Patch, Delete,
// Create) that the API may have carried out although the call failed:
// some attempt's connection dropped after the request was sent, its answer
// was cut short or could not be decoded, or it was answered with a status
// that does not say that nothing was done (any 5xx but 503: a 500, 502 or
// 504). Only a 4xx, a 503 and a connection never made say that. It is
// wrapped even when a later attempt was refused, since the earlier one may
// have acted. Read the token to know where it stands. The error also wraps
// the last attempt's own error, for errors.As and the Is helpers.
var ErrMayHaveActed = errors.New("losant: the API may have acted on the request")

// mayHaveActedError is the error of a write whose outcome is not known.
type mayHaveActedError struct{ err error }

func (e *mayHaveActedError) Error() string {
	return e.err.Error() + " (an attempt may have reached the API: the change may have been made)"
}

func (e *mayHaveActedError) Unwrap() []error { return []error{e.err, ErrMayHaveActed} }
