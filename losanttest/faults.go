package losanttest

import (
	"io"
	"net/http"
	"strconv"
	"time"
)

// Fault is a failure the fake puts in place of the API's answer, as an
// overloaded API, a load balancer or a flaky network would. Faults are met
// before any of the API's checks, so a faulted request changes nothing.
type Fault struct {
	// Latency delays the answer, or the other faults; the request's own
	// context (a client that gives up) ends the wait early.
	Latency time.Duration
	// Status, when set, is the status of the answer, with an Error JSON
	// body: 429 or 503, say.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string
	// Drop closes the connection without answering.
	Drop bool
	// Malformed answers 200 with a truncated JSON body.
	Malformed bool
}

// malformedBody is the body a Malformed fault answers with: JSON cut off
// inside a string.
const malformedBody = `{"id": "575ec7417ae143cd83dc4a95", "name": "trunc`

type queuedFault struct {
	fault Fault
	left  int // requests still to meet the fault; < 0 means every one
}

// Inject makes the next n requests meet fault f; n < 1 makes every request
// meet it until ClearFaults. Faults injected earlier are met first.
func (s *Server) Inject(f Fault, n int) {
	if n < 1 {
		n = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &queuedFault{fault: f, left: n})
}

// ClearFaults removes every fault not yet met.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// nextFault takes the fault the next request meets, if any.
func (s *Server) nextFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	q := s.faults[0]
	if q.left > 0 {
		q.left--
		if q.left == 0 {
			s.faults = s.faults[1:]
		}
	}
	return q.fault, true
}

// serveFault answers r as f says. It returns false when the request is to
// go on to the API (a Latency fault alone).
func serveFault(w *recordingWriter, r *http.Request, f Fault) bool {
	if f.Latency > 0 {
		timer := time.NewTimer(f.Latency)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			return true
		}
	}
	switch {
	case f.Drop:
		w.record(0)
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return true
	case f.Malformed:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(malformedBody)))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, malformedBody)
		return true
	case f.Status != 0:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		writeError(w, f.Status, "Fault", "injected by losanttest: "+http.StatusText(f.Status))
		return true
	default: // latency only: go on to the API
		return false
	}
}
