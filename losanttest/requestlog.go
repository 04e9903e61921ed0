package losanttest

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Request is a request the fake received, as a test may want to assert it.
// What it keeps of the request has every secret replaced by Redacted: the
// value of the Authorization, Proxy-Authorization and Cookie headers (the
// scheme, such as "Bearer", is kept), and, in every other header, the
// query, the path and the body, the bearer token the request presented,
// the secret of any token the fake holds and anything shaped like a
// Losant token (a JWT).
type Request struct {
	Method string
	Path   string
	// Operation is the spec's operation the path and method name, also
	// for a request a Fault met; empty if they name none.
	Operation Operation
	Domain    string // the losantdomain header, empty if absent
	// Status is the status the fake answered with; 0 if no answer was
	// sent (a Drop or LoseAnswer fault, or a client that left).
	Status int
	// LostStatus is, for a request a LoseAnswer fault met, the status of
	// the answer the fault kept from the client: 2xx if the API acted.
	LostStatus int
	Fault      bool // whether an injected Fault met the request
	// Header is a copy of the request's headers, secrets redacted.
	Header http.Header
	// Query is a copy of the request's query, secrets redacted.
	Query url.Values
	// Body is the request's body as far as the fake read it, at most its
	// limit of 64 KiB, secrets redacted: empty for a request refused
	// before its body is read (a 401, 403, 404 or 405), and for one with
	// no body.
	Body []byte
}

// Redacted stands in a Request for each secret the fake left out.
const Redacted = "[REDACTED]"

// clone copies r deeply enough that the caller cannot change the log.
func (r Request) clone() Request {
	r.Header = r.Header.Clone()
	if r.Query != nil {
		r.Query = url.Values(http.Header(r.Query).Clone())
	}
	r.Body = slices.Clone(r.Body)
	return r
}

// Requests returns the requests received so far, oldest first: the last
// DefaultRequestLog of them, or as many as WithRequestLog says. They are
// copies: changing one changes no other caller's.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.requests.all()
	for i := range all {
		all[i] = all[i].clone()
	}
	return all
}

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests.reset()
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests.add(r)
}

// requestLog keeps the last limit requests, in a ring.
type requestLog struct {
	limit int
	ring  []Request
	next  int // where the next request goes, once the ring is full
}

func (l *requestLog) add(r Request) {
	switch {
	case l.limit == 0:
	case len(l.ring) < l.limit:
		l.ring = append(l.ring, r)
	default:
		l.ring[l.next] = r
		l.next = (l.next + 1) % l.limit
	}
}

func (l *requestLog) all() []Request {
	return append(slices.Clone(l.ring[l.next:]), l.ring[:l.next]...)
}

func (l *requestLog) reset() { l.ring, l.next = nil, 0 }

// newRequest is what the log keeps of r before it is answered; its body is
// added when it is read (recordingWriter.keepBody).
func (s *Server) newRequest(r *http.Request) (Request, redactor) {
	bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	red := redactor{bearer: strings.TrimSpace(bearer), known: s.store.holdsSecret}
	rec := Request{Method: r.Method, Path: red.redact(r.URL.Path), Domain: red.redact(r.Header.Get("losantdomain")),
		Header: make(http.Header, len(r.Header)), Query: url.Values{}}
	for name, values := range r.Header {
		for _, v := range values {
			rec.Header[name] = append(rec.Header[name], red.header(name, v))
		}
	}
	for name, values := range r.URL.Query() {
		for _, v := range values {
			key := red.redact(name)
			rec.Query[key] = append(rec.Query[key], red.redact(v))
		}
	}
	return rec, red
}

// redactor replaces the secrets in what the request log keeps.
type redactor struct {
	bearer string              // the bearer token the request presented
	known  func(s string) bool // whether s is the secret of a token the fake holds
}

// credentialHeaders are the headers whose every value is a credential.
var credentialHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie"}

// header redacts the value v of the header name.
func (red redactor) header(name, v string) string {
	if !slices.Contains(credentialHeaders, http.CanonicalHeaderKey(name)) {
		return red.redact(v)
	}
	if scheme, _, found := strings.Cut(strings.TrimSpace(v), " "); found && len(scheme) <= 32 && !red.secretLike(scheme) {
		return red.redact(scheme) + " " + Redacted
	}
	return Redacted
}

// tokenWord is a run of the characters a bearer token is made of.
var tokenWord = regexp.MustCompile(`[A-Za-z0-9._~+/=-]+`)

// minEmbedded is the shortest bearer token that is also looked for inside
// words: a shorter one is redacted only where it stands as a whole word,
// lest every "a" of a log be taken for the secret "a".
const minEmbedded = 8

// jwtShape is a JSON Web Token, as Losant's API tokens are, and
// fakeSecret the shape of the secrets the fake makes.
var (
	jwtShape   = regexp.MustCompile(`^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$`)
	fakeSecret = regexp.MustCompile(`^lsnt_[0-9a-f]{48}$`)
)

// redact replaces in s the bearer token, and every word of token
// characters that is a secret the fake holds or looks like one.
func (red redactor) redact(s string) string {
	if len(red.bearer) >= minEmbedded {
		s = strings.ReplaceAll(s, red.bearer, Redacted)
	}
	return tokenWord.ReplaceAllStringFunc(s, func(word string) string {
		if red.secretLike(word) {
			return Redacted
		}
		return word
	})
}

func (red redactor) secretLike(word string) bool {
	return word == red.bearer && word != "" || jwtShape.MatchString(word) || fakeSecret.MatchString(word) || red.known(word)
}

// keepBody reads what is left of body, as far as it reads, into the log's
// record of the request, secrets redacted.
func (w *recordingWriter) keepBody(body io.Reader) {
	data, _ := io.ReadAll(body)
	w.setBody(data)
}

// setBody puts data, secrets redacted, in the log's record of the request.
func (w *recordingWriter) setBody(data []byte) {
	if len(data) > 0 { // a redaction may lengthen it: [REDACTED] for an 8-byte secret
		w.rec.Body = []byte(truncate(w.redactor.redact(string(data)), maxRequestBytes))
	}
}
