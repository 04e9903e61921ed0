package cli

import (
	"net/url"
	"strings"
	"sync"
)

// hider hides, in a message, the parts of the configuration an operator
// may have pasted a secret into and that the library quotes: the base
// URL's path, which a network error's URL and an API error's request
// path hold (the library cuts out the access token, not another secret). The host stays: it says who
// could not be reached.
type hider struct {
	mu sync.Mutex
	r  *strings.Replacer
}

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
	if h.r == nil {
		return msg
	}
	return h.r.Replace(msg)
}
