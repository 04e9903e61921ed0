package losant

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/specdriven/losant/internal/wire"
)

// Client talks to the Losant API. APITokens gives the API-token actions of
// one owner. A Client is safe for concurrent use.
type Client struct {
	requests   *wire.Requests // the generated request builders
	doer       *doer
	setHeaders func(http.Header) // holds the token; see headerSetter
	baseURL    string
	domain     string // the losantdomain of every call that sets none
	maxPages   int    // see WithMaxPages
}

// NewClient returns a client that authenticates with the given Losant API
// access token. The token is kept only to set the Authorization header: it
// is never printed, logged or put in an error.
func NewClient(token string, opts ...Option) (*Client, error) {
	if token == "" {
		return nil, errors.New("losant: NewClient: the API token is empty")
	}
	if i := indexControl(token); i >= 0 {
		return nil, fmt.Errorf("losant: NewClient: the API token has a control character at byte %d", i)
	}
	s := defaultSettings()
	for _, opt := range opts {
		opt(&s)
	}
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("losant: NewClient: %w", err)
	}
	requests, err := wire.NewRequests(s.baseURL)
	if err != nil {
		return nil, fmt.Errorf("losant: NewClient: %w", err)
	}
	hc, timeout := s.httpClient, s.timeout
	if hc == nil {
		hc = defaultHTTPClient()
		if timeout == 0 {
			timeout = DefaultTimeout
		}
	}
	ua := "losant-go/" + Version() // this library, in every request's User-Agent
	if s.userAgent != "" {
		ua = s.userAgent + " " + ua
	}
	c := &Client{
		requests:   requests,
		doer:       &doer{hc: safeCopy(hc), retry: s.retry, maxBody: s.maxBody, timeout: timeout, log: s.logger},
		setHeaders: headerSetter(token, s.acceptVersion, ua),
		baseURL:    s.baseURL,
		domain:     s.domain,
		maxPages:   s.maxPages,
	}
	return c, nil
}

// check refuses settings the client cannot work with safely.
func (s *settings) check() error {
	if err := checkBaseURL(s.baseURL, s.insecureHTTP); err != nil {
		return err
	}
	if s.maxBody <= 0 {
		return fmt.Errorf("WithMaxResponseBytes(%d): want a positive limit", s.maxBody)
	}
	if s.maxPages <= 0 {
		return fmt.Errorf("WithMaxPages(%d): want a positive number of pages", s.maxPages)
	}
	if i := indexControl(s.userAgent + s.acceptVersion); i >= 0 {
		return errors.New("WithUserAgent or WithAcceptVersion: a control character cannot be sent in a header")
	}
	if s.timeout < 0 {
		return fmt.Errorf("WithTimeout(%v): want a positive timeout, or 0 for the default", s.timeout)
	}
	if s.retry.MinWait < 0 || s.retry.MaxWait < s.retry.MinWait {
		return fmt.Errorf("WithRetry: want 0 <= MinWait <= MaxWait, have %v and %v", s.retry.MinWait, s.retry.MaxWait)
	}
	return checkDomain(s.domain)
}

// checkBaseURL refuses a base URL that would send requests somewhere other
// than it seems to say. Its messages never quote a URL with user info, so
// that no error holds a password.
func checkBaseURL(baseURL string, insecureHTTP bool) error {
	u, err := url.Parse(baseURL)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) { // its message quotes the whole URL
			err = urlErr.Err
		}
		return fmt.Errorf("base URL: %w", err)
	}
	switch {
	case u.User != nil:
		return errors.New("base URL: user info (user:password@) is not allowed; the API token authenticates")
	case u.RawQuery != "" || u.ForceQuery:
		return fmt.Errorf("base URL %q: a query string is not allowed: request paths replace it", baseURL)
	case u.Fragment != "" || strings.Contains(baseURL, "#"):
		return fmt.Errorf("base URL %q: a fragment is not allowed", baseURL)
	case (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return fmt.Errorf("base URL %q: want an absolute http or https URL", baseURL)
	case u.Scheme == "http" && !insecureHTTP && !isLoopback(u.Hostname()):
		return fmt.Errorf("base URL %q: %w; use https, or WithInsecureHTTP on a trusted network", baseURL, ErrPlainHTTP)
	}
	return nil
}

// ErrPlainHTTP is wrapped by NewClient's error for a plain http:// base
// URL to a host other than this machine without WithInsecureHTTP.
var ErrPlainHTTP = errors.New("losant: plain http would send the API token unencrypted")

// callSettings applies a call's options, and checks what they set. A
// call without options costs nothing here.
func (c *Client) callSettings(opts []CallOption) (callSettings, error) {
	cs := callSettings{domain: c.domain}
	for _, opt := range opts {
		opt(&cs)
	}
	if len(opts) > 0 {
		if err := checkDomain(cs.domain); err != nil {
			return cs, err
		}
	}
	return cs, nil
}
