package losant

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/specdriven/losant/internal/shipped/bearer"
	"github.com/specdriven/losant/internal/shipped/checks"
)

// BearerAuth returns a request editor that sets Authorization to "Bearer "
// and the token src gives, asked on every request: the type of every
// oapi-codegen package's RequestEditorFn, for a client generated from
// another spec of the Losant API (docs/GUIDE.md). A token that is empty,
// has white space, a control or non-ASCII character, or starts with
// "Bearer ", and an error of src, fail the request unsent, quoting no
// token. It cannot send again after a 401: HTTPDoer can.
func BearerAuth(src TokenSource) func(context.Context, *http.Request) error {
	if src == nil {
		return func(context.Context, *http.Request) error {
			return errors.New("losant: BearerAuth: nil token source")
		}
	}
	a := bearer.New(src)
	return func(_ context.Context, req *http.Request) error {
		if req.Header == nil {
			req.Header = make(http.Header)
		}
		return losantError(a.Authorize(req.Header, make([]string, 1)))
	}
}

// DomainScope returns a request editor that sets the losantdomain header,
// the domain scope of a request, as WithDomain does for the client's own
// calls. Its type is that of every oapi-codegen package's RequestEditorFn.
// domain must be a host name ("example.com"); anything else, the empty
// string included, fails every request it edits before it is sent, with
// an error that does not quote it (what is not a host name may be a
// secret pasted in the wrong place).
func DomainScope(domain string) func(context.Context, *http.Request) error {
	err := argumentError(checks.Domain(domain))
	if err == nil && domain == "" {
		err = invalid(headerDomain, "empty; leave the editor out to send none")
	}
	if err != nil {
		return func(context.Context, *http.Request) error { return err }
	}
	return func(_ context.Context, req *http.Request) error {
		setDomain(req.Header, domain)
		return nil
	}
}

// losantError is err, said to be this package's ("losant: "), as every
// error it returns is; nil stays nil.
func losantError(err error) error {
	if err == nil || strings.HasPrefix(err.Error(), "losant: ") {
		return err
	}
	return &prefixedError{prefix: "losant: ", err: err}
}

// canonicalDomainHeader is headerDomain as http.Header keys it.
var canonicalDomainHeader = http.CanonicalHeaderKey(headerDomain)

// headerDomain is the header that carries a call's losantdomain.
const headerDomain = "losantdomain"

// domainOf is h's losantdomain value, "" if none: a map read of the
// canonical key, which Header.Get would allocate to make each time.
func domainOf(h http.Header) string {
	if v := h[canonicalDomainHeader]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// setDomain puts a checked losantdomain value on a request's header; ""
// sets none.
func setDomain(h http.Header, domain string) {
	if domain != "" {
		h[canonicalDomainHeader] = []string{domain}
	}
}
