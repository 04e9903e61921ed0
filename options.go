package losant

import (
	"net/http"
	"time"
)

// An Option configures a Client in NewClient.
type Option func(*settings)

// settings are what the options set; NewClient checks them once.
type settings struct {
	baseURL       string
	domain        string
	httpClient    *http.Client
	userAgent     string
	acceptVersion string
}

func defaultSettings() settings {
	return settings{
		baseURL:       DefaultBaseURL,
		acceptVersion: DefaultAcceptVersion,
	}
}

// WithBaseURL sets the API's base URL (default DefaultBaseURL), for example
// a private Losant instance or a test server.
func WithBaseURL(baseURL string) Option {
	return func(s *settings) { s.baseURL = baseURL }
}

// WithDomain sends the losantdomain header, the domain scope of a request,
// on every request. A call can override it with Domain.
func WithDomain(domain string) Option {
	return func(s *settings) { s.domain = domain }
}

// WithHTTPClient sets the HTTP client requests go through. Without it the
// client uses its own, with a timeout and a connection pool sized for
// concurrent use.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) { s.httpClient = hc }
}

// WithUserAgent puts product (for example "my-service/1.2") in front of
// this library's own name and version in the User-Agent header.
func WithUserAgent(product string) Option {
	return func(s *settings) { s.userAgent = product }
}

// WithAcceptVersion sets the Accept-Version header, the range of API
// versions the caller accepts (default DefaultAcceptVersion).
func WithAcceptVersion(version string) Option {
	return func(s *settings) { s.acceptVersion = version }
}

// A CallOption changes one call only.
type CallOption func(*callSettings)

type callSettings struct {
	domain *string
}

// Domain sets the losantdomain header of one call, overriding WithDomain.
// Domain("") sends no losantdomain header on that call.
func Domain(domain string) CallOption {
	return func(c *callSettings) { c.domain = &domain }
}

// defaultTimeout bounds a whole request, body included, when the caller
// gives no http.Client of their own.
const defaultTimeout = 30 * time.Second

// defaultHTTPClient has a timeout, and keeps enough idle connections per
// host that concurrent callers reuse them rather than open new ones (Go's
// default transport keeps only 2 per host).
func defaultHTTPClient() *http.Client {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by the program: respect that
		return &http.Client{Timeout: defaultTimeout}
	}
	transport := base.Clone()
	transport.MaxIdleConnsPerHost = 100
	return &http.Client{Timeout: defaultTimeout, Transport: transport}
}
