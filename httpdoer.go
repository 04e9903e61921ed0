package losant

import (
	"net/http"
	"strings"

	"github.com/specdriven/losant/internal/shipped/checks"
	"github.com/specdriven/losant/internal/shipped/redact"
	"github.com/specdriven/losant/internal/shipped/retrying"
	"github.com/specdriven/losant/internal/shipped/transport"
)

// HTTPDoer sends requests built elsewhere, such as by a client that
// oapi-codegen generated from another spec of the Losant API, through a
// Client's pipeline: it has the method set of oapi-codegen's
// HttpRequestDoer (devices.WithHTTPClient(client.HTTPDoer())). A zero
// HTTPDoer refuses every request.
type HTTPDoer struct {
	client *Client
}

// HTTPDoer returns the doer of c's pipeline: c's token (sent again after a
// 401 when a token source has a new one), losantdomain, User-Agent,
// retries, timeout, size limit, redirect rules, hooks and logger, with the
// token redacted from what comes back. A request for another origin or
// outside the base URL's path is refused unsent; a non-2xx answer is the
// response, not an error. docs/GUIDE.md ("Your own generated client")
// says what each does.
func (c *Client) HTTPDoer() HTTPDoer { return HTTPDoer{client: c} }

// Do sends req through the client's pipeline, as HTTPDoer describes. It
// closes req's body, as http.Client.Do does, and never changes req.
func (d HTTPDoer) Do(req *http.Request) (*http.Response, error) {
	c := d.client
	if err := d.check(req); err != nil {
		closeBody(req)
		return nil, err
	}
	cs := c.defaults
	if domain := domainOf(req.Header); domain != "" {
		if err := argumentError(checks.Domain(domain)); err != nil {
			closeBody(req)
			return nil, err
		}
		cs.domain = "" // the request's own is sent
	}
	cl := &callState{settings: cs, hooks: cs.hooks}
	ctx := req.Context()
	first, cancel := retrying.WithDeadline(ctx, cs.timeout)
	out := req.WithContext(first)
	var slot []string
	out.Header, slot = transport.DefaultHeaders(req.Header, c.userAgent, c.acceptVersion)
	if err := c.auth.Authorize(out.Header, slot); err != nil { // BearerAuth's code
		cancel()
		closeBody(req)
		return nil, losantError(err)
	}
	setDomain(out.Header, cs.domain)
	path := strings.TrimPrefix(out.URL.Path, c.basePath)
	cl.info = callInfo(checks.Route(out.Method, path), out)
	return respond(req, c.run(ctx, cl, out, cancel))
}

// closeBody closes the body of a request the doer refuses, as
// http.Client.Do would.
func closeBody(req *http.Request) {
	if req != nil && req.Body != nil {
		req.Body.Close()
	}
}

// respond turns a call's answer into what a doer returns: the response,
// whatever its status, with its whole body readable and the access token
// redacted from its header and body; or the error of an answer that never
// came whole.
func respond(req *http.Request, a outcome) (*http.Response, error) {
	if err := withCallCause(a, notWhole(a)); err != nil { // the typed calls' errors, as Client.Do's are
		transport.Release(a.buf)
		a.call.finish(a, err)
		return nil, err
	}
	// The pooled buffer is the response's now, unless redaction copied it.
	resp := redact.Response(a.resp, transport.Bytes(a.buf), sentToken(a.resp))
	resp.Request = req // the caller's: the one sent carries the token
	a.call.finish(a, nil)
	return resp, nil
}

// check refuses a request the doer cannot send safely, without quoting
// its URL (checks.Request).
func (d HTTPDoer) check(req *http.Request) error {
	if d.client == nil || d.client.attempter == nil {
		return errNoClient
	}
	return argumentError(checks.Request(req, d.client.base, d.client.basePath))
}
