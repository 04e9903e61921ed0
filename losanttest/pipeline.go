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
	rec := Request{Method: r.Method, Path: r.URL.Path, Domain: r.Header.Get("losantdomain")}
	if f, ok := s.nextFault(); ok {
		rec.Fault = true
		if rec.Status = serveFault(w, r, f); rec.Status >= 0 {
			s.record(rec)
			return
		}
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	rec.Operation = s.check(sw, r)
	rec.Status = sw.status
	s.record(rec)
}

func (s *Server) check(w http.ResponseWriter, r *http.Request) (operation string) {
	x, invalid := s.validator.Request(r)
	if x == nil {
		if errors.Is(invalid, routers.ErrMethodNotAllowed) {
			writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", r.Method+" is not allowed on "+r.URL.Path)
		} else {
			writeError(w, http.StatusNotFound, "NotFound", "No resource at "+r.URL.Path)
		}
		return ""
	}
	operation = x.Operation.OperationID
	secret, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	caller, ok := s.store.authenticate(secret)
	if !ok {
		writeError(w, http.StatusUnauthorized, "Unauthorized", "Invalid, inactive or expired access token")
		return operation
	}
	accepted := s.scopes[operation]
	if !slices.ContainsFunc(caller.Scope, func(scope string) bool { return slices.Contains(accepted, scope) }) {
		writeError(w, http.StatusForbidden, "Forbidden",
			"Access token lacks a scope for "+operation+"; one of: "+strings.Join(accepted, ", "))
		return operation
	}
	if invalid != nil {
		writeError(w, http.StatusBadRequest, "Validation", invalid.Error())
		return operation
	}
	s.api.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, caller)))
	return operation
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

// statusWriter remembers the status written, for Requests.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records status and passes it on.
func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}
