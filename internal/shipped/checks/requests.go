package checks

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/specdriven/losant/internal/shipped/limits"
	"github.com/specdriven/losant/internal/shipped/transport"
)

// BaseURL refuses a base URL that would send requests somewhere other
// than it seems to say; plain http to a host other than this machine
// wraps errPlainHTTP unless insecureHTTP. Its messages never quote the
// URL: what is not a base URL may be a secret (an access token in its
// place, a password in a mistyped user info or query).
func BaseURL(baseURL string, insecureHTTP bool, errPlainHTTP error) error {
	u, err := url.Parse(baseURL)
	if err != nil { // url's messages quote the URL, or the part they refuse
		return errors.New("base URL: not a URL; want one such as https://api.losant.com")
	}
	switch {
	case u.User != nil:
		return errors.New("base URL: user info (user:password@) is not allowed; the API token authenticates")
	case u.RawQuery != "" || u.ForceQuery:
		return errors.New("base URL: a query string is not allowed: request paths replace it")
	case u.Fragment != "" || strings.Contains(baseURL, "#"):
		return errors.New("base URL: a fragment is not allowed")
	case IndexControl(baseURL) >= 0 || IndexControl(u.Path) >= 0:
		return errors.New("base URL: a control character, as sent or escaped, is not allowed")
	case limits.TokenShaped(u.Host) || limits.TokenShaped(u.EscapedPath()):
		return errors.New("base URL: a part of it is shaped like a token (was one pasted in its place?); want one such as https://api.losant.com")
	case (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return errors.New("base URL: want an absolute http or https URL, such as https://api.losant.com")
	case u.Scheme == "http" && !insecureHTTP && !transport.IsLoopback(u.Hostname()):
		return fmt.Errorf("base URL: %w; use https, or WithInsecureHTTP on a trusted network", errPlainHTTP)
	}
	return nil
}

// Domain refuses a losantdomain value that is not a host name, or
// that could be a token pasted in its place (limits.HostnameProblem, which
// the CLI's --domain shares); "" is none, and passes. Its errors never
// quote the value.
func Domain(domain string) error {
	if domain == "" {
		return nil
	}
	if i := IndexControl(domain); i >= 0 {
		return invalid("losantdomain", "a control character at byte %d; want a host name such as example.com", i)
	}
	if problem := limits.HostnameProblem(domain); problem != "" {
		return invalid("losantdomain", "not a host name such as example.com: %s", problem)
	}
	return nil
}

// RelativePath refuses a path (and query) relative to a base URL that
// could name anything else: a control character, a fragment, a URL, a
// segment segments refuses, a query not escaped properly. Its errors never
// quote the path, which a caller may have built from a secret by mistake.
func RelativePath(path string) error {
	rest, query, _ := strings.Cut(path, "?")
	switch {
	case IndexControl(path) >= 0:
		return invalid("path", "a control character cannot be sent")
	case strings.Contains(path, "#"):
		return invalid("path", "a fragment (#) is not allowed")
	case strings.Contains(rest, "://") || strings.HasPrefix(rest, "//"):
		return invalid("path", "want a path relative to the base URL, not a URL")
	}
	if err := segments(rest); err != nil {
		return err
	}
	if _, err := url.ParseQuery(query); err != nil {
		return invalid("path", "its query is not escaped properly")
	}
	return nil
}

// Method refuses what is not an HTTP method (a token, RFC 9110).
func Method(method string) error {
	if strings.IndexFunc(method, notTokenChar) >= 0 {
		return invalid("method", "not an HTTP method")
	}
	return nil
}

// Request refuses a request for base (whose escaped path, without a
// trailing slash, is basePath) that could not be sent safely, without
// quoting its URL: another origin or Host, user info, an opaque URL, a
// path outside basePath or with a segment segments refuses.
func Request(req *http.Request, base *url.URL, basePath string) error {
	switch {
	case req == nil || req.URL == nil:
		return invalid("request", "nil, or without a URL")
	case req.Method != "" && Method(req.Method) != nil:
		return invalid("method", "not an HTTP method")
	case req.URL.Opaque != "":
		return invalid("request URL", "an opaque URL is not allowed: its path is sent as it stands, past the checks")
	case req.URL.User != nil:
		return invalid("request URL", "user info (user:password@) is not allowed; the API token authenticates")
	case !strings.EqualFold(req.URL.Scheme, base.Scheme) || !sameHost(req.URL, base):
		return invalid("request URL", "not the client's base URL's scheme, host and port: the token goes nowhere else")
	case req.Host != "" && !sameHost(&url.URL{Scheme: req.URL.Scheme, Host: req.Host}, base):
		return invalid("request", "its Host is not the client's base URL's: the token goes nowhere else")
	}
	escaped := req.URL.EscapedPath()
	if escaped != basePath && !strings.HasPrefix(escaped, basePath+"/") {
		return invalid("request URL", "its path is not under the client's base URL's")
	}
	if err := segments(strings.TrimPrefix(escaped, basePath)); err != nil {
		return err
	}
	if _, err := url.ParseQuery(req.URL.RawQuery); err != nil {
		return invalid("request URL", "its query is not escaped properly")
	}
	return nil
}

// sameHost reports whether a and b name one host and port, the scheme's
// default port written or not.
func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Hostname(), b.Hostname()) && portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}

// notTokenChar reports a rune an HTTP method (a token, RFC 9110) cannot hold.
func notTokenChar(r rune) bool {
	return r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
}
