package losanttest

import (
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Request is a request the fake received, as a test may assert it, with
// every secret replaced by Redacted (credential headers' values, and the
// bearer token, any token the fake holds or anything shaped like a JWT
// elsewhere). What it keeps is bounded in bytes, and of a request whose
// token does not authenticate only Method, Path, Operation, Status and
// Fault are kept (docs/FAKE.md, "Limits").
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
// DefaultRequestLog of them, or as many as WithRequestLog says, as far as
// Limits.RequestLogBytes holds them. They are copies: changing one changes
// no other caller's.
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

// requestLog keeps the last requests, as many as limit says and as their
// accounted sizes (Request.size) fit in maxBytes: the oldest go first.
type requestLog struct {
	limit    int
	maxBytes int
	entries  []loggedRequest // oldest first
	bytes    int             // the sizes of entries, summed
}

type loggedRequest struct {
	Request
	size int
}

// add keeps r, forgetting the oldest requests as far as it takes; a
// request larger than the whole log is not kept.
func (l *requestLog) add(r Request) {
	size := r.size()
	if l.limit == 0 || size > l.maxBytes {
		return
	}
	for len(l.entries) >= l.limit || l.bytes+size > l.maxBytes {
		l.bytes -= l.entries[0].size
		l.entries[0] = loggedRequest{} // for the collector: the array outlives the slice
		l.entries = l.entries[1:]
	}
	l.entries = append(l.entries, loggedRequest{r, size})
	l.bytes += size
}

func (l *requestLog) all() []Request {
	out := make([]Request, len(l.entries))
	for i, e := range l.entries {
		out[i] = e.Request
	}
	return out
}

func (l *requestLog) reset() { l.entries, l.bytes = nil, 0 }

// requestOverhead is what the log counts for a request beyond the bytes it
// keeps: the struct, and its maps' and slices' own memory.
const requestOverhead = 256

// size is what r counts towards the log's RequestLogBytes: every byte it
// keeps, and the overheads of its maps and strings.
func (r Request) size() int {
	n := requestOverhead + len(r.Method) + len(r.Path) + len(r.Operation) + len(r.Domain) + len(r.Body)
	for _, h := range []map[string][]string{r.Header, r.Query} {
		for name, values := range h {
			n += len(name) + 48
			for _, v := range values {
				n += len(v) + 16
			}
		}
	}
	return n
}

// What the log keeps of a request, at most: the requests the API's clients
// send are a few hundred bytes, and a hostile one may send 64 KiB of
// headers (maxHeaderBytes) and as much body (maxRequestBytes).
const (
	maxLoggedMethod = 32
	maxLoggedPath   = 1 << 10
	maxLoggedDomain = 256
	maxLoggedHeader = 4 << 10 // the header names and values, together
	maxLoggedQuery  = 2 << 10 // the query's keys and values, together
	maxLoggedValue  = 1 << 10 // one header's or query key's value
)

// bearer is the bearer token r presents, as the API reads it; empty if
// none.
func bearer(r *http.Request) string {
	secret, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return secret
}

// newRequest is what the log keeps of r before it is answered; its body is
// added when it is read (recordingWriter.keepBody). A request whose bearer
// token does not authenticate is kept short: its method, path, operation
// and status, nothing it could fill with bytes of its choosing.
func (s *Server) newRequest(r *http.Request) (rec Request, red redactor, short bool) {
	secret := bearer(r)
	red = redactor{bearer: strings.TrimSpace(secret), known: s.store.holdsSecret}
	rec = Request{Method: truncate(r.Method, maxLoggedMethod), Path: truncate(red.redact(r.URL.Path), maxLoggedPath)}
	if _, ok := s.store.authenticate(secret); !ok {
		return rec, red, true
	}
	rec.Domain = truncate(red.redact(r.Header.Get("losantdomain")), maxLoggedDomain)
	rec.Header = keepValues(r.Header, maxLoggedHeader, func(name string) string { return name }, red.header)
	rec.Query = keepValues(r.URL.Query(), maxLoggedQuery, red.redact, func(_, v string) string { return red.redact(v) })
	return rec, red, false
}

// keepValues copies the names and values of h, each value redacted whole
// before it is cut (lest a cut leave part of a secret) to maxLoggedValue,
// in the order of the names, as far as budget bytes hold them: the value
// that meets it is cut, and a name that does not fit is left out.
func keepValues(h map[string][]string, budget int, name func(string) string, value func(name, v string) string) map[string][]string {
	const least = 16 // the shortest cut value worth keeping
	out := make(map[string][]string, min(len(h), 16))
	for _, n := range slices.Sorted(maps.Keys(h)) {
		key := name(n)
		for _, v := range h[n] {
			room := budget - len(key)
			if room < least {
				break
			}
			v = truncate(value(n, v), min(room, maxLoggedValue))
			out[key] = append(out[key], v)
			budget -= len(key) + len(v)
		}
	}
	return out
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
	if len(data) > 0 && !w.short { // a redaction may lengthen it: [REDACTED] for an 8-byte secret
		w.rec.Body = []byte(truncate(w.redactor.redact(string(data)), maxRequestBytes))
	}
}
