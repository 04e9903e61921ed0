package contract

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
)

// Transport is an http.RoundTripper that checks every response it carries
// against the spec, and the request too unless AllowBadRequests is set (for
// tests that send bad requests on purpose). It records what it finds rather
// than failing the call, so the caller sees the exchange as it was.
type Transport struct {
	Validator        *Validator
	Next             http.RoundTripper // http.DefaultTransport if nil
	AllowBadRequests bool

	exempt func(*http.Request) bool // a response not to check; nil checks every one

	mu       sync.Mutex
	problems []error
	checked  int
}

// RoundTrip sends req and checks the exchange.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Validate a copy: the request given to RoundTrip must not be changed.
	body, err := readAll(req.Body)
	if err != nil {
		return nil, err
	}
	probe := req.Clone(req.Context())
	probe.Body = io.NopCloser(bytes.NewReader(body))
	x, invalid := t.Validator.Request(probe)
	if invalid != nil && !t.AllowBadRequests {
		t.report(fmt.Errorf("a request the spec does not allow: %w", invalid))
	}

	sent := req.Clone(req.Context())
	sent.Body = io.NopCloser(bytes.NewReader(body))
	if body == nil {
		sent.Body = nil
	}
	next := t.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(sent)
	if err != nil || x == nil || (t.exempt != nil && t.exempt(req)) {
		return resp, err
	}
	respBody, err := readAll(resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	t.mu.Lock()
	t.checked++
	t.mu.Unlock()
	if err := t.Validator.Response(x, resp.StatusCode, resp.Header, respBody); err != nil {
		t.report(fmt.Errorf("a response the spec does not allow: %w", err))
	}
	return resp, nil
}

// Problems returns what the spec did not allow, and how many responses
// were checked.
func (t *Transport) Problems() (problems []error, checked int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]error(nil), t.problems...), t.checked
}

func (t *Transport) report(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.problems = append(t.problems, err)
}

func readAll(body io.ReadCloser) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	defer body.Close()
	return io.ReadAll(body)
}

// CheckOption changes what CheckedTransport holds against a test.
type CheckOption func(*checkConfig)

type checkConfig struct {
	rejectBadRequests bool
	exempt            func(*http.Request) bool
	mayCheckNone      bool
}

// RejectBadRequests fails the test for a request the spec does not allow
// too: for tests of a client that must send only good ones.
func RejectBadRequests() CheckOption { return func(c *checkConfig) { c.rejectBadRequests = true } }

// Exempt leaves unchecked the responses to the requests offSpec reports
// true for (their requests are still checked): a test's server that
// answers off the spec on purpose, as a proxy's error page would.
func Exempt(offSpec func(*http.Request) bool) CheckOption {
	return func(c *checkConfig) { c.exempt = offSpec }
}

// MayCheckNone lets the test end with no response checked: a test that
// sends nothing on purpose, or whose every answer is lost.
func MayCheckNone() CheckOption { return func(c *checkConfig) { c.mayCheckNone = true } }

// CheckedTransport returns a Transport for a test's client: it is the one
// place tests check their exchanges against the spec. Bad requests may be
// sent on purpose unless RejectBadRequests is given, and when the test
// ends it fails tb if a response broke the spec, or if none was checked
// (unless MayCheckNone is given).
func CheckedTransport(tb testing.TB, opts ...CheckOption) *Transport {
	tb.Helper()
	var c checkConfig
	for _, opt := range opts {
		opt(&c)
	}
	v, err := New()
	if err != nil {
		tb.Fatal(err)
	}
	t := &Transport{Validator: v, AllowBadRequests: !c.rejectBadRequests, exempt: c.exempt}
	tb.Cleanup(func() {
		problems, checked := t.Problems()
		for _, p := range problems {
			tb.Error(p)
		}
		if checked == 0 && !c.mayCheckNone {
			tb.Error("no response was checked against the spec")
		}
	})
	return t
}
