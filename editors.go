package losant

import (
	"context"
	"net/http"

	"github.com/specdriven/losant/gen"
)

// BearerAuth returns a request editor that authenticates a request with the
// given Losant API access token. It can be used with the generated client on
// its own: gen.NewClient(url, gen.WithRequestEditorFn(losant.BearerAuth(t))).
func BearerAuth(token string) gen.RequestEditorFn {
	// Built once: the header value is the only place the token is kept.
	value := "Bearer " + token
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", value)
		return nil
	}
}

// DomainScope returns a request editor that sets the losantdomain header,
// the domain scope of a request, which few callers need. An empty domain
// leaves the request unchanged.
func DomainScope(domain string) gen.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		if domain != "" {
			req.Header.Set(headerDomain, domain)
		}
		return nil
	}
}
