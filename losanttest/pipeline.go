package losanttest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/routers"

	"github.com/specdriven/losant/gen/server"
)

// serveHTTP runs every request through the checks the real API makes, in
// its order: a known path (404), a valid bearer token (401), one of the
// action's scopes (403), a request the spec allows (400); then the action.
// An injected Fault comes first, as a load balancer's would.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rw := &recordingWriter{ResponseWriter: w, server: s,
		rec: Request{Method: r.Method, Path: r.URL.Path, Domain: r.Header.Get("losantdomain")}}
	defer rw.record(0) // nothing written: dropped, or the client left
	if f, ok := s.nextFault(); ok {
		rw.rec.Fault = true
		if serveFault(rw, r, f) {
			return
		}
	}
	s.check(rw, r)
}

func (s *Server) check(w *recordingWriter, r *http.Request) {
	x, invalid := s.validator.Request(r)
	if x == nil {
		if errors.Is(invalid, routers.ErrMethodNotAllowed) {
			writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", r.Method+" is not allowed on "+r.URL.Path)
		} else {
			writeError(w, http.StatusNotFound, "NotFound", "No resource at "+r.URL.Path)
		}
		return
	}
	operation := x.Operation.OperationID
	w.rec.Operation = operation
	secret, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	caller, ok := s.store.authenticate(secret)
	if !ok {
		writeError(w, http.StatusUnauthorized, "Unauthorized", "Invalid, inactive or expired access token")
		return
	}
	accepted := s.scopes[operation]
	if !slices.ContainsFunc(caller.Scope, func(scope string) bool { return slices.Contains(accepted, scope) }) {
		writeError(w, http.StatusForbidden, "Forbidden",
			"Access token lacks a scope for "+operation+"; one of: "+strings.Join(accepted, ", "))
		return
	}
	if invalid != nil {
		writeError(w, http.StatusBadRequest, "Validation", invalid.Error())
		return
	}
	s.api.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, caller)))
}

// writeError answers with the API's Error JSON.
func writeError(w http.ResponseWriter, status int, typ, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(server.Error{Type: &typ, Message: &message})
}

// badRequest answers a request the generated server could not bind.
func badRequest(w http.ResponseWriter, _ *http.Request, err error) {
	writeError(w, http.StatusBadRequest, "Validation", err.Error())
}

// internalError answers when a handler fails, which is a bug of the fake.
func internalError(w http.ResponseWriter, _ *http.Request, err error) {
	writeError(w, http.StatusInternalServerError, "InternalError", err.Error())
}

// recordingWriter records its request, for Requests, when the status is
// written: before the answer leaves, so that a client holding its answer
// finds the request already recorded.
type recordingWriter struct {
	http.ResponseWriter
	server   *Server
	rec      Request
	recorded bool
}

// WriteHeader records the request with status and passes it on.
func (w *recordingWriter) WriteHeader(status int) {
	w.record(status)
	w.ResponseWriter.WriteHeader(status)
}

// Write records the request with an implicit 200 if nothing was written.
func (w *recordingWriter) Write(b []byte) (int, error) {
	w.record(http.StatusOK)
	return w.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the connection, for Drop faults.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// record records the request once, with the status it is answered with.
func (w *recordingWriter) record(status int) {
	if w.recorded {
		return
	}
	w.recorded = true
	w.rec.Status = status
	w.server.record(w.rec)
}
