package losant

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
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
// timeout and reading the whole response body within the size limit.
type doer struct {
	hc      *http.Client
	retry   RetryPolicy
	maxBody int64
	timeout time.Duration // per attempt; 0: none but the http.Client's own
	log     *slog.Logger  // nil: no logging
}

// answer is what a call's attempts came to: the last attempt's response
// and its whole body, or its error, and whether a write may have reached
// the API on the way.
type answer struct {
	resp *http.Response // nil when no attempt got one; its body is read and closed
	buf  *[]byte        // its body, from bodyBuffers: released by decode; nil when none was read
	err  error          // the attempt's transport error, or reading its body failed
	// mayHaveActed is set for a write of which some attempt may have been
	// carried out by the API without the client hearing of it.
	mayHaveActed bool
}

// Do sends req, retrying as the policy says. req carries the first
// attempt's deadline, which release ends; later attempts get their own,
// under ctx, the call's context. Each attempt reads the whole body, so a
// body cut or stalled midway is retried like a dropped connection. When
// the attempts run out it returns the last answer, so that the caller sees
// the API's own status and message.
//
// maxBody, when positive, is this call's response limit in place of the
// doer's.
func (d *doer) Do(ctx context.Context, req *http.Request, release context.CancelFunc, maxBody int64) answer {
	if maxBody <= 0 {
		maxBody = d.maxBody
	}
	idempotent := req.Method != http.MethodPost
	write := req.Method != http.MethodGet && req.Method != http.MethodHead
	attempts := d.retry.MaxAttempts
	if req.GetBody == nil && req.Body != nil && req.Body != http.NoBody {
		attempts = 1 // the body cannot be sent again
	}
	acted := false
	for attempt := 0; ; attempt++ {
		a := d.attempt(req, attempt, release, maxBody)
		acted = acted || write && mayHaveActed(a)
		a.mayHaveActed = acted
		wait, again := d.retry.retryWait(ctx, a.resp, a.err, attempt, idempotent)
		if !again || attempt+1 >= attempts {
			return a
		}
		releaseBody(a.buf) // this answer is not the call's
		d.logRetry(req, wait, attempt)
		if err := sleep(ctx, wait); err != nil {
			return answer{err: err, mayHaveActed: acted}
		}
		var err error
		if req, err = rewind(req); err != nil {
			return answer{err: err, mayHaveActed: acted}
		}
		attemptCtx, cancel := d.withDeadline(ctx)
		req, release = req.WithContext(attemptCtx), cancel
	}
}

// attempt sends req once and reads its response's body, both within the
// deadline req carries, which release ends; the body no further than the
// size limit.
func (d *doer) attempt(req *http.Request, n int, release context.CancelFunc, maxBody int64) answer {
	defer release()
	sent := req
	d.logAttempt(sent, n)
	resp, err := d.hc.Do(sent)
	if err != nil {
		err = transportError(err, sent)
		if resp != nil { // a refused redirect: its response is not the call's answer
			resp.Body.Close()
			resp = nil
		}
	}
	var body *[]byte
	if err == nil {
		body, err = readBody(resp.Body, resp.ContentLength, maxBody)
		resp.Body.Close()
	}
	d.logOutcome(sent, resp, err)
	return answer{resp: resp, buf: body, err: err}
}

// transportError is err, an error of http.Client.Do, fit for the caller:
// a refused redirect is its own error (the *url.Error around it would
// quote the target's URL), and any other *url.Error keeps only the
// scheme, host and path of its URL, with the access token req carried cut
// out, since a redirect may have put a secret there.
func transportError(err error, req *http.Request) error {
	var redirect *RedirectError
	if errors.As(err, &redirect) {
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
		return err
	}
	where := "(unparsable URL)"
	if u, perr := url.Parse(uerr.URL); perr == nil {
		where = (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	}
	if token, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok && token != "" {
		where = strings.ReplaceAll(where, token, "[REDACTED]")
		where = strings.ReplaceAll(where, url.PathEscape(token), "[REDACTED]")
	}
	return &url.Error{Op: uerr.Op, URL: where, Err: uerr.Err}
}

// mayHaveActed reports whether the API may have carried out the write of
// an attempt that came to a: anything but an answer that says nothing was
// done (a 4xx, a 503) or a connection that was never made.
func mayHaveActed(a answer) bool {
	if a.resp == nil {
		var op *net.OpError
		return !(errors.As(a.err, &op) && op.Op == "dial") && !permanent(a.err)
	}
	if a.err != nil {
		return true // the answer was cut: whatever it said happened
	}
	status := a.resp.StatusCode
	return !(status >= 400 && status < 500 || status == http.StatusServiceUnavailable)
}

// withDeadline returns ctx bounded by the doer's timeout, for one attempt,
// and the function that releases it once the attempt is over.
func (d *doer) withDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if d.timeout <= 0 {
		return ctx, noRelease
	}
	return context.WithTimeout(ctx, d.timeout)
}

// noRelease releases nothing: a package-level func, so that a call
// without a timeout allocates no closure.
func noRelease() {}

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

// lookupIPAddr resolves a host name; tests give it other answers.
var lookupIPAddr = net.DefaultResolver.LookupIPAddr

// errDowngrade is the error of a redirect from https to plain http to a
// host other than this machine: Authorization would not follow it, but
// the answer could be forged by anyone on the way (an audit made to pass).
var errDowngrade = fmt.Errorf("losant: a redirect from https to plain http was refused: %w", ErrPlainHTTP)

// safeCopy returns the copy of hc the client sends through. The copy does
// not follow a redirect from https to plain http to another host unless
// insecureHTTP (WithInsecureHTTP). It does
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
//
// "localhost" is loopback only when it resolves to loopback addresses
// alone (as /etc/hosts has it), checked when the client is made: a name
// is not trusted for what it says.
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
