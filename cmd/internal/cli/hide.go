package cli

import (
	"io"
	"net/url"
	"strings"
	"sync"

	"github.com/specdriven/losant/internal/shipped/redact"
)

// hider hides, in a message, the parts of the configuration an operator
// may have pasted a secret into and that the library quotes: the base
// URL's path, which a network error's URL and an API error's request
// path hold (the library cuts out the access token, not another secret). The host stays: it says who
// could not be reached. Once the access token is read, it is redacted
// too, from messages and from all the printer writes (hidingWriter).
type hider struct {
	mu    sync.Mutex
	r     *strings.Replacer
	token string // the access token the run sends, redacted from all it prints
}

// accessToken has token redacted from now on, wherever a server put it
// (a token's name, an error): the CLI prints nothing that holds it.
func (h *hider) accessToken(token string) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.token = token
}

// holdsToken reports whether s holds the access token the run sends.
func (h *hider) holdsToken(s string) bool {
	if h == nil {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.token != "" && strings.Contains(s, h.token)
}

// partOfToken reports whether s, of at least minTokenPart bytes, is a part
// of the access token the run sends: a successor "secret" cut from it
// would hand the services a piece of the operator's credential.
func (h *hider) partOfToken(s string) bool {
	if h == nil || len(s) < minTokenPart {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.token != "" && strings.Contains(h.token, s)
}

// minTokenPart is the shortest part of the access token partOfToken tells.
const minTokenPart = 8

// basePathPlaceholder stands for the base URL's path in a message.
const basePathPlaceholder = "/BASE_URL_PATH"

// baseURL has the path of raw (the base URL the run uses) hidden from
// now on, as the library writes it in a URL and as it was given.
func (h *hider) baseURL(raw string) {
	u, err := url.Parse(raw)
	if h == nil || err != nil || u.Host == "" {
		return
	}
	var pairs []string
	for _, path := range []string{u.EscapedPath(), u.Path, u.RawPath} {
		if path = strings.TrimRight(path, "/"); path != "" {
			// Its URL, and a request's path (an API error says "GET /path/me/tokens").
			pairs = append(pairs, u.Host+path, u.Host+basePathPlaceholder, " "+path+"/", " "+basePathPlaceholder+"/")
		}
	}
	if len(pairs) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.r = strings.NewReplacer(pairs...)
}

// in is msg with what h hides replaced by placeholders.
func (h *hider) in(msg string) string {
	if h == nil {
		return msg
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.token != "" {
		msg = redact.String(msg, h.token) // the library's rule, in the same forms
	}
	if h.r == nil {
		return msg
	}
	return h.r.Replace(msg)
}

// hidingWriter writes to w with the access token redacted (hider.in). A
// token is never split across writes: writeRaw writes one JSON document,
// fmt.Fprint* one message, and a tabwriter one cell at a time.
type hidingWriter struct {
	w    io.Writer
	hide *hider
}

func (h hidingWriter) Write(b []byte) (int, error) {
	hidden := redact.String(string(b), h.hide.tokenNow())
	if hidden == string(b) {
		return h.w.Write(b)
	}
	if _, err := io.WriteString(h.w, hidden); err != nil {
		return 0, err
	}
	return len(b), nil
}

// tokenNow is the access token hidden.
func (h *hider) tokenNow() string {
	if h == nil {
		return ""
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.token
}
