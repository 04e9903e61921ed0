package losant

import (
	"log/slog"
	"net/http"
	"slices"
	"time"
)

// An Option configures a Client in NewClient.
type Option interface{ applyToClient(*settings) }

// A CallOption changes one call only: the client's settings apply to the
// call except where a CallOption says otherwise.
type CallOption interface{ applyToCall(*callSettings) }

// A ClientOrCallOption sets a client's default in NewClient, or the same
// setting for one call when given to a call: the retry policy, the
// per-attempt timeout, the losantdomain, the response size limit and hooks.
//
//	client, err := losant.NewClient(token, losant.WithRetry(patient))
//	tok, err := client.APITokens(owner).Get(ctx, id, losant.WithoutRetries(), losant.WithTimeout(2*time.Second))
type ClientOrCallOption interface {
	Option
	CallOption
}

// clientOption sets what only a client has.
type clientOption func(*settings)

func (f clientOption) applyToClient(s *settings) { f(s) }

// sharedOption sets what a client holds as its calls' defaults, and a
// call may set for itself.
type sharedOption func(*callSettings)

func (f sharedOption) applyToClient(s *settings)   { f(&s.call) }
func (f sharedOption) applyToCall(c *callSettings) { f(c) }

// callOption sets what only a call has.
type callOption func(*callSettings)

func (f callOption) applyToCall(c *callSettings) { f(c) }

// settings are what the options set; NewClient checks them once.
type settings struct {
	baseURL       string
	httpClient    *http.Client
	wrappers      []func(http.RoundTripper) http.RoundTripper
	userAgent     string
	acceptVersion string
	maxPages      int
	insecureHTTP  bool
	logger        *slog.Logger
	tokenSource   TokenSource // see WithTokenSource
	// tokenSourceSet tells WithTokenSource(nil), refused, from no source.
	tokenSourceSet bool
	call           callSettings // every call's defaults
}

// callSettings are what applies to one call: the client's defaults, and
// over them the call's options.
type callSettings struct {
	domain  string        // the losantdomain header; empty sends none
	retry   RetryPolicy   // how the call is tried again
	timeout time.Duration // bounds each attempt; 0: none but the context
	maxBody int64         // the response limit
	hooks   []Hooks       // the client's, then the call's own
	params  any           // see WithParams
}

func defaultSettings() settings {
	return settings{
		baseURL:       DefaultBaseURL,
		acceptVersion: DefaultAcceptVersion,
		maxPages:      defaultMaxPages,
		call:          callSettings{retry: DefaultRetryPolicy(), timeout: DefaultTimeout, maxBody: defaultMaxResponseBytes},
	}
}

// WithBaseURL sets the API's base URL (default DefaultBaseURL), for example
// a private Losant instance or a test server.
func WithBaseURL(baseURL string) Option {
	return clientOption(func(s *settings) { s.baseURL = baseURL })
}

// WithDomain sends the losantdomain header, the domain scope of a request:
// on every request of a client, or on one call, where WithDomain("") sends
// none.
func WithDomain(domain string) ClientOrCallOption {
	return sharedOption(func(c *callSettings) { c.domain = domain })
}

// WithHTTPClient sets the HTTP client requests go through, in place of the
// client's own (a connection pool sized for concurrent use). The attempt
// timeout applies all the same (DefaultTimeout unless WithTimeout says
// otherwise), besides hc's own Timeout if it has one. hc is copied, not
// changed: the copy drops the Authorization header on redirects to another
// origin, and does not follow a write's method-changing redirect. To add
// to the transport, such as metrics, while keeping the client's own, use
// WithTransportWrapper instead.
func WithHTTPClient(hc *http.Client) Option {
	return clientOption(func(s *settings) { s.httpClient = hc })
}

// WithTransportWrapper wraps the transport requests go through, such as
// for metrics or tracing, keeping every other default: the connection
// pool, the attempt timeout, the redirect rules. wrap receives the
// transport (the client's own, or that of WithHTTPClient's client) and
// returns the one to use; it must not return nil. Each WithTransportWrapper
// wraps what the ones before it made. The request's context says which
// call an attempt belongs to: what a CallStart hook put in it (WithHooks).
func WithTransportWrapper(wrap func(http.RoundTripper) http.RoundTripper) Option {
	return clientOption(func(s *settings) { s.wrappers = append(s.wrappers, wrap) })
}

// WithUserAgent puts product (for example "my-service/1.2") in front of
// this library's own name and version in the User-Agent header.
func WithUserAgent(product string) Option {
	return clientOption(func(s *settings) { s.userAgent = product })
}

// WithAcceptVersion sets the Accept-Version header, the range of API
// versions the caller accepts (default DefaultAcceptVersion).
func WithAcceptVersion(version string) Option {
	return clientOption(func(s *settings) { s.acceptVersion = version })
}

// WithParams sends, with one call, the parameters of its operation that
// params sets: a pointer to the operation's type in package gen, such as
// *gen.GetApplicationAPITokenParams, which holds every parameter the spec
// gives it. Another type fails the call unsent with ErrInvalidArgument, as
// Client.Do does for any. List's options go over params' own fields, and
// are checked as APITokenListOptions are.
func WithParams(params any) CallOption {
	return callOption(func(c *callSettings) { c.params = params })
}

// WithTimeout bounds each attempt of a call, from sending the request to
// reading the last byte of the response (default DefaultTimeout, whatever
// http.Client is used). An attempt that takes longer is ended, and retried
// as a connection error is. WithTimeout(0) sets no bound on an attempt
// but the call's context (and an http.Client's own Timeout). The call as
// a whole is bounded by its context.
func WithTimeout(d time.Duration) ClientOrCallOption {
	return sharedOption(func(c *callSettings) { c.timeout = d })
}

// WithRetry sets the retry policy (default DefaultRetryPolicy).
func WithRetry(p RetryPolicy) ClientOrCallOption {
	return sharedOption(func(c *callSettings) { c.retry = p })
}

// WithoutRetries sends each call once: the first failure is returned.
func WithoutRetries() ClientOrCallOption {
	return sharedOption(func(c *callSettings) { c.retry = RetryPolicy{MaxAttempts: 1} })
}

// WithMaxResponseBytes sets the largest response body the client reads
// (default 1 MiB). A larger one fails with an *Error that
// wraps ErrResponseTooLarge, without being read into memory. List allows a
// page what its PerPage needs, if that is more.
func WithMaxResponseBytes(n int64) ClientOrCallOption {
	return sharedOption(func(c *callSettings) { c.maxBody = n })
}

// WithMaxPages sets how many pages All (and Expiring, Applications and
// Instances) reads at most before it gives up with ErrEndlessPages
// (default 10 000: a million tokens at 100 a page), whatever totalCount
// the server reports.
func WithMaxPages(n int) Option {
	return clientOption(func(s *settings) { s.maxPages = n })
}

// WithInsecureHTTP allows a plain http:// base URL to a host other than
// loopback, which sends the API token unencrypted. Only for a network the
// caller trusts; without it NewClient refuses such a URL.
func WithInsecureHTTP() Option {
	return clientOption(func(s *settings) { s.insecureHTTP = true })
}

// WithLogger logs to l: each attempt and its response at debug level, a
// retry (with its cause and wait) at info level, a call that ran out of
// retries on a 429 or 5xx at warn level, and an attempt that failed with
// no response and is not retried at error level. The
// Authorization header is logged as "[REDACTED]"; the token itself is
// never logged.
func WithLogger(l *slog.Logger) Option {
	return clientOption(func(s *settings) { s.logger = l })
}

// WithTokenSource has the client take its API token from src, before
// every request, in place of a token given once: pass "" as NewClient's
// token. NewClient reads src once, and fails if it gives no usable token.
// A 401 answer is sent again, once, when src then gives another token than
// the request carried: a 401 means the API did nothing, so this holds for
// a create too. Package tokenfile reads a token file that another program
// rewrites.
func WithTokenSource(src TokenSource) Option {
	return clientOption(func(s *settings) { s.tokenSource, s.tokenSourceSet = src, true })
}

// WithHooks has h's functions called as calls go (see Hooks): every call
// of a client, or, given to a call, that call's (after the client's), to
// read what its answer said: CallResult.Header holds a request ID or the
// rate limits. Each WithHooks adds its hooks after those given before.
// All, Expiring, Applications and Instances make one call per page read:
// the hooks run for each, with that page's answer.
func WithHooks(h Hooks) ClientOrCallOption {
	return sharedOption(func(c *callSettings) { c.hooks = append(slices.Clip(c.hooks), h) })
}

// DefaultTimeout bounds each attempt of a call, body included, unless
// WithTimeout says otherwise.
const DefaultTimeout = 30 * time.Second

// defaultMaxResponseBytes is the response body limit of a client made
// without WithMaxResponseBytes. API-token bodies are a few kilobytes.
const defaultMaxResponseBytes = 1 << 20

// DefaultBaseURL is the Losant API the client talks to unless WithBaseURL
// says otherwise.
const DefaultBaseURL = "https://api.losant.com"

// DefaultAcceptVersion is the Accept-Version header sent unless
// WithAcceptVersion says otherwise: the API version that api/openapi.yaml
// describes, as Losant's official clients send it.
const DefaultAcceptVersion = "^1.30.0"

// defaultMaxPages is how many pages a listing of every page (All,
// Expiring, Applications, Instances) reads at most, unless WithMaxPages
// says otherwise, so that a server answering full pages forever (with no
// totalCount, or one that never ends) cannot keep it running: 10 000
// pages of the default 100 tokens is a million tokens.
const defaultMaxPages = 10_000
