package testworld

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/specdriven/losant/losanttest"
)

// Answer is the fake's answer to a request Send made by hand.
type Answer struct {
	// Status is the answer's status; 0 when no answer came (Err says why).
	Status int
	// Type and Message are the Error JSON's, when the body is one.
	Type, Message string
	// Size is the body's length in bytes, as far as it was read.
	Size int
	// Err is the transport's error: the request got no answer (the
	// connection dropped), or its body could not be read to the end.
	Err error
}

// Send sends a request to the fake by hand, past the client and its
// checks, for tests of what the fake does with a request no client
// makes: it authenticates as bearer (none for the zero Token), sends body
// (none if nil) as application/json, then sets header's name and value
// pairs, which may replace either. It reads the whole answer and decodes
// its Error JSON. A transport error is not a failure of t but the
// Answer's Err, for the tests of dropped answers; a test that wants an
// answer calls Answered. Send gives up after 30 seconds (a hang guard,
// not a timing check).
func (w *World) Send(t testing.TB, bearer losanttest.Token, method, path string, body io.Reader, header ...string) Answer {
	t.Helper()
	if len(header)%2 != 0 {
		t.Fatalf("testworld: Send's header is name and value pairs, not %q", header)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, w.Server.URL+path, body)
	if err != nil {
		t.Fatalf("testworld: Send: %v", err) // a mistake in the test's method or path
	}
	if bearer.Secret != "" {
		req.Header.Set("Authorization", "Bearer "+bearer.Secret)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Answer{Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	a := Answer{Status: resp.StatusCode, Size: len(raw), Err: err}
	var e struct{ Type, Message string }
	if json.Unmarshal(raw, &e) == nil {
		a.Type, a.Message = e.Type, e.Message
	}
	return a
}

// Answered fails t now unless the request got its whole answer (Err is
// nil), and returns a: for tests that want an answer, not a drop.
func (a Answer) Answered(t testing.TB) Answer {
	t.Helper()
	if a.Err != nil {
		t.Fatalf("testworld: no whole answer: %v", a.Err)
	}
	return a
}
