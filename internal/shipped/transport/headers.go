package transport

import (
	"net/http"
	"strings"
)

// HeaderSetter returns the function that puts the headers every request
// of a client carries, but Authorization, on a request's header, and
// returns the slot Authorization's value goes in (bearer.Auth.Authorize, as
// BearerAuth sets it).
//
// The four values share one new backing array per request: one allocation
// rather than one each (as Header.Set would make), and no slice is shared
// with another request that a RoundTripper could write to.
func HeaderSetter(acceptVersion, userAgent string) func(http.Header) []string {
	return func(h http.Header) []string {
		v := make([]string, 4)
		v[0], v[1], v[2] = "application/json", acceptVersion, userAgent
		h["Accept"] = v[0:1:1]
		h["Accept-Version"] = v[1:2:2]
		h["User-Agent"] = v[2:3:3]
		return v[3:4:4]
	}
}

// DefaultHeaders returns a copy of h, the request's own header, with
// the headers every request of the client carries: Accept and
// Accept-Version where h has none, and a User-Agent that ends with this
// library's (after the request's own product, if any); and the slot the
// Authorization value goes in, set by the client's editor over any the
// request had. Every value is in one new array.
func DefaultHeaders(h http.Header, userAgent, acceptVersion string) (http.Header, []string) {
	n := 4
	for _, values := range h {
		n += len(values)
	}
	out := make(http.Header, len(h)+4)
	backing := make([]string, 0, n)
	add := func(name string, values ...string) {
		start := len(backing)
		backing = append(backing, values...)
		out[name] = backing[start:len(backing):len(backing)]
	}
	for name, values := range h {
		add(name, values...)
	}
	if _, ok := out["Accept"]; !ok {
		add("Accept", "application/json")
	}
	if _, ok := out["Accept-Version"]; !ok {
		add("Accept-Version", acceptVersion)
	}
	// The transport asks for gzip itself and decompresses it, so that the
	// body read is the one redacted; one asked for by the request would
	// come back compressed, past the redaction.
	delete(out, "Accept-Encoding")
	if own := out.Get("User-Agent"); own != "" && own != userAgent {
		userAgent = own + " " + userAgent
	}
	add("User-Agent", userAgent)
	return out, backing[len(backing) : len(backing)+1 : len(backing)+1]
}

// FirstRequest is the request the client sent for resp, before any
// redirect: after one to another origin, the last request carries no
// Authorization to redact by.
func FirstRequest(resp *http.Response) *http.Request {
	req := resp.Request
	for req != nil && req.Response != nil && req.Response.Request != nil {
		req = req.Response.Request
	}
	return req
}

// IsJSON reports whether a Content-Type is JSON. It reads only the media
// type, before any parameter, as mime.ParseMediaType would, without its
// allocations on every response.
func IsJSON(contentType string) bool {
	mediaType, _, _ := strings.Cut(contentType, ";")
	mediaType = strings.TrimSpace(mediaType)
	return strings.EqualFold(mediaType, "application/json") || strings.EqualFold(mediaType, "application/problem+json")
}
