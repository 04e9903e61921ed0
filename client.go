package losant

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/specdriven/losant/gen"
)

// Client talks to the Losant API. Its fields group the actions by resource,
// as the API documentation does. A Client is safe for concurrent use.
type Client struct {
	// ApplicationAPIToken acts on the API tokens of an application.
	ApplicationAPIToken *ApplicationAPITokenService
	// UserAPIToken acts on the API tokens of the authenticated user.
	UserAPIToken *UserAPITokenService

	api           *gen.Client
	baseURL       string
	domain        string
	defaultDomain *string // &domain, or nil when there is none
}

// NewClient returns a client that authenticates with the given Losant API
// access token. The token is kept only inside the request editor that sets
// the Authorization header: it is never logged or put in an error.
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
	hc := s.httpClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	d := &doer{hc: safeCopy(hc), retry: s.retry, maxBody: s.maxBody, log: s.logger}
	ua := userAgent
	if s.userAgent != "" {
		ua = s.userAgent + " " + userAgent
	}
	api, err := gen.NewClient(s.baseURL,
		gen.WithHTTPClient(d),
		gen.WithRequestEditorFn(BearerAuth(token)),
		gen.WithRequestEditorFn(staticHeaders(ua, s.acceptVersion)),
	)
	if err != nil {
		return nil, fmt.Errorf("losant: NewClient: %w", err)
	}
	c := &Client{api: api, baseURL: s.baseURL, domain: s.domain}
	if c.domain != "" {
		c.defaultDomain = &c.domain
	}
	c.ApplicationAPIToken = &ApplicationAPITokenService{client: c}
	c.UserAPIToken = &UserAPITokenService{client: c}
	return c, nil
}

// check refuses settings the client cannot work with safely.
func (s *settings) check() error {
	u, err := url.Parse(s.baseURL)
	if err != nil {
		return fmt.Errorf("base URL: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("base URL %q: want an absolute http or https URL", s.baseURL)
	}
	if u.Scheme == "http" && !s.insecureHTTP && !isLoopback(u.Hostname()) {
		return fmt.Errorf("base URL %q: plain http would send the API token unencrypted; use https, or WithInsecureHTTP on a trusted network", s.baseURL)
	}
	if s.maxBody <= 0 {
		return fmt.Errorf("WithMaxResponseBytes(%d): want a positive limit", s.maxBody)
	}
	if i := indexControl(s.userAgent + s.acceptVersion); i >= 0 {
		return errors.New("WithUserAgent or WithAcceptVersion: a control character cannot be sent in a header")
	}
	if s.retry.MinWait < 0 || s.retry.MaxWait < s.retry.MinWait {
		return fmt.Errorf("WithRetry: want 0 <= MinWait <= MaxWait, have %v and %v", s.retry.MinWait, s.retry.MaxWait)
	}
	return checkDomain(s.domain)
}

// staticHeaders sets the headers every Losant request carries.
func staticHeaders(userAgent, acceptVersion string) gen.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Accept-Version", acceptVersion)
		req.Header.Set("User-Agent", userAgent)
		return nil
	}
}

// domainFor returns the losantdomain header value for one call: the call's
// own Domain if it has one, else the client's; nil sends no header. The
// generated client only reads the pointer, so the client's is shared.
func (c *Client) domainFor(opts []CallOption) *string {
	if len(opts) == 0 {
		return c.defaultDomain
	}
	cs := callSettings{}
	for _, opt := range opts {
		opt(&cs)
	}
	if cs.domain == nil {
		return c.defaultDomain
	}
	if *cs.domain == "" {
		return nil
	}
	return cs.domain
}

// prepare checks a call before it is sent: its context, its path IDs
// (name, value pairs) and its domain, and returns the losantdomain header
// value; nil sends no header.
func (c *Client) prepare(ctx context.Context, opts []CallOption, ids ...string) (*string, error) {
	if ctx == nil {
		return nil, invalid("context", "nil")
	}
	if err := checkIDs(ids...); err != nil {
		return nil, err
	}
	domain := c.domainFor(opts)
	if domain != nil {
		if err := checkDomain(*domain); err != nil {
			return nil, err
		}
	}
	return domain, nil
}

// String describes the client without its token, so that printing a
// Client with fmt does not leak it.
func (c *Client) String() string {
	return fmt.Sprintf("losant.Client{BaseURL: %q, Domain: %q}", c.baseURL, c.domain)
}

// GoString is String, for the %#v verb.
func (c *Client) GoString() string { return c.String() }
