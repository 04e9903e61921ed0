package losant

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is the error returned for a response the client cannot accept: any
// non-2xx status, or a 2xx whose body is not what the API promises.
// Use errors.As to reach it through wrapping, or the Is... helpers.
type Error struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Method and Path name the request that failed.
	Method, Path string
	// Type and Message come from the API's Error JSON body
	// ({"type": "NotFound", "message": "..."}); empty when the body was not one.
	Type, Message string
	// Body is the raw response body (up to the read limit), kept so that a
	// body that is not the Error JSON, such as a proxy's HTML page, can be
	// inspected.
	Body []byte
	// Err is the cause when a 2xx response could not be decoded.
	Err error
}

// Error describes the failure. It never includes the request's headers, so
// it never includes the API token.
func (e *Error) Error() string {
	prefix := fmt.Sprintf("losant: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.Err != nil:
		return prefix + ": " + e.Err.Error()
	case e.Type != "" || e.Message != "":
		return prefix + ": " + e.Type + ": " + e.Message
	case len(e.Body) == 0:
		return prefix + ": empty body"
	default:
		return fmt.Sprintf("%s: unexpected body (%d bytes)", prefix, len(e.Body))
	}
}

// Unwrap returns the decoding error of a 2xx response, if any.
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

func hasStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == status
}
