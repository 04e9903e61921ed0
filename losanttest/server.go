package losanttest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/contract"
)

// Server is a fake Losant API listening on a loopback address.
// It is safe for concurrent use.
type Server struct {
	// URL is the base URL of the fake, such as http://127.0.0.1:41234.
	URL string

	http       *httptest.Server
	store      *store
	validator  *contract.Validator
	operations map[string]operation // by operationId, from the spec

	conns atomic.Int64 // TCP connections accepted

	tb testing.TB // New's test, failed by must; nil for NewServer

	mu       sync.Mutex
	requests requestLog
	faults   []*queuedFault

	answers *byteBudget // the list pages being answered

	accessMu  sync.Mutex
	accessLog io.Writer // nil: none
}

// An Option configures a Server.
type Option struct{ apply func(*config) }

// option makes an Option of what it sets.
func option(set func(*config)) Option { return Option{apply: set} }

type config struct {
	addr      string
	fixtures  Fixtures
	now       func() time.Time
	timeouts  Timeouts
	logLimit  int
	limits    Limits
	accessLog io.Writer
	tb        testing.TB
}

// Timeouts bound what one connection may take of the server, so that a
// slow or stalled client cannot hold it. A zero field keeps its default.
type Timeouts struct {
	// ReadHeader bounds reading a request's headers (default 10s).
	ReadHeader time.Duration
	// Read bounds reading a whole request, body included (default 30s).
	Read time.Duration
	// Write bounds answering, from the end of the request's headers
	// (default 2m): a Fault's Latency longer than that fails the answer.
	Write time.Duration
	// Idle bounds how long a kept-alive connection waits for its next
	// request (default 2m).
	Idle time.Duration
}

// DefaultTimeouts returns the server's timeouts unless WithTimeouts
// changes them: long enough that a slow test machine does not trip them.
func DefaultTimeouts() Timeouts {
	return Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 2 * time.Minute, Idle: 2 * time.Minute}
}

// WithTimeouts sets the server's connection timeouts; zero fields keep
// DefaultTimeouts'.
func WithTimeouts(t Timeouts) Option { return option(func(c *config) { c.timeouts = t }) }

// DefaultRequestLog is how many requests Requests keeps unless
// WithRequestLog says otherwise.
const DefaultRequestLog = 10_000

// WithRequestLog makes Requests keep the last n requests (0 keeps none),
// so that a long-running server's memory stays bounded; Limits'
// RequestLogBytes bounds them in bytes too.
func WithRequestLog(n int) Option { return option(func(c *config) { c.logLimit = max(n, 0) }) }

// WithAccessLog writes one line a request to w, when its answer is done:
// the method, the path (quoted, so that a hostile one cannot drive a
// terminal), the status (0: no answer) and how long it took. Headers,
// bodies and queries are never written, so neither is a secret.
func WithAccessLog(w io.Writer) Option { return option(func(c *config) { c.accessLog = w }) }

// WithAddr makes the server listen on addr (such as "127.0.0.1:8080")
// instead of a free loopback port.
func WithAddr(addr string) Option { return option(func(c *config) { c.addr = addr }) }

// WithFixtures seeds the server with users, applications, instances and
// tokens.
func WithFixtures(f Fixtures) Option { return option(func(c *config) { c.fixtures = f }) }

// WithClock sets the clock used for creation and update times and token
// expiry (default time.Now).
func WithClock(now func() time.Time) Option { return option(func(c *config) { c.now = now }) }

// NewServer starts a fake Losant API. The caller must Close it. An error
// names what is wrong, such as a fixture ("tokens[2].scope[0]: ...").
// AddUser, AddApplication, AddInstance, AddToken, Client and Inject of
// a server made this way
// panic when given something wrong, as httptest.NewServer does when it
// cannot listen; New's fail the test instead.
func NewServer(opts ...Option) (*Server, error) {
	cfg := config{addr: "127.0.0.1:0", now: time.Now, logLimit: DefaultRequestLog}
	for _, opt := range opts {
		if opt.apply != nil {
			opt.apply(&cfg)
		}
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	v, known, err := loadSpec()
	if err != nil {
		return nil, err
	}
	limits := cfg.limits.withDefaults()
	s := &Server{store: newStore(cfg.now, known.scopes, limits), validator: v, operations: known.operations,
		requests: requestLog{limit: cfg.logLimit, maxBytes: limits.RequestLogBytes}, tb: cfg.tb, accessLog: cfg.accessLog,
		answers: newByteBudget(limits.AnswerBytes)}
	if err := s.seed(cfg.fixtures); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("losanttest: %w", err)
	}
	s.http = httptest.NewUnstartedServer(s)
	s.http.Listener.Close()
	s.http.Listener = newLimitedListener(ln, limits.Connections)
	s.http.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	t := cfg.timeouts
	defaults := DefaultTimeouts()
	s.http.Config.ReadHeaderTimeout = cmp.Or(t.ReadHeader, defaults.ReadHeader)
	s.http.Config.ReadTimeout = cmp.Or(t.Read, defaults.Read)
	s.http.Config.WriteTimeout = cmp.Or(t.Write, defaults.Write)
	s.http.Config.IdleTimeout = cmp.Or(t.Idle, defaults.Idle)
	s.http.Config.MaxHeaderBytes = maxHeaderBytes
	s.http.Start()
	s.URL = s.http.URL
	return s, nil
}

// New starts a fake Losant API for t and closes it when t ends. It fails
// t if the server cannot start, and so do AddUser, AddApplication,
// AddInstance, AddToken, Client and Inject when given something wrong:
// a test never has to check an error to set the fake up.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := NewServer(append(opts, option(func(c *config) { c.tb = t }))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// maxHeaderBytes bounds a request's headers; the API's are a few hundred
// bytes.
const maxHeaderBytes = 64 << 10

// DefaultGrace is how long Close lets requests in flight finish.
const DefaultGrace = 5 * time.Second

// Close shuts the server down as Shutdown does, with DefaultGrace for the
// requests in flight.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultGrace)
	defer cancel()
	_ = s.Shutdown(ctx)
}

// Shutdown stops accepting connections, lets the requests in flight finish
// until ctx is done, then closes every connection left, such as a client's
// that stalls in the middle of a body. It returns ctx's error if requests
// were still in flight then.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Config.Shutdown(ctx)
	s.http.CloseClientConnections()
	s.http.Close()
	return err
}

// Client returns a losant.Client for this server that authenticates with
// the bearer token secret; opts are applied after the base URL.
func (s *Server) Client(secret string, opts ...losant.Option) *losant.Client {
	if s.tb != nil { // a failure is reported at the test's line
		s.tb.Helper()
	}
	c, err := losant.NewClient(secret, append([]losant.Option{losant.WithBaseURL(s.URL)}, opts...)...)
	s.must("Client", err)
	return c
}

// AddUser adds a user and returns it with its ID filled in.
func (s *Server) AddUser(u User) User {
	if s.tb != nil { // a failure is reported at the test's line
		s.tb.Helper()
	}
	u, err := s.store.addUser(u)
	s.must("AddUser", err)
	return u
}

// AddApplication adds an application owned by a known user and returns it
// with its ID filled in.
func (s *Server) AddApplication(a Application) Application {
	if s.tb != nil { // a failure is reported at the test's line
		s.tb.Helper()
	}
	a, err := s.store.addApplication(a)
	s.must("AddApplication", err)
	return a
}

// AddInstance adds an Enterprise instance whose members are known users,
// and returns it with its ID filled in. A member's user tokens reach the
// instance's tokens.
func (s *Server) AddInstance(in Instance) Instance {
	if s.tb != nil { // a failure is reported at the test's line
		s.tb.Helper()
	}
	in, err := s.store.addInstance(in)
	s.must("AddInstance", err)
	return in
}

// RemoveApplication removes an application and every token it owns, as
// deleting it in Losant would, and reports whether there was one: for a
// test of an owner that goes away while it is read.
func (s *Server) RemoveApplication(id string) bool {
	return s.store.removeOwner(owner{gen.APITokenOwnerTypeApplication, id})
}

// RemoveInstance removes an Enterprise instance and every token it owns,
// and reports whether there was one.
func (s *Server) RemoveInstance(id string) bool {
	return s.store.removeOwner(owner{gen.APITokenOwnerTypeInstance, id})
}

// AddToken adds an API token owned by a known user, application or
// instance and returns it with its ID, Secret, Name and Status filled in. Present
// Secret as the bearer token to act with it.
func (s *Server) AddToken(t Token) Token {
	if s.tb != nil { // a failure is reported at the test's line
		s.tb.Helper()
	}
	t, err := s.store.addToken(t)
	s.must("AddToken", err)
	return t
}

// must fails the test of a server made by New, or panics, on err.
func (s *Server) must(call string, err error) {
	if err == nil {
		return
	}
	if s.tb != nil { // a failure is reported at the test's line
		s.tb.Helper()
	}
	err = fmt.Errorf("losanttest: %s: %w", call, err)
	if s.tb != nil {
		s.tb.Fatal(err)
	}
	panic(err)
}

// Token returns the token with that ID as the fake holds it now, whatever
// its owner: status, expiry, scopes, roles and dates, as a get answers
// them, without the secret. It is a copy; false if there is no such token
// (never made, or deleted). A test reads with it what a client could not,
// such as a token a rotation deactivated, without a token of its own.
func (s *Server) Token(id string) (gen.APIToken, bool) { return s.store.token(id) }

// Connections returns the number of TCP connections the server has
// accepted, to check that a client reuses its connections.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// specFacts is what the fake reads from the spec, once per process.
type specFacts struct {
	operations map[string]operation // by operationId
	scopes     map[string]bool      // every scope a create body may list
}

var spec struct {
	once      sync.Once
	validator *contract.Validator
	facts     specFacts
	err       error
}

func loadSpec() (*contract.Validator, specFacts, error) {
	spec.once.Do(func() {
		spec.validator, spec.err = contract.New()
		if spec.err != nil {
			return
		}
		spec.facts, spec.err = readSpec(spec.validator.Doc())
	})
	if spec.err != nil {
		return nil, specFacts{}, fmt.Errorf("losanttest: %w", spec.err)
	}
	return spec.validator, spec.facts, nil
}

// readSpec reads each operation's owner and action, or the collection of
// owners it lists, its scopes, and the scopes a create body may list.
func readSpec(doc *openapi3.T) (specFacts, error) {
	facts := specFacts{operations: map[string]operation{}, scopes: map[string]bool{}}
	for path, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			scopes, err := contract.AcceptedScopes(op)
			if err != nil {
				return facts, err
			}
			if collection, ok := op.Extensions["x-losant-collection"].(string); ok {
				if !slices.Contains(ownerCollections, collection) {
					return facts, fmt.Errorf("%s: x-losant-collection %q is not one the fake serves", op.OperationID, collection)
				}
				facts.operations[op.OperationID] = operation{id: op.OperationID, collection: collection, scopes: scopes}
				continue
			}
			owner, _ := op.Extensions["x-losant-owner"].(string)
			action, _ := op.Extensions["x-losant-action"].(string)
			if owner == "" || action == "" {
				return facts, fmt.Errorf("%s: x-losant-owner or x-losant-action missing", op.OperationID)
			}
			o := operation{id: op.OperationID, owner: gen.APITokenOwnerType(owner), action: action, scopes: scopes}
			for _, p := range item.Parameters {
				if p.Value.In == openapi3.ParameterInPath && p.Value.Name != "apiTokenId" {
					o.ownerParam = p.Value.Name
				}
			}
			if o.ownerParam == "" && o.owner != gen.APITokenOwnerTypeUser {
				return facts, fmt.Errorf("%s %s: no path parameter names the %s", op.OperationID, path, owner)
			}
			facts.operations[op.OperationID] = o
		}
	}
	post := doc.Components.Schemas["ApiTokenPost"]
	if post == nil || post.Value.Properties["scope"] == nil {
		return facts, errors.New("the spec has no ApiTokenPost scope")
	}
	collectEnum(post.Value.Properties["scope"].Value.Items.Value, facts.scopes)
	return facts, nil
}

// collectEnum adds the string values of s's enum, and of its oneOf and
// anyOf alternatives, to into.
func collectEnum(s *openapi3.Schema, into map[string]bool) {
	for _, v := range s.Enum {
		if name, ok := v.(string); ok {
			into[name] = true
		}
	}
	for _, alt := range append(slices.Clone(s.OneOf), s.AnyOf...) {
		collectEnum(alt.Value, into)
	}
}
