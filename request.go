package losant

import (
	"context"
	"net/http"
)

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
