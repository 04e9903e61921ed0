package losant

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/specdriven/losant/internal/shipped/bearer"
	"github.com/specdriven/losant/internal/shipped/checks"
	"github.com/specdriven/losant/internal/shipped/redact"
	"github.com/specdriven/losant/internal/shipped/retrying"
	"github.com/specdriven/losant/internal/shipped/transport"
)

// decode turns a call's answer into a model or an error; with decodeInto
// it is the one place responses are checked.
func decode[T any](a outcome) (*T, error) {
	v := new(T)
	if err := decodeInto(a, v); err != nil {
		return nil, err
	}
	return v, nil
}

// decodeInto checks a call's answer and decodes its JSON body into into,
// unless into is nil. The error of a write that may have reached the API
// wraps ErrMayHaveActed.
func decodeInto(a outcome, into any) error {
	defer transport.Release(a.buf) // nothing decoded keeps it: *Error copies it
	err := withCallCause(a, checkAnswer(a, into))
	a.call.finish(a, err)
	return err
}

// withCallCause is err, a call's error, with what else the caller must
// know: why the token source gave no new token after a 401, and that a
// write may have acted. nil stays nil.
func withCallCause(a outcome, err error) error {
	if err != nil && a.unrenewed != nil {
		err = bearer.Unrenewed(err, a.unrenewed)
	}
	if err != nil && a.mayHaveActed {
		err = &mayHaveActedError{err: err}
	}
	return err
}

// notWhole is the error of an outcome that brought no whole answer: no
// response (a transport error, a refused redirect), or a body that could
// not be read whole; nil when the answer is whole, whatever its status.
func notWhole(a outcome) error {
	switch {
	case a.resp == nil && strings.HasPrefix(a.err.Error(), "losant: "): // a refused redirect
		return a.err
	case a.resp == nil:
		return fmt.Errorf("losant: %w", markNotTLS(a.err))
	case a.err != nil:
		return newError(a.resp, transport.Bytes(a.buf), fmt.Errorf("reading response: %w", a.err))
	}
	return nil
}

func checkAnswer(a outcome, into any) error {
	if err := notWhole(a); err != nil {
		return err
	}
	resp, body := a.resp, transport.Bytes(a.buf)
	switch {
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return apiError(resp, body)
	case into == nil:
		return nil
	case !transport.IsJSON(resp.Header.Get("Content-Type")):
		return newError(resp, body, fmt.Errorf("response Content-Type %q is not JSON", resp.Header.Get("Content-Type")))
	case string(bytes.TrimSpace(body)) == "null": // Unmarshal would accept it as "no fields"
		return newError(resp, body, errors.New("response body is null, not a JSON object"))
	}
	if err := json.Unmarshal(body, into); err != nil {
		return newError(resp, body, fmt.Errorf("decoding response: %w", err))
	}
	if s, ok := into.(*success); ok && !s.Success {
		return newError(resp, nil, errNotSuccess)
	}
	if err := checks.Complete(into); err != nil {
		return newError(resp, body, err)
	}
	return nil
}

// apiError builds the error for a non-2xx response, taking type and message
// from the body when it is the API's Error JSON.
func apiError(resp *http.Response, body []byte) *Error {
	e := newError(resp, body, nil)
	var apiErr struct{ Type, Message string } // the spec's Error schema
	if transport.IsJSON(resp.Header.Get("Content-Type")) && json.Unmarshal(e.Body, &apiErr) == nil {
		e.Type, e.Message = apiErr.Type, apiErr.Message
	}
	return e
}

// sentToken is the access token the request of resp carried, if any: a
// server that quotes it back ("Invalid access token: ...") must not put
// it into an error.
func sentToken(resp *http.Response) string {
	req := transport.FirstRequest(resp)
	if req == nil {
		return ""
	}
	return redact.BearerToken(req)
}

func newError(resp *http.Response, body []byte, cause error) *Error {
	token := sentToken(resp)
	e := &Error{StatusCode: resp.StatusCode, Header: redact.Header(resp.Header, token), Body: bytes.Clone(redact.Bytes(body, token)), Err: redact.Error(cause, token)}
	if wait, ok := retrying.After(resp.Header.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = wait
	}
	if req := transport.FirstRequest(resp); req != nil {
		e.Method = req.Method
		e.Path = redact.String(req.URL.Path, token) // the call's own path, not a redirect's, which the server chose
		if last := resp.Request; last != req && !transport.SameOrigin(last.URL, req.URL) {
			e.answeredBy = last.URL.Host
		}
	}
	return e
}

// decodeSuccess decodes a delete response, which must report success.
func decodeSuccess(a outcome) error {
	return decodeInto(a, new(success))
}

// success is the spec's Success schema, the body of a delete's answer.
type success struct{ Success bool }
