package losant

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/specdriven/losant/gen"
)

// decode turns the generated client's result into a model or an error; it
// is the one place responses are checked. It always closes the body.
func decode[T any](resp *http.Response, err error) (*T, error) {
	if err != nil {
		return nil, fmt.Errorf("losant: %w", err)
	}
	defer resp.Body.Close()
	body, err := readBody(resp)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, apiError(resp, body)
	}
	if !isJSON(resp.Header.Get("Content-Type")) {
		return nil, newError(resp, body, fmt.Errorf("response Content-Type %q is not JSON", resp.Header.Get("Content-Type")))
	}
	if string(bytes.TrimSpace(body)) == "null" { // Unmarshal would accept it as "no fields"
		return nil, newError(resp, body, errors.New("response body is null, not a JSON object"))
	}
	v := new(T)
	if err := json.Unmarshal(body, v); err != nil {
		return nil, newError(resp, body, fmt.Errorf("decoding response: %w", err))
	}
	return v, nil
}

// readBody reads the whole body; the doer's limit stops one that is too
// large with ErrResponseTooLarge. It is io.ReadAll with a first buffer
// sized by Content-Length, up to that limit, so a typical body takes one
// allocation and a lying Content-Length cannot make a huge one.
func readBody(resp *http.Response) ([]byte, error) {
	limit := int64(DefaultMaxResponseBytes)
	if b, ok := resp.Body.(*limitedBody); ok {
		limit = b.limit
	}
	size := 512
	if n := resp.ContentLength; n > 0 && n <= limit {
		size = int(n) + 1 // +1: the read that sees EOF needs room
	}
	body := make([]byte, 0, size)
	for {
		n, err := resp.Body.Read(body[len(body):cap(body)])
		body = body[:len(body)+n]
		if err == io.EOF {
			return body, nil
		}
		if err != nil {
			return nil, newError(resp, body, fmt.Errorf("reading response: %w", err))
		}
		if len(body) == cap(body) {
			body = append(body, 0)[:len(body)]
		}
	}
}

// apiError builds the error for a non-2xx response, taking type and message
// from the body when it is the API's Error JSON.
func apiError(resp *http.Response, body []byte) *Error {
	e := newError(resp, body, nil)
	var apiErr gen.Error
	if isJSON(resp.Header.Get("Content-Type")) && json.Unmarshal(e.Body, &apiErr) == nil {
		if apiErr.Type != nil {
			e.Type = *apiErr.Type
		}
		if apiErr.Message != nil {
			e.Message = *apiErr.Message
		}
	}
	return e
}

// sentToken is the access token the request of resp carried, if any: a
// server that quotes it back ("Invalid access token: ...") must not put
// it into an error.
func sentToken(resp *http.Response) string {
	if resp.Request == nil {
		return ""
	}
	token, _ := strings.CutPrefix(resp.Request.Header.Get("Authorization"), "Bearer ")
	return token
}

// redactBytes replaces every copy of secret in b, and in the JSON escapes
// of it, with [REDACTED]; b itself is left unchanged.
func redactBytes(b []byte, secret string) []byte {
	if secret == "" || len(b) == 0 {
		return b
	}
	out := b
	for _, form := range []string{secret, jsonEscaped(secret)} {
		if bytes.Contains(out, []byte(form)) {
			out = bytes.ReplaceAll(out, []byte(form), []byte(redacted))
		}
	}
	return out
}

// jsonEscaped is s as it appears inside a JSON string.
func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func newError(resp *http.Response, body []byte, cause error) *Error {
	e := &Error{StatusCode: resp.StatusCode, Header: resp.Header, Body: redactBytes(body, sentToken(resp)), Err: cause}
	if wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = wait
	}
	if resp.Request != nil {
		e.Method = resp.Request.Method
		e.Path = resp.Request.URL.Path
	}
	return e
}

// isJSON reports whether a Content-Type is JSON. It reads only the media
// type, before any parameter, as mime.ParseMediaType would, without its
// allocations on every response.
func isJSON(contentType string) bool {
	mediaType, _, _ := strings.Cut(contentType, ";")
	mediaType = strings.TrimSpace(mediaType)
	return strings.EqualFold(mediaType, "application/json") || strings.EqualFold(mediaType, "application/problem+json")
}

// errNotSuccess reports a 2xx delete response without {"success": true}.
var errNotSuccess = errors.New(`losant: response body is not {"success": true}`)

// decodeSuccess decodes a delete response, which must report success.
func decodeSuccess(resp *http.Response, err error) error {
	s, err := decode[gen.Success](resp, err)
	if err != nil {
		return err
	}
	if !s.Success {
		return newError(resp, nil, errNotSuccess)
	}
	return nil
}
