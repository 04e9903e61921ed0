package losanttest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/getkin/kin-openapi/routers"

	"github.com/specdriven/losant/internal/shipped/contract"
)

// maxRequestBytes bounds the request body the fake reads: the API's bodies
// are a few kilobytes. A larger one is answered 413.
const maxRequestBytes = 64 << 10

// ServeHTTP serves r as the fake Losant API, making *Server an
// http.Handler to mount in a server of one's own (docs/FAKE.md). Every
// request runs the real API's checks in its order (a known path, a valid
// bearer token, the action's scopes, a request the spec allows), then the
// action; an injected Fault comes first. No body byte is read before the
// token and its scopes pass.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec, red, short := s.newRequest(r)
	rw := &recordingWriter{ResponseWriter: w, server: s, rec: rec, redactor: red, short: short}
	start := time.Now()
	defer func() {
		rw.record(0) // nothing written: dropped, or the client left
		s.logAccess(rw.rec, time.Since(start))
	}()
	x, routeErr := s.validator.Route(r)
	if routeErr == nil {
		rw.rec.Operation = Operation(x.Operation.OperationID)
	}
	api := func() { s.check(rw, r, x, routeErr) }
	if f, ok := s.nextFault(rw.rec.Operation); ok {
		rw.rec.Fault = true
		if serveFault(rw, r, f, api) {
			return
		}
	}
	api()
}

// logAccess writes the access log's line for a request, if there is a log.
func (s *Server) logAccess(rec Request, took time.Duration) {
	if s.accessLog == nil {
		return
	}
	s.accessMu.Lock()
	defer s.accessMu.Unlock()
	fmt.Fprintf(s.accessLog, "%s %s %s %d %s\n", time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		strconv.Quote(rec.Method), strconv.Quote(rec.Path), rec.Status, took.Round(time.Microsecond))
}

// check answers r, whose route the validator found (x) or did not (err).
func (s *Server) check(w *recordingWriter, r *http.Request, x *contract.Exchange, err error) {
	if err != nil {
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", truncate(r.Method, 32)+" is not allowed on "+truncate(r.URL.Path, 256))
		} else {
			writeError(w, http.StatusNotFound, "NotFound", "No resource at "+truncate(r.URL.Path, 256))
		}
		return
	}
	caller, ok := s.store.authenticate(bearer(r))
	if !ok {
		writeError(w, http.StatusUnauthorized, "Unauthorized", "Invalid, inactive or expired access token")
		return
	}
	op := s.operations[x.Operation.OperationID]
	if !slices.ContainsFunc(caller.Scope, func(scope string) bool { return slices.Contains(op.scopes, scope) }) {
		writeFailure(w, lacksScope(op))
		return
	}
	// Only now is the body read, and no more of it than the API takes.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	w.setBody(body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, "RequestTooLarge",
				fmt.Sprintf("The request body is over %d bytes", maxRequestBytes))
		} else {
			writeError(w, http.StatusBadRequest, "Validation", "body: "+truncate(err.Error(), maxReason))
		}
		return
	}
	// Schema validation of deep nesting costs seconds of CPU per request;
	// the API's bodies nest three levels.
	if depth := nesting(body); depth > maxNesting {
		writeError(w, http.StatusBadRequest, "Validation", fmt.Sprintf("body: nested %d levels deep, over %d", depth, maxNesting))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := s.validator.Check(x, r); err != nil {
		writeError(w, http.StatusBadRequest, "Validation", describeInvalid(err))
		return
	}
	s.act(w, r, op, x.PathParams, caller, body)
}

// maxNesting bounds how deep a request body's arrays and objects nest.
const maxNesting = 32

// nesting returns how deep JSON's arrays and objects nest, ignoring what
// is inside strings; it does not check that data is JSON.
func nesting(data []byte) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// writeError answers with the API's Error JSON.
func writeError(w http.ResponseWriter, status int, typ, message string) {
	writeJSON(w, status, struct { // the spec's Error schema
		Type    string `json:"type"`
		Message string `json:"message"`
	}{typ, message})
}

// recordingWriter records its request, for Requests, when the status is
// written: before the answer leaves, so that a client holding its answer
// finds the request already recorded.
// Under a LoseAnswer fault (lose), it records the status as lost and
// passes nothing on.
type recordingWriter struct {
	http.ResponseWriter
	server   *Server
	rec      Request
	redactor redactor // of what rec keeps
	short    bool     // rec keeps no header, query or body: the bearer did not authenticate
	recorded bool
	lose     bool
}

// WriteHeader records the request with status and passes it on.
func (w *recordingWriter) WriteHeader(status int) {
	w.record(status)
	if !w.lose {
		w.ResponseWriter.WriteHeader(status)
	}
}

// Write records the request with an implicit 200 if nothing was written.
func (w *recordingWriter) Write(b []byte) (int, error) {
	w.record(http.StatusOK)
	if w.lose {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the connection, for Drop and
// LoseAnswer faults.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// record records the request once, with the status it is answered with.
func (w *recordingWriter) record(status int) {
	if w.recorded {
		return
	}
	w.recorded = true
	if w.lose {
		w.rec.LostStatus, status = status, 0
	}
	w.rec.Status = status
	w.server.record(w.rec)
}
