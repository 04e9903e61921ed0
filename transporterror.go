package losant

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/specdriven/losant/internal/shipped/redact"
	"github.com/specdriven/losant/internal/shipped/transport"
)

// transportError is err, an error of http.Client.Do, fit for the caller:
// a refused redirect is its own error (the *url.Error around it would
// quote the target's URL), and any other *url.Error keeps only the
// scheme, host and path of its URL, with the access token req carried cut
// out, since a redirect may have put a secret there.
func transportError(err error, req *http.Request) error {
	token := redact.BearerToken(req)
	var change *transport.MethodChange
	if errors.As(err, &change) { // the call's own path, as for any *Error
		return &Error{StatusCode: change.StatusCode, Method: change.Method, Path: redact.String(req.URL.Path, token),
			Err: &redirectRefused{method: change.Method, host: change.Host}}
	}
	if errors.Is(err, transport.ErrTooManyRedirects) {
		return errTooManyRedirects
	}
	if errors.Is(err, transport.ErrDowngrade) {
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
