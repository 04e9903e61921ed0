// Package transport is the HTTP the client sends through: its default
// connection pool, the redirect rules that keep the token where the caller
// pointed it, reading a body within a limit, and telling a server that
// speaks no TLS.
package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"
)

// Default is the HTTP client a client sends through unless given one. It
// keeps enough idle connections per host that concurrent
// callers reuse them rather than open new ones (Go's default transport
// keeps only 2 per host). It has no Timeout: the doer bounds each attempt
// with a context deadline, which costs less than net/http's timer.
func Default() *http.Client {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by the program: respect that
		return &http.Client{}
	}
	transport := base.Clone()
	transport.MaxIdleConnsPerHost = 100
	return &http.Client{Transport: transport}
}

// Wrap returns hc, or a copy of it whose transport the wrappers
// wrap (losant.WithTransportWrapper), each around what the ones before made.
func Wrap(hc *http.Client, wrappers []func(http.RoundTripper) http.RoundTripper) (*http.Client, error) {
	if len(wrappers) == 0 {
		return hc, nil
	}
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	for _, wrap := range wrappers {
		if rt = wrap(rt); isNil(rt) {
			return nil, errors.New("WithTransportWrapper: the wrapper returned a nil transport")
		}
	}
	wrapped := *hc
	wrapped.Transport = rt
	return &wrapped, nil
}

// isNil reports whether rt is nil, or an interface holding a nil pointer
// (a typed nil), which would panic at the first call.
func isNil(rt http.RoundTripper) bool {
	if rt == nil {
		return true
	}
	v := reflect.ValueOf(rt)
	switch v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Chan, reflect.Interface, reflect.Slice:
		return v.IsNil()
	}
	return false
}

// ErrDowngrade is Guard's refusal of a redirect from https to plain http.
var ErrDowngrade = errors.New("a redirect from https to plain http was refused")

// ErrTooManyRedirects ends a redirect chain after 10, as net/http does.
var ErrTooManyRedirects = errors.New("stopped after 10 redirects")

// MethodChange is Guard's refusal of a redirect that would change a
// write's method: the write, the redirect's status and its target's host.
type MethodChange struct {
	Method     string
	StatusCode int
	Host       string
}

func (e *MethodChange) Error() string { return "a redirect that would change the method" }

// lookupIPAddr resolves a host name; tests give it other answers.
var lookupIPAddr = net.DefaultResolver.LookupIPAddr

// Guard returns the copy of hc the client sends through. The copy does
// not follow a redirect from https to plain http, whatever the host, unless
// it is this machine (IsLoopback) or insecureHTTP (losant.WithInsecureHTTP). It does
// not follow a redirect that would change a write's method (net/http turns
// a PATCH, POST or DELETE into a GET on 301, 302 and 303), and does not
// forward the Authorization header on a redirect to another origin
// (scheme, host or port): the token goes only where the caller pointed the
// client. Go's own rule compares host names only, so it would send the
// token on from https://host to http://host, or to another port.
func Guard(hc *http.Client, insecureHTTP bool) *http.Client {
	guarded := *hc
	next := hc.CheckRedirect
	guarded.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme == "http" && via[len(via)-1].URL.Scheme == "https" && !insecureHTTP && !IsLoopback(req.URL.Hostname()) {
			return ErrDowngrade
		}
		if req.Method != via[0].Method {
			e := &MethodChange{Method: via[0].Method, Host: req.URL.Host}
			if req.Response != nil {
				e.StatusCode = req.Response.StatusCode
			}
			return e
		}
		if !SameOrigin(req.URL, via[0].URL) {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 { // net/http's default
			return ErrTooManyRedirects
		}
		return nil
	}
	return &guarded
}

// SameOrigin reports whether a and b have one scheme and host (and port).
func SameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Host == b.Host
}

// IsLoopback reports whether host (without port) names this machine, the
// one place plain http cannot be read by the network.
//
// "localhost" is loopback only when it resolves to loopback addresses
// alone (as /etc/hosts has it), checked each time it is asked (when the
// client is made, and at a redirect): a name is not trusted for what it
// says.
func IsLoopback(host string) bool {
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	if !strings.EqualFold(host, "localhost") {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	addrs, err := lookupIPAddr(ctx, host)
	if err != nil || len(addrs) == 0 {
		return false
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return false
		}
	}
	return true
}
