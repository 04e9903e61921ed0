package losant

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/specdriven/losant/internal/shipped/terminal"
)

// Error is the error returned for a response the client cannot accept: any
// non-2xx status, a body that could not be read whole, or a 2xx whose body
// is not what the API promises.
// A write answered with a redirect that would turn it into a GET (301,
// 302, 303) is one too, never followed. StatusCode(err) reads its status
// through any wrapping; errors.As reaches it.
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

	answeredBy string // the host that answered, when a redirect led to another origin
}

// Error describes the failure. It never includes the request's headers, so
// it never includes the API token, and text from the API in it is escaped
// (terminal.Safe): a message cannot forge a log line or drive a terminal.
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
	if e.answeredBy != "" {
		fmt.Fprintf(&b, " (answered by %s, where a redirect led: the access token is not sent to another origin)", e.answeredBy)
	}
	return terminal.Safe(b.String())
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// StatusCode is the status of the API's answer behind err (the *Error in
// its chain), such as http.StatusNotFound for an unknown application or
// token, or http.StatusTooManyRequests (the *Error's RetryAfter says how
// long to wait); 0 when err is nil (a nil *Error too) or not an answer of
// the API: a refused argument, a network error.
func StatusCode(err error) int {
	if err == nil {
		return 0
	}
	var e *Error
	if errors.As(err, &e) && e != nil { // a nil *Error is no answer
		return e.StatusCode
	}
	return 0
}

// redirectRefused is why a write (PATCH, POST or DELETE) that the server
// answered with a 301, 302 or 303 fails, as the *Error of that answer:
// following it would resend the write as a GET without its body and report
// the GET's answer as the write's. It names the target's host, never its
// path or query, and is never retried.
type redirectRefused struct {
	method string
	host   string
}

func (e *redirectRefused) Error() string {
	return fmt.Sprintf("a redirect to host %q, not followed: it would turn the %s into a GET", e.host, e.method)
}

// ErrMayHaveActed is wrapped by the error of a write (Patch, Delete,
// Create) that the API may have carried out although the call failed: an
// attempt's answer was lost, cut or undecodable, or was a 500, 502 or 504
// (only a 4xx, a 503 and a connection never made say nothing was done),
// even when a later attempt was refused. Read the token to know where it
// stands; the error also wraps the last attempt's own.
var ErrMayHaveActed = errors.New("losant: the API may have acted on the request")

// mayHaveActedError is the error of a write whose outcome is not known.
type mayHaveActedError struct{ err error }

func (e *mayHaveActedError) Error() string {
	return e.err.Error() + " (an attempt may have reached the API: the change may have been made)"
}

func (e *mayHaveActedError) Unwrap() []error { return []error{e.err, ErrMayHaveActed} }

// ErrResponseTooLarge is wrapped by the *Error of a response whose body is
// larger than the limit WithMaxResponseBytes sets.
var ErrResponseTooLarge = errors.New("losant: response body too large")

// ErrPlainHTTP is wrapped by NewClient's error for a plain http:// base
// URL to a host other than this machine without WithInsecureHTTP.
var ErrPlainHTTP = errors.New("losant: plain http would send the API token unencrypted")

// errDowngrade is the error of a redirect from https to plain http to a
// host other than this machine: Authorization would not follow it, but
// the answer could be forged by anyone on the way (an audit made to pass).
var errDowngrade = fmt.Errorf("losant: a redirect from https to plain http was refused: %w", ErrPlainHTTP)

// errTooManyRedirects ends a redirect chain; retrying would not help.
var errTooManyRedirects = errors.New("losant: stopped after 10 redirects")

// ErrEndlessPages is wrapped by the error All yields when the API's pages
// do not end: a page that holds only tokens already listed although the
// count of tokens did not change, or more pages than WithMaxPages allows,
// whatever totalCount the server reports.
var ErrEndlessPages = errors.New("losant: the API's pages do not end")

// ErrInvalidArgument is matched, through errors.Is, by every error of a
// call refused before anything was sent.
var ErrInvalidArgument = errors.New("losant: invalid argument")

// ArgumentError reports an argument refused before anything was sent:
// one the API would refuse, or one no request can be made with.
type ArgumentError struct {
	// Field names the argument: the API's name for a parameter or a body
	// field ("applicationId", "apiTokenId", "name", "losantdomain",
	// "orgRoles[2].role"), or, for an argument that is not one, what it is
	// ("owner", "context", "expirationDate" of rotation.Options).
	Field string
	// Reason says what is wrong. It never quotes an ID that failed its
	// check, since a secret may have been passed in its place.
	Reason string
}

// Error names the field and says what is wrong with it.
func (e *ArgumentError) Error() string {
	return "losant: invalid " + e.Field + ": " + e.Reason
}

// Is makes errors.Is(err, ErrInvalidArgument) true.
func (e *ArgumentError) Is(target error) bool { return target == ErrInvalidArgument }

func invalid(field, format string, args ...any) error {
	return &ArgumentError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// errNotSuccess reports a 2xx delete response without {"success": true}.
var errNotSuccess = errors.New(`losant: response body is not {"success": true}`)

// prefixedError is err said after prefix, whose own "losant: " is not said
// twice; it unwraps to err.
type prefixedError struct {
	prefix string
	err    error
}

func (e *prefixedError) Error() string {
	return e.prefix + strings.TrimPrefix(e.err.Error(), "losant: ")
}

func (e *prefixedError) Unwrap() error { return e.err }
