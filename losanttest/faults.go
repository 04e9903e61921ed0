package losanttest

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Fault is a failure the fake puts in place of the API's answer, as an
// overloaded API, a load balancer or a flaky network would. Faults are met
// before any of the API's checks, so a faulted request changes nothing,
// except under LoseAnswer, which lets the API act and then loses its answer.
// Of Drop, LoseAnswer, Malformed and Status, the first set in that order
// acts; a Fault with none of them (Latency alone, or the zero Fault) lets
// the request go on to the API.
type Fault struct {
	// Latency delays the answer, or the other faults; the request's own
	// context (a client that gives up) ends the wait early.
	Latency time.Duration
	// Status, when set, is the status of the answer, with an Error JSON
	// body: 429 or 503, say.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string
	// Drop closes the connection without answering: the API never sees
	// the request.
	Drop bool
	// Malformed answers 200 with a truncated JSON body.
	Malformed bool
	// LoseAnswer lets the request go on to the API, which checks it and
	// acts on it as ever (a create makes the token, a patch changes it),
	// then closes the connection without sending the answer: the client
	// cannot know what was done, as when a network fails after the API
	// acted (package losant's ErrMayHaveActed). The Request records the
	// answer kept from the client in LostStatus.
	LoseAnswer bool
}

// malformedBody is the body a Malformed fault answers with: JSON cut off
// inside a string.
const malformedBody = `{"id": "575ec7417ae143cd83dc4a95", "name": "trunc`

// queuedFault is an injected fault and the requests it is aimed at.
type queuedFault struct {
	fault Fault
	op    Operation // the operation whose requests it meets; "" for every request
	skip  int       // requests of op still to let through before it is due
	left  int       // requests still to meet it; < 0 means every one
}

// Inject makes the next request meet fault f, or the requests opts say:
// For(op) aims it at one operation's requests, Nth(n) lets the n-1 before
// it through, Times(k) makes k of them meet it (k < 1: every one, until
// ClearFaults). A request meets one fault at most, the one injected first
// of those due; docs/FAKE.md says how requests are counted. An op the
// fake does not serve fails New's test, or panics for NewServer's.
func (s *Server) Inject(f Fault, opts ...FaultOption) {
	if s.tb != nil { // a failure is reported at the test's line
		s.tb.Helper()
	}
	q := &queuedFault{fault: f, left: 1}
	for _, opt := range opts {
		if opt.apply != nil {
			opt.apply(q)
		}
	}
	if _, known := s.operations[string(q.op)]; !known && q.op != "" {
		s.must("Inject", fmt.Errorf("%s is not an operation the fake serves (see Operations)", strconv.Quote(truncate(string(q.op), 64))))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, q)
}

// For aims an injected fault at the requests of one operation; without
// it, a fault meets requests of every operation.
func For(op Operation) FaultOption { return FaultOption{apply: func(q *queuedFault) { q.op = op }} }

// A FaultOption says which requests an injected fault meets (Inject).
type FaultOption struct{ apply func(*queuedFault) }

// Nth makes the fault first meet the nth request of its operation,
// counting from 1 from the call to Inject: the n-1 before it pass
// through untouched. Without it, or with n < 1, the fault meets the next
// one.
func Nth(n int) FaultOption {
	return FaultOption{apply: func(q *queuedFault) { q.skip = max(n-1, 0) }}
}

// Times makes the fault meet n requests of its operation, from the Nth on
// (without it, one); n < 1 makes it meet every one until ClearFaults, as
// Inject's n does.
func Times(n int) FaultOption {
	return FaultOption{apply: func(q *queuedFault) {
		q.left = n
		if n < 1 {
			q.left = -1
		}
	}}
}

// ClearFaults removes every fault not yet met.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// nextFault counts a request of op against the faults aimed at it, and
// takes the fault it meets, if any.
func (s *Server) nextFault(op Operation) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	met := -1
	for i, q := range s.faults {
		switch {
		case q.op != "" && q.op != op:
		case q.skip > 0:
			q.skip--
		case met < 0:
			met = i
		}
	}
	if met < 0 {
		return Fault{}, false
	}
	q := s.faults[met]
	if q.left > 0 {
		q.left--
		if q.left == 0 {
			s.faults = slices.Delete(s.faults, met, met+1)
		}
	}
	return q.fault, true
}

// serveFault answers r as f says; under LoseAnswer, api is the API's own
// answer, which it lets act and then loses. It returns false when the
// request is to go on to the API (Latency alone, or the zero Fault).
func serveFault(w *recordingWriter, r *http.Request, f Fault, api func()) bool {
	if f.Latency > 0 {
		timer := time.NewTimer(f.Latency)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			return true
		}
	}
	if f.Drop || f.Malformed || f.Status != 0 { // the API never sees it: keep what it sent
		w.keepBody(io.LimitReader(r.Body, maxRequestBytes))
	}
	switch {
	case f.Drop:
		drop(w)
	case f.LoseAnswer:
		w.lose = true
		api()
		drop(w)
	case f.Malformed:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(malformedBody)))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, malformedBody)
	case f.Status != 0:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		writeError(w, f.Status, "Fault", "injected by losanttest: "+http.StatusText(f.Status))
	default: // latency only: go on to the API
		return false
	}
	return true
}

// drop closes the request's connection without an answer (or what is left
// of one), recording the request as unanswered. A connection that cannot
// be hijacked, such as HTTP/2's, has its stream reset instead.
func drop(w *recordingWriter) {
	w.record(0)
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // net/http resets the stream and logs nothing
	}
	conn.Close()
}
