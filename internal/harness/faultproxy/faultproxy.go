// Package faultproxy is a test proxy that puts a flaky network between a
// client and a server such as losanttest's fake: it drops requests before
// or after the server acts on them, cuts answers midway and stalls them.
// Unlike the fake's own faults, which answer in the API's place, these
// happen after the API has acted, which is what makes an outcome unknown.
package faultproxy

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// Fault is what the proxy does to one request.
type Fault int

const (
	// Pass forwards the request and its answer unchanged.
	Pass Fault = iota
	// DropBefore closes the connection without forwarding the request: the
	// server never sees it.
	DropBefore
	// DropAfter forwards the request, lets the server act on it, and closes
	// the connection without answering: the answer is lost.
	DropAfter
	// CutBody forwards the request, then sends the answer's status, headers
	// and half its body, and closes the connection.
	CutBody
	// StallBody forwards the request, then sends the answer's status,
	// headers and half its body, and nothing more until the client goes
	// away or the proxy closes.
	StallBody
	// Throttle answers 429 Too Many Requests with Retry-After: 0 without
	// forwarding the request, as a rate limiter in front of the server
	// does: the server never sees it.
	Throttle
)

func (f Fault) String() string {
	return [...]string{"pass", "drop before", "drop after", "cut body", "stall body", "throttle"}[f]
}

// Policy chooses the fault a request meets. It is called from many
// goroutines at once.
type Policy func(r *http.Request) Fault

// Proxy forwards to one server, meeting faults as its policy says.
type Proxy struct {
	// URL is the proxy's base URL, to give the client in the server's place.
	URL string

	target   string
	srv      *httptest.Server
	forward  *http.Client
	closing  chan struct{}
	mu       sync.Mutex
	policy   Policy
	requests atomic.Int64
	faulted  atomic.Int64
}

// New starts a proxy to target (a base URL), passing every request until
// Set says otherwise, and closes it when the test ends.
func New(t testing.TB, target string) *Proxy {
	t.Helper()
	p := &Proxy{target: target, closing: make(chan struct{}), policy: Always(Pass)}
	p.forward = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	p.URL = p.srv.URL
	t.Cleanup(func() {
		close(p.closing)
		p.srv.Close()
		p.forward.CloseIdleConnections()
	})
	return p
}

// Set makes later requests meet faults as policy says.
func (p *Proxy) Set(policy Policy) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.policy = policy
}

// Requests is the number of requests the proxy has received.
func (p *Proxy) Requests() int { return int(p.requests.Load()) }

// Faulted is the number of requests that met a fault other than Pass.
func (p *Proxy) Faulted() int { return int(p.faulted.Load()) }

// Always is the policy of meeting f on every request.
func Always(f Fault) Policy { return func(*http.Request) Fault { return f } }

// Sequence is the policy of meeting faults in turn, one a request, then
// passing every request.
func Sequence(faults ...Fault) Policy {
	var mu sync.Mutex
	return func(*http.Request) Fault {
		mu.Lock()
		defer mu.Unlock()
		if len(faults) == 0 {
			return Pass
		}
		f := faults[0]
		faults = faults[1:]
		return f
	}
}

// Random is the policy of meeting, with probability rate, one of faults
// chosen at random, from a generator seeded with seed so that a failure
// can be replayed.
func Random(seed uint64, rate float64, faults ...Fault) Policy {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed))
	return func(*http.Request) Fault {
		mu.Lock()
		defer mu.Unlock()
		if len(faults) == 0 || rng.Float64() >= rate {
			return Pass
		}
		return faults[rng.IntN(len(faults))]
	}
}

// Only is policy for the requests match accepts, and Pass for the others.
func Only(match func(*http.Request) bool, policy Policy) Policy {
	return func(r *http.Request) Fault {
		if match(r) {
			return policy(r)
		}
		return Pass
	}
}

// Method matches the requests of one HTTP method.
func Method(method string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == method }
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	p.requests.Add(1)
	p.mu.Lock()
	policy := p.policy
	p.mu.Unlock()
	fault := policy(r)
	if fault != Pass {
		p.faulted.Add(1)
	}
	switch fault {
	case DropBefore:
		hangUp(w)
		return
	case Throttle:
		w.Header().Set("Retry-After", "0")
		http.Error(w, "faultproxy: throttled", http.StatusTooManyRequests)
		return
	}
	resp, body, err := p.send(r)
	if err != nil {
		http.Error(w, "faultproxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	switch fault {
	case DropAfter:
		hangUp(w)
	case CutBody, StallBody:
		p.sendHalf(w, resp, body, fault == StallBody)
	default:
		for name, values := range resp.Header {
			w.Header()[name] = values
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(body)
	}
}

// send forwards r to the target and reads the whole answer.
func (p *Proxy) send(r *http.Request) (*http.Response, []byte, error) {
	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), r.Body)
	if err != nil {
		return nil, nil, err
	}
	out.Header = r.Header.Clone()
	out.ContentLength = r.ContentLength
	resp, err := p.forward.Do(out)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// sendHalf writes the answer's status line, headers (with its whole
// length) and half its body on the raw connection, then closes it or,
// when stall is set, holds it open until the client or the proxy closes.
func (p *Proxy) sendHalf(w http.ResponseWriter, resp *http.Response, body []byte, stall bool) {
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	var head bytes.Buffer
	fmt.Fprintf(&head, "HTTP/1.1 %s\r\n", resp.Status)
	resp.Header.Del("Content-Length")
	resp.Header.Del("Transfer-Encoding")
	_ = resp.Header.Write(&head)
	fmt.Fprintf(&head, "Content-Length: %d\r\n\r\n", len(body))
	head.Write(body[:len(body)/2])
	_, _ = rw.Write(head.Bytes())
	_ = rw.Flush()
	if !stall {
		return
	}
	gone := make(chan struct{})
	go func() { // a read returns once the client closes
		_, _ = io.Copy(io.Discard, conn)
		close(gone)
	}()
	select {
	case <-gone:
	case <-p.closing:
	}
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}
