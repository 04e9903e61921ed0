package losant_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/internal/contract"
)

// contractServer is an httptest server that checks every request it gets
// against api/openapi.yaml, answers with the reply the test set, and checks
// that reply against the spec too, unless the reply is marked off-spec (a
// proxy's HTML page, say, which no spec describes).
type contractServer struct {
	*httptest.Server
	t         *testing.T
	validator *contract.Validator

	mu       sync.Mutex
	reply    reply
	requests []recorded
}

// reply is what the server answers.
type reply struct {
	status      int
	contentType string
	body        string
	offSpec     bool
}

// recorded is a request as the server received it.
type recorded struct {
	Method    string
	Path      string // as sent, still escaped
	Query     url.Values
	Header    http.Header
	Body      []byte
	Operation string // the spec's operationId
}

func newContractServer(t *testing.T) *contractServer {
	t.Helper()
	v, err := contract.New()
	require.NoError(t, err)
	s := &contractServer{t: t, validator: v}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// respond sets the reply to every following request.
func (s *contractServer) respond(r reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reply = r
}

// received returns the requests received so far and forgets them.
func (s *contractServer) received() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	got := s.requests
	s.requests = nil
	return got
}

// only returns the one request received since the last call.
func (s *contractServer) only() recorded {
	s.t.Helper()
	got := s.received()
	require.Len(s.t, got, 1, "requests received")
	return got[0]
}

func (s *contractServer) serve(w http.ResponseWriter, r *http.Request) {
	x, err := s.validator.Request(r)
	if err != nil {
		s.t.Errorf("the client sent a request the spec does not allow: %v", err)
	}
	body, _ := io.ReadAll(r.Body)
	rec := recorded{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header.Clone(), Body: body}
	if x != nil {
		rec.Operation = x.Operation.OperationID
	}

	s.mu.Lock()
	s.requests = append(s.requests, rec)
	rep := s.reply
	s.mu.Unlock()

	header := http.Header{}
	if rep.contentType != "" {
		header.Set("Content-Type", rep.contentType)
	}
	if x != nil && !rep.offSpec {
		if err := s.validator.Response(x, rep.status, header, []byte(rep.body)); err != nil {
			s.t.Errorf("the test's reply is not valid against the spec: %v", err)
		}
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

// serveLoopback serves h on loopback for the test's lifetime.
func serveLoopback(t *testing.T, h http.Handler) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}
