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
// one owner. A Client is safe for concurrent use. Make one with NewClient:
// a nil or zero Client refuses every call with an error.
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
		if opt != nil {
			opt(&s)
		}
	}
	if err := s.check(); err != nil {
		return nil, &prefixedError{prefix: "losant: NewClient: ", err: err}
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
		doer:       &doer{hc: safeCopy(hc, s.insecureHTTP), retry: s.retry, maxBody: s.maxBody, timeout: timeout, log: s.logger},
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
	if indexControl(s.userAgent) >= 0 {
		return errors.New("WithUserAgent: a control character cannot be sent in a header")
	}
	if indexControl(s.acceptVersion) >= 0 {
		return errors.New("WithAcceptVersion: a control character cannot be sent in a header")
	}
	if s.acceptVersion == "" {
		return errors.New("WithAcceptVersion: empty; leave the option out for DefaultAcceptVersion")
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
// than it seems to say. Its messages never quote the URL: what is not a
// base URL may be a secret (an access token in its place, a password in a
// mistyped user info or query).
func checkBaseURL(baseURL string, insecureHTTP bool) error {
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
	case (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return errors.New("base URL: want an absolute http or https URL, such as https://api.losant.com")
	case u.Scheme == "http" && !insecureHTTP && !isLoopback(u.Hostname()):
		return fmt.Errorf("base URL: %w; use https, or WithInsecureHTTP on a trusted network", ErrPlainHTTP)
	}
	return nil
}

// callSettings applies a call's options, and checks what they set. A
// call without options costs nothing here.
func (c *Client) callSettings(opts []CallOption) (callSettings, error) {
	if c == nil || c.doer == nil {
		return callSettings{}, errNoClient
	}
	cs := callSettings{domain: c.domain}
	for _, opt := range opts {
		if opt != nil {
			opt(&cs)
		}
	}
	if len(opts) > 0 {
		if err := checkDomain(cs.domain); err != nil {
			return cs, err
		}
	}
	return cs, nil
}

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
