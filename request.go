package losant

import (
	"context"
	"net/http"
)

// headerSetter returns the function that puts the headers every request
// of a client carries on a request's header. The token lives only inside
// it, so that printing a Client, with any verb, cannot show it.
//
// The four values share one new backing array per request: one allocation
// rather than one each (as Header.Set would make), and no slice is shared
// with another request that a RoundTripper could write to.
func headerSetter(token, acceptVersion, userAgent string) func(http.Header) {
	authorization := "Bearer " + token
	return func(h http.Header) {
		v := make([]string, 4)
		v[0], v[1], v[2], v[3] = authorization, "application/json", acceptVersion, userAgent
		h["Authorization"] = v[0:1:1]
		h["Accept"] = v[1:2:2]
		h["Accept-Version"] = v[2:3:3]
		h["User-Agent"] = v[3:4:4]
	}
}

// send builds a call's request with build, a generated builder, under the
// first attempt's deadline (so that the request is not copied to carry
// it), finishes it with the client's headers and the call's losantdomain,
// and sends it through the retry loop.
func (c *Client) send(ctx context.Context, call callSettings, build func(context.Context) (*http.Request, error)) answer {
	first, cancel := c.doer.withDeadline(ctx)
	req, err := build(first)
	if err != nil {
		cancel()
		return answer{err: err}
	}
	c.setHeaders(req.Header)
	if call.domain != "" {
		req.Header.Set(headerDomain, call.domain)
	}
	return c.doer.Do(ctx, req, cancel, call.maxBody)
}
