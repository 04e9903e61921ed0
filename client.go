package losant

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/specdriven/losant/internal/shipped/bearer"
	"github.com/specdriven/losant/internal/shipped/checks"
	"github.com/specdriven/losant/internal/shipped/transport"
	"github.com/specdriven/losant/internal/shipped/wire"
)

// Client talks to the Losant API. APITokens gives the API-token actions of
// one owner. A Client is safe for concurrent use. Make one with NewClient:
// a nil or zero Client refuses every call with an error.
type Client struct {
	requests   *wire.Requests // the generated request builders
	attempter  *attempter
	auth       *bearer.Auth               // the token, or its source; shared with doer
	setHeaders func(http.Header) []string // see transport.HeaderSetter
	baseURL    string
	userAgent  string // this library's User-Agent, after WithUserAgent's product
	// base is the parsed base URL, and basePath its escaped path without
	// a trailing slash: what HTTPDoer holds a request's URL to.
	base          *url.URL
	basePath      string
	acceptVersion string
	defaults      callSettings // what applies to a call that sets nothing
	maxPages      int          // see WithMaxPages
}

// errNoClient is the error of a call on a Client that NewClient did not
// make (nil, or the zero Client), which has no token and no transport.
var errNoClient = errors.New("losant: the Client was not made by NewClient")

// NewClient returns a client that authenticates with the given Losant API
// access token. The token is kept only to set the Authorization header: it
// is never printed, logged or put in an error. For a token that changes
// while the client runs, pass "" and WithTokenSource.
func NewClient(token string, opts ...Option) (*Client, error) {
	s := defaultSettings()
	for _, opt := range opts {
		if opt != nil {
			opt.applyToClient(&s)
		}
	}
	auth, err := newAuth(token, &s)
	if err != nil {
		return nil, &prefixedError{prefix: "losant: NewClient: ", err: err}
	}
	if err := s.check(); err != nil {
		return nil, &prefixedError{prefix: "losant: NewClient: ", err: err}
	}
	requests, err := wire.NewRequests(s.baseURL)
	if err != nil {
		return nil, fmt.Errorf("losant: NewClient: %w", err)
	}
	hc := s.httpClient
	if hc == nil {
		hc = transport.Default()
	}
	if hc, err = transport.Wrap(hc, s.wrappers); err != nil {
		return nil, fmt.Errorf("losant: NewClient: %w", err)
	}
	base, _ := url.Parse(s.baseURL) // checked above
	ua := "losant-go/" + Version()  // this library, in every request's User-Agent
	if s.userAgent != "" {
		ua = s.userAgent + " " + ua
	}
	s.call.hooks = slices.Clip(withLogHooks(slices.Clone(s.call.hooks), s.logger)) // a call's own hooks go after these, on a new array
	c := &Client{
		requests:      requests,
		attempter:     &attempter{hc: transport.Guard(hc, s.insecureHTTP), auth: auth},
		auth:          auth,
		userAgent:     ua,
		setHeaders:    transport.HeaderSetter(s.acceptVersion, ua),
		baseURL:       s.baseURL,
		base:          base,
		basePath:      strings.TrimSuffix(base.EscapedPath(), "/"),
		acceptVersion: s.acceptVersion,
		defaults:      s.call,
		maxPages:      s.maxPages,
	}
	return c, nil
}

// check refuses settings the client cannot work with safely.
func (s *settings) check() error {
	if err := checks.BaseURL(s.baseURL, s.insecureHTTP, ErrPlainHTTP); err != nil {
		return err
	}
	if s.maxPages <= 0 {
		return fmt.Errorf("WithMaxPages(%d): want a positive number of pages", s.maxPages)
	}
	if checks.IndexControl(s.userAgent) >= 0 {
		return errors.New("WithUserAgent: a control character cannot be sent in a header")
	}
	if checks.IndexControl(s.acceptVersion) >= 0 {
		return errors.New("WithAcceptVersion: a control character cannot be sent in a header")
	}
	if s.acceptVersion == "" {
		return errors.New("WithAcceptVersion: empty; leave the option out for DefaultAcceptVersion")
	}
	for _, wrap := range s.wrappers {
		if wrap == nil {
			return errors.New("WithTransportWrapper: nil function")
		}
	}
	return s.call.check()
}

// check refuses a call's settings that no call can be made with, from a
// client's options or a call's.
func (cs *callSettings) check() error {
	if cs.maxBody <= 0 {
		return invalid("WithMaxResponseBytes", "%d, want a positive limit", cs.maxBody)
	}
	if cs.timeout < 0 {
		return invalid("WithTimeout", "%v, want a positive timeout, or 0 for none but the context", cs.timeout)
	}
	if cs.retry.MinWait < 0 || cs.retry.MaxWait < cs.retry.MinWait {
		return invalid("WithRetry", "want 0 <= MinWait <= MaxWait, have %v and %v", cs.retry.MinWait, cs.retry.MaxWait)
	}
	return argumentError(checks.Domain(cs.domain))
}

// callSettings applies a call's options, and checks what they set. A
// call without options costs nothing here.
func (c *Client) callSettings(opts []CallOption) (callSettings, error) {
	if c == nil || c.attempter == nil {
		return callSettings{}, errNoClient
	}
	if len(opts) == 0 {
		return c.defaults, nil // not copied to a variable the options could keep: no allocation
	}
	cs := c.defaults
	for _, opt := range opts {
		if opt != nil {
			opt.applyToCall(&cs)
		}
	}
	if err := cs.check(); err != nil {
		return cs, err
	}
	return cs, nil
}

// withLogHooks is hooks with WithLogger's hooks after them, if it was given.
func withLogHooks(hooks []Hooks, l *slog.Logger) []Hooks {
	if l == nil {
		return hooks
	}
	return append(hooks, logHooks(l))
}
