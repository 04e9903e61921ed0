package losant

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/specdriven/losant/gen"
)

// Client talks to the Losant API. Its fields group the actions by resource,
// as the API documentation does. A Client is safe for concurrent use.
type Client struct {
	// ApplicationAPIToken acts on the API tokens of an application.
	ApplicationAPIToken *ApplicationAPITokenService
	// UserAPIToken acts on the API tokens of the authenticated user.
	UserAPIToken *UserAPITokenService

	api    gen.ClientInterface
	domain string
}

// NewClient returns a client that authenticates with the given Losant API
// access token. The token is kept only inside the request editor that sets
// the Authorization header: it is never logged or put in an error.
func NewClient(token string, opts ...Option) (*Client, error) {
	if token == "" {
		return nil, errors.New("losant: NewClient: the API token is empty")
	}
	if strings.ContainsAny(token, "\r\n\x00") {
		return nil, errors.New("losant: NewClient: the API token contains a control character")
	}
	s := defaultSettings()
	for _, opt := range opts {
		opt(&s)
	}
	if err := checkBaseURL(s.baseURL); err != nil {
		return nil, err
	}
	if s.httpClient == nil {
		s.httpClient = defaultHTTPClient()
	}
	ua := userAgent
	if s.userAgent != "" {
		ua = s.userAgent + " " + userAgent
	}
	api, err := gen.NewClient(s.baseURL,
		gen.WithHTTPClient(s.httpClient),
		gen.WithRequestEditorFn(BearerAuth(token)),
		gen.WithRequestEditorFn(staticHeaders(ua, s.acceptVersion)),
	)
	if err != nil {
		return nil, fmt.Errorf("losant: NewClient: %w", err)
	}
	c := &Client{api: api, domain: s.domain}
	c.ApplicationAPIToken = &ApplicationAPITokenService{client: c}
	c.UserAPIToken = &UserAPITokenService{client: c}
	return c, nil
}

func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("losant: base URL: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("losant: base URL %q: want an absolute http or https URL", raw)
	}
	return nil
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
// own Domain if it has one, else the client's; nil sends no header.
func (c *Client) domainFor(opts []CallOption) *string {
	cs := callSettings{}
	for _, opt := range opts {
		opt(&cs)
	}
	domain := c.domain
	if cs.domain != nil {
		domain = *cs.domain
	}
	if domain == "" {
		return nil
	}
	return &domain
}

// ErrInvalidArgument is wrapped by the errors of calls refused before
// anything is sent.
var ErrInvalidArgument = errors.New("invalid argument")

// checkCall refuses a call that must not be sent: a nil context (net/http
// would panic) or a path ID that would change which path the request goes
// to. IDs come in name, value pairs. Other characters in an ID are escaped
// by the generated client, but URL resolution drops the dot segments "."
// and "..", and an empty ID names the collection instead of one token.
func checkCall(ctx context.Context, ids ...string) error {
	if ctx == nil {
		return fmt.Errorf("losant: nil context: %w", ErrInvalidArgument)
	}
	for i := 0; i+1 < len(ids); i += 2 {
		switch ids[i+1] {
		case "", ".", "..":
			return fmt.Errorf("losant: %s %q: %w: not an ID", ids[i], ids[i+1], ErrInvalidArgument)
		}
	}
	return nil
}
