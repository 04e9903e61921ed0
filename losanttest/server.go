package losanttest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen/server"
	"github.com/specdriven/losant/internal/contract"
)

// Server is a fake Losant API listening on a loopback address.
// It is safe for concurrent use.
type Server struct {
	// URL is the base URL of the fake, such as http://127.0.0.1:41234.
	URL string

	http      *httptest.Server
	store     *store
	validator *contract.Validator
	scopes    map[string][]string // operationId -> accepted scopes, from the spec
	api       http.Handler        // the generated strict server

	conns atomic.Int64 // TCP connections accepted

	mu       sync.Mutex
	requests []Request
	faults   []*queuedFault
}

// Request is a request the fake received, as a test may want to assert it.
type Request struct {
	Method    string
	Path      string
	Operation string // the spec's operationId; empty if the path matched none
	Domain    string // the losantdomain header, empty if absent
	Status    int    // the status the fake answered with; 0 if it dropped the connection
	Fault     bool   // whether an injected Fault met the request
}

// An Option configures a Server.
type Option func(*config)

type config struct {
	addr     string
	fixtures Fixtures
	now      func() time.Time
}

// WithAddr makes the server listen on addr (such as "127.0.0.1:8080")
// instead of a free loopback port.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithFixtures seeds the server with users, applications and tokens.
func WithFixtures(f Fixtures) Option { return func(c *config) { c.fixtures = f } }

// WithClock sets the clock used for creation and update times and token
// expiry (default time.Now).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// NewServer starts a fake Losant API. The caller must Close it.
func NewServer(opts ...Option) (*Server, error) {
	cfg := config{addr: "127.0.0.1:0", now: time.Now}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	v, scopes, err := loadSpec()
	if err != nil {
		return nil, err
	}
	s := &Server{store: newStore(cfg.now), validator: v, scopes: scopes}
	if err := s.Seed(cfg.fixtures); err != nil {
		return nil, err
	}
	s.api = server.HandlerWithOptions(
		server.NewStrictHandlerWithOptions(handlers{s.store}, nil, server.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  badRequest,
			ResponseErrorHandlerFunc: internalError,
		}),
		server.StdHTTPServerOptions{ErrorHandlerFunc: badRequest},
	)
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("losanttest: %w", err)
	}
	s.http = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.http.Listener.Close()
	s.http.Listener = ln
	s.http.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.http.Start()
	s.URL = s.http.URL
	return s, nil
}

// New starts a fake Losant API for the test t and closes it when the test
// ends; it fails the test if the server cannot start.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Close shuts the server down, waiting for requests in flight.
func (s *Server) Close() { s.http.Close() }

// Client returns a losant.Client for this server that authenticates with
// the bearer token secret; opts are applied after the base URL.
func (s *Server) Client(secret string, opts ...losant.Option) (*losant.Client, error) {
	return losant.NewClient(secret, append([]losant.Option{losant.WithBaseURL(s.URL)}, opts...)...)
}

// Seed adds fixtures: users first, then applications, then tokens.
func (s *Server) Seed(f Fixtures) error {
	for _, u := range f.Users {
		if _, err := s.AddUser(u); err != nil {
			return err
		}
	}
	for _, a := range f.Applications {
		if _, err := s.AddApplication(a); err != nil {
			return err
		}
	}
	for _, t := range f.Tokens {
		if _, err := s.AddToken(t); err != nil {
			return err
		}
	}
	return nil
}

// AddUser adds a user and returns it with its ID filled in.
func (s *Server) AddUser(u User) (User, error) { return s.store.addUser(u) }

// AddApplication adds an application owned by a known user and returns it
// with its ID filled in.
func (s *Server) AddApplication(a Application) (Application, error) { return s.store.addApplication(a) }

// AddToken adds an API token owned by a known user or application and
// returns it with its ID, Secret, Name and Status filled in. Present
// Secret as the bearer token to act with it.
func (s *Server) AddToken(t Token) (Token, error) { return s.store.addToken(t) }

// Connections returns the number of TCP connections the server has
// accepted, to check that a client reuses its connections.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
}

// spec is parsed once per process: every Server reads the same bytes.
var spec struct {
	once      sync.Once
	validator *contract.Validator
	scopes    map[string][]string
	err       error
}

func loadSpec() (*contract.Validator, map[string][]string, error) {
	spec.once.Do(func() {
		spec.validator, spec.err = contract.New()
		if spec.err != nil {
			return
		}
		spec.scopes = map[string][]string{}
		for _, item := range spec.validator.Doc().Paths.Map() {
			for _, op := range item.Operations() {
				scopes, err := contract.AcceptedScopes(op)
				if err != nil {
					spec.err = err
					return
				}
				spec.scopes[op.OperationID] = scopes
			}
		}
	})
	if spec.err != nil {
		return nil, nil, fmt.Errorf("losanttest: %w", spec.err)
	}
	return spec.validator, spec.scopes, nil
}

// callerKey carries the authenticated token to the handlers.
type callerKey struct{}

func callerFrom(ctx context.Context) (server.APIToken, error) {
	caller, ok := ctx.Value(callerKey{}).(server.APIToken)
	if !ok {
		return caller, errors.New("losanttest: no authenticated caller")
	}
	return caller, nil
}
