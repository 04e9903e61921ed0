package losant

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// ErrResponseTooLarge is wrapped by the *Error of a response whose body is
// larger than the limit WithMaxResponseBytes sets.
var ErrResponseTooLarge = errors.New("response body too large")

// DefaultMaxResponseBytes is the response body limit of a client made
// without WithMaxResponseBytes. API-token bodies are a few kilobytes.
const DefaultMaxResponseBytes = 1 << 20

// defaultTimeout bounds a whole attempt, body included, when the caller
// gives no http.Client of their own.
const defaultTimeout = 30 * time.Second

// defaultHTTPClient has a timeout, and keeps enough idle connections per
// host that concurrent callers reuse them rather than open new ones (Go's
// default transport keeps only 2 per host).
func defaultHTTPClient() *http.Client {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by the program: respect that
		return &http.Client{Timeout: defaultTimeout}
	}
	transport := base.Clone()
	transport.MaxIdleConnsPerHost = 100
	return &http.Client{Timeout: defaultTimeout, Transport: transport}
}

// doer is what the generated client sends its requests through: retries,
// then the response size limit.
type doer struct {
	retry       *retryablehttp.Client // for requests safe to repeat
	retryCreate *retryablehttp.Client // for POST, which is not
	maxBody     int64
}

// Do sends req, retrying as the policy says, and returns a response whose
// body fails with ErrResponseTooLarge once it passes the limit.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	rreq, err := retryablehttp.FromRequest(req)
	if err != nil {
		return nil, err
	}
	retry := d.retry
	if req.Method == http.MethodPost {
		retry = d.retryCreate
	}
	resp, err := retry.Do(rreq)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{body: resp.Body, left: d.maxBody, limit: d.maxBody, declared: resp.ContentLength}
	return resp, nil
}

// limitedBody reads at most limit bytes; past that, or at once if the
// response declared a longer Content-Length, it fails.
type limitedBody struct {
	body        io.ReadCloser
	left, limit int64
	declared    int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.declared > b.limit || b.left < 0 {
		return 0, fmt.Errorf("%w: over %d bytes", ErrResponseTooLarge, b.limit)
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte more than allowed tells "too large" from "exactly full"
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n - 1, fmt.Errorf("%w: over %d bytes", ErrResponseTooLarge, b.limit)
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.body.Close() }

// guardRedirects returns a copy of hc that does not forward the
// Authorization header on a redirect to another origin (scheme, host or
// port): the token goes only where the caller pointed the client. Go's own
// rule compares host names only, so it would send the token on from
// https://host to http://host, or to another port of the same host.
//
// The copy's transport also ignores CloseIdleConnections, which the retry
// library calls when a call gives up: one caller's failure must not close
// the pooled connections every other caller is using.
func guardRedirects(hc *http.Client) *http.Client {
	guarded := *hc
	guarded.Transport = keepIdle{transportOf(hc)}
	next := hc.CheckRedirect
	guarded.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !sameOrigin(req.URL, via[0].URL) {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 { // net/http's default
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &guarded
}

// keepIdle is a RoundTripper without CloseIdleConnections.
type keepIdle struct{ http.RoundTripper }

func transportOf(hc *http.Client) http.RoundTripper {
	if hc.Transport != nil {
		return hc.Transport
	}
	return http.DefaultTransport
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Host == b.Host
}

// isLoopback reports whether host (without port) names this machine, the
// one place plain http cannot be read by the network.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
