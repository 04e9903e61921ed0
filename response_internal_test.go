package losant

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/transport"
)

// FuzzDecode feeds any response to the decoder: it returns a model or an
// *Error with the response's status, never both, never neither.
func FuzzDecode(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"id":"575ec7417ae143cd83dc4a95","name":"n","scope":["all.User"]}`))
	f.Add(404, "application/json; charset=utf-8", []byte(`{"type":"NotFound","message":"gone"}`))
	f.Add(200, "text/html", []byte(`<html>`))
	f.Add(200, "application/json", []byte(`{"success": true}`))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 100 || status > 999 {
			t.Skip("not an HTTP status")
		}
		tok, err := decode[gen.APIToken](fakeResponse(status, contentType, body))
		checkDecoded(t, status, body, tok != nil, err)
		err = decodeSuccess(fakeResponse(status, contentType, body))
		checkDecoded(t, status, body, err == nil, err)
		if err == nil && !bytes.Contains(body, []byte("true")) {
			t.Fatalf("success without true in %q", body)
		}
	})
}

const fuzzBodyLimit = 4096

// fakeResponse is the answer to a GET whose response is status,
// contentType and body, read as the doer reads it.
func fakeResponse(status int, contentType string, body []byte) outcome {
	req := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/me/tokens/575ec7417ae143cd83dc4a95"}}
	resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}}, ContentLength: -1, Request: req}
	read, err := transport.ReadBody(bytes.NewReader(body), -1, fuzzBodyLimit, ErrResponseTooLarge)
	return outcome{resp: resp, buf: read, err: err}
}

func checkDecoded(t *testing.T, status int, body []byte, ok bool, err error) {
	t.Helper()
	if ok == (err != nil) {
		t.Fatalf("ok %v with error %v", ok, err)
	}
	if ok {
		if status < 200 || status > 299 || !json.Valid(body) || len(body) > fuzzBodyLimit {
			t.Fatalf("accepted status %d body %q", status, body)
		}
		return
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
		t.Fatalf("error %v is not an *Error with status %d", err, status)
	}
	_ = err.Error()
}
