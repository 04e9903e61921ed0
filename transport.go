package losant

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"
)

// ErrResponseTooLarge is wrapped by the *Error of a response whose body is
// larger than the limit WithMaxResponseBytes sets.
var ErrResponseTooLarge = errors.New("losant: response body too large")

// DefaultMaxResponseBytes is the response body limit of a client made
// without WithMaxResponseBytes. API-token bodies are a few kilobytes.
const DefaultMaxResponseBytes = 1 << 20

// DefaultTimeout bounds each attempt of a call, body included, when the
// caller gives no http.Client of their own nor WithTimeout.
const DefaultTimeout = 30 * time.Second

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

// doer sends a call's request: the retry loop, each attempt bounded by
// timeout, then the response size limit.
type doer struct {
	hc      *http.Client
	retry   RetryPolicy
	maxBody int64
	timeout time.Duration // per attempt; 0: none but the http.Client's own
	log     *slog.Logger  // nil: no logging
}

// Do sends req, retrying as the policy says, and returns a response whose
// body fails with ErrResponseTooLarge once it passes the limit. When the
// attempts run out it returns the last response, so that the caller sees
// the API's own status and message.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	idempotent := req.Method != http.MethodPost
	attempts := d.retry.MaxAttempts
	if req.GetBody == nil && req.Body != nil && req.Body != http.NoBody {
		attempts = 1 // the body cannot be sent again
	}
	for attempt := 0; ; attempt++ {
		sent, cancel := d.withDeadline(req)
		d.logAttempt(sent, attempt)
		resp, err := d.hc.Do(sent)
		d.logOutcome(sent, resp, err)
		wait, again := d.retry.retryWait(ctx, resp, err, attempt, idempotent)
		if !again || attempt+1 >= attempts {
			if err != nil {
				cancel()
				return nil, err
			}
			resp.Body = &limitedBody{body: resp.Body, left: d.maxBody, limit: d.maxBody, declared: resp.ContentLength, cancel: cancel}
			return resp, nil
		}
		if resp != nil {
			discard(resp.Body)
		}
		cancel()
		d.logRetry(req, wait, attempt)
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
		if req, err = rewind(req); err != nil {
			return nil, err
		}
	}
}

// withDeadline returns req bounded by the doer's timeout, and the function
// that releases the deadline once the response body is done with.
func (d *doer) withDeadline(req *http.Request) (*http.Request, context.CancelFunc) {
	if d.timeout <= 0 {
		return req, func() {}
	}
	ctx, cancel := context.WithTimeout(req.Context(), d.timeout)
	return req.WithContext(ctx), cancel
}

// sleep waits for d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// rewind returns a copy of req with a fresh body for the next attempt. It
// is a copy because the transport may still be closing the last body.
func rewind(req *http.Request) (*http.Request, error) {
	next := *req
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		next.Body = body
	}
	return &next, nil
}

// discard reads a little of a body that will not be used, so that its
// connection can be reused, and closes it.
func discard(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 4<<10))
	body.Close()
}

// limitedBody reads at most limit bytes; past that, or at once if the
// response declared a longer Content-Length, it fails. Closing it releases
// the attempt's deadline.
type limitedBody struct {
	body        io.ReadCloser
	left, limit int64
	declared    int64
	cancel      context.CancelFunc
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

func (b *limitedBody) Close() error {
	err := b.body.Close()
	if b.cancel != nil {
		b.cancel()
	}
	return err
}

// safeCopy returns the copy of hc the client sends through. The copy does
// not follow a redirect that would change a write's method (net/http turns
// a PATCH, POST or DELETE into a GET on 301, 302 and 303), and does not
// forward the Authorization header on a redirect to another origin
// (scheme, host or port): the token goes only where the caller pointed the
// client. Go's own rule compares host names only, so it would send the
// token on from https://host to http://host, or to another port.
func safeCopy(hc *http.Client) *http.Client {
	guarded := *hc
	next := hc.CheckRedirect
	guarded.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.Method != via[0].Method {
			e := &RedirectError{Method: via[0].Method, Host: req.URL.Host}
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
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
