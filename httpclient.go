package losant

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/specdriven/losant/internal/shipped/redact"
)

// defaultHTTPClient keeps enough idle connections per host that concurrent
// callers reuse them rather than open new ones (Go's default transport
// keeps only 2 per host). It has no Timeout: the doer bounds each attempt
// with a context deadline, which costs less than net/http's timer.
func defaultHTTPClient() *http.Client {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by the program: respect that
		return &http.Client{}
	}
	transport := base.Clone()
	transport.MaxIdleConnsPerHost = 100
	return &http.Client{Transport: transport}
}

// wrapTransport returns hc, or a copy of it whose transport the wrappers
// wrap (WithTransportWrapper), each around what the ones before made.
func wrapTransport(hc *http.Client, wrappers []func(http.RoundTripper) http.RoundTripper) (*http.Client, error) {
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

// transportError is err, an error of http.Client.Do, fit for the caller:
// a refused redirect is its own error (the *url.Error around it would
// quote the target's URL), and any other *url.Error keeps only the
// scheme, host and path of its URL, with the access token req carried cut
// out, since a redirect may have put a secret there.
func transportError(err error, req *http.Request) error {
	token := redact.BearerToken(req)
	var redirect *Error // a write's refused redirect (safeCopy)
	if errors.As(err, &redirect) {
		redirect.Path = redact.String(req.URL.Path, token) // the call's own path, as for any *Error
		return redirect
	}
	if errors.Is(err, errTooManyRedirects) {
		return errTooManyRedirects
	}
	if errors.Is(err, errDowngrade) {
		return errDowngrade
	}
	var uerr *url.Error
	if !errors.As(err, &uerr) {
		return redact.Error(err, token)
	}
	where := "(unparsable URL)"
	if u, perr := url.Parse(uerr.URL); perr == nil {
		where = (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	}
	return &url.Error{Op: uerr.Op, URL: redact.String(where, token), Err: redact.Error(uerr.Err, token)}
}

// lookupIPAddr resolves a host name; tests give it other answers.
var lookupIPAddr = net.DefaultResolver.LookupIPAddr

// safeCopy returns the copy of hc the client sends through. The copy does
// not follow a redirect from https to plain http, whatever the host, unless
// it is this machine (isLoopback) or insecureHTTP (WithInsecureHTTP). It does
// not follow a redirect that would change a write's method (net/http turns
// a PATCH, POST or DELETE into a GET on 301, 302 and 303), and does not
// forward the Authorization header on a redirect to another origin
// (scheme, host or port): the token goes only where the caller pointed the
// client. Go's own rule compares host names only, so it would send the
// token on from https://host to http://host, or to another port.
func safeCopy(hc *http.Client, insecureHTTP bool) *http.Client {
	guarded := *hc
	next := hc.CheckRedirect
	guarded.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme == "http" && via[len(via)-1].URL.Scheme == "https" && !insecureHTTP && !isLoopback(req.URL.Hostname()) {
			return errDowngrade
		}
		if req.Method != via[0].Method {
			e := &Error{Method: via[0].Method, Err: &redirectRefused{method: via[0].Method, host: req.URL.Host}}
			if req.Response != nil {
				e.StatusCode = req.Response.StatusCode
			}
			return e
		}
		if !sameOrigin(req.URL, via[0].URL) {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 { // net/http's default
			return errTooManyRedirects
		}
		return nil
	}
	return &guarded
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Host == b.Host
}

// isLoopback reports whether host (without port) names this machine, the
// one place plain http cannot be read by the network.
//
// "localhost" is loopback only when it resolves to loopback addresses
// alone (as /etc/hosts has it), checked each time it is asked (when the
// client is made, and at a redirect): a name is not trusted for what it
// says.
func isLoopback(host string) bool {
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
