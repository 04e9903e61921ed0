package losant

import (
	"log/slog"
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
	retry         RetryPolicy
	timeout       time.Duration
	maxBody       int64
	maxPages      int
	insecureHTTP  bool
	logger        *slog.Logger
}

func defaultSettings() settings {
	return settings{
		baseURL:       DefaultBaseURL,
		acceptVersion: DefaultAcceptVersion,
		retry:         DefaultRetryPolicy(),
		maxBody:       DefaultMaxResponseBytes,
		maxPages:      DefaultMaxPages,
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
// client uses its own, with a connection pool sized for concurrent use, and
// bounds each attempt by DefaultTimeout. The caller's client keeps its own
// Timeout, and gets no other unless WithTimeout is given too. It is copied,
// not changed: the copy drops the Authorization header on redirects to
// another origin, and does not follow a write's method-changing redirect.
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

// WithTimeout bounds each attempt of a call, from sending the request to
// reading the last byte of the response (default DefaultTimeout, when no
// WithHTTPClient is given). An attempt that takes longer is ended, and
// retried as a connection error is. The call as a whole is bounded by its
// context.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) { s.timeout = d }
}

// WithRetry sets the retry policy (default DefaultRetryPolicy).
func WithRetry(p RetryPolicy) Option {
	return func(s *settings) { s.retry = p }
}

// WithoutRetries sends each call once: the first failure is returned.
func WithoutRetries() Option {
	return func(s *settings) { s.retry = RetryPolicy{MaxAttempts: 1} }
}

// WithMaxResponseBytes sets the largest response body the client reads
// (default DefaultMaxResponseBytes). A larger one fails with an *Error that
// wraps ErrResponseTooLarge, without being read into memory.
func WithMaxResponseBytes(n int64) Option {
	return func(s *settings) { s.maxBody = n }
}

// WithMaxPages sets how many pages All (and Expiring) reads at most before
// it gives up with ErrEndlessPages (default DefaultMaxPages), whatever
// totalCount the server reports.
func WithMaxPages(n int) Option {
	return func(s *settings) { s.maxPages = n }
}

// WithInsecureHTTP allows a plain http:// base URL to a host other than
// loopback, which sends the API token unencrypted. Only for a network the
// caller trusts; without it NewClient refuses such a URL.
func WithInsecureHTTP() Option {
	return func(s *settings) { s.insecureHTTP = true }
}

// WithLogger logs each attempt, response and retry to l at debug level
// (failures at error level). The Authorization header is logged as
// "[REDACTED]"; the token itself is never logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) { s.logger = l }
}

// A CallOption changes one call only.
type CallOption func(*callSettings)

// callSettings are what a call's options set, over the client's defaults.
type callSettings struct {
	domain  string // the losantdomain header; empty sends none
	maxBody int64  // the response limit of this call; 0: the client's
}

// Domain sets the losantdomain header of one call, overriding WithDomain.
// Domain("") sends no losantdomain header on that call.
func Domain(domain string) CallOption {
	return func(c *callSettings) { c.domain = domain }
}

// DefaultTimeout bounds each attempt of a call, body included, when the
// caller gives no http.Client of their own nor WithTimeout.
const DefaultTimeout = 30 * time.Second

// DefaultMaxResponseBytes is the response body limit of a client made
// without WithMaxResponseBytes. API-token bodies are a few kilobytes.
const DefaultMaxResponseBytes = 1 << 20
