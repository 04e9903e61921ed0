// Package testworld is the test world that the tests of package losant and
// of package losanttest share: a fake Losant API seeded with an owner of
// every kind the spec names, bearer tokens to act with, and the token
// actions as one table that runs on any owner. Only tests import it.
package testworld

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/faultproxy"
	"github.com/specdriven/losant/internal/shipped/contract"
	"github.com/specdriven/losant/internal/shipped/wire"
	"github.com/specdriven/losant/losanttest"
)

// World is a fake Losant API with two users, an application and an
// instance that the first user reaches and one of each that it does not,
// and tokens: bearers (to act with) and targets (to act on).
type World struct {
	Server *losanttest.Server
	Proxy  *faultproxy.Proxy // between ProxyClient's clients and Server; nil without WithFaultProxy

	User, OtherUser         losanttest.User
	App, OtherApp           losanttest.Application // App is User's; OtherApp OtherUser's
	Instance, OtherInstance losanttest.Instance    // User is a member of Instance only

	UserBearer      losanttest.Token // User's, scope all.User: reaches every owner above but the other ones
	ReadOnly        losanttest.Token // User's, scope all.User.read
	Unscoped        losanttest.Token // User's, scope device.get only
	OtherUserTarget losanttest.Token // OtherUser's

	// The targets and bearers of Owners, by owner, for tests of one kind.
	UserTarget, AppTarget, InstanceTarget losanttest.Token
	AppBearer, InstanceBearer             losanttest.Token

	owners []Owner

	tb        testing.TB
	checks    []contract.CheckOption
	checkOnce sync.Once
	checker   *contract.Transport
}

// Owner is one owner of the world, as the tests act on it.
type Owner struct {
	// Owner is the owner, as the client names it.
	Owner losant.Owner
	// Target is a token of the owner, to act on.
	Target losanttest.Token
	// Bearer is a token of the owner that acts on the owner's tokens with
	// the owner's own all-scope (all.Application, all.Instance, all.User).
	Bearer losanttest.Token
	// Unreached is an owner of the same kind that User's tokens do not
	// reach; the zero Owner for the user, who reaches only itself.
	Unreached losant.Owner
}

// Name is the owner's type, for subtest names.
func (o Owner) Name() string { return string(o.Owner.Type()) }

// Option changes the world New makes.
type Option func(*config)

type config struct {
	fake       []losanttest.Option
	checks     []contract.CheckOption
	faultProxy bool
	clock      *clock
}

// WithFake passes opts to the fake (losanttest.New): fixtures to seed
// before the world's own, a request log's size, timeouts.
func WithFake(opts ...losanttest.Option) Option {
	return func(c *config) { c.fake = append(c.fake, opts...) }
}

// WithTickingClock gives the fake a clock that reads start plus a minute
// on its first reading and moves a minute on each one after, so that
// creation dates differ and are the same on every run. The world's own
// seeding does not move it: what a test reads of the dates does not
// depend on how much the world seeds.
func WithTickingClock(start time.Time) Option {
	return func(c *config) { c.clock = &clock{now: start} }
}

// WithFaults is for tests of a faulty network or of the fake's faults:
// Client's checker checks the exchanges that completed, and the test may
// end with none completed (every answer was dropped).
func WithFaults() Option {
	return func(c *config) { c.checks = append(c.checks, contract.MayCheckNone()) }
}

// WithFaultProxy puts a faultproxy.Proxy (World.Proxy) between the fake
// and the clients ProxyClient makes.
func WithFaultProxy() Option { return func(c *config) { c.faultProxy = true } }

// New seeds a fake for t, closed when t ends.
func New(t testing.TB, opts ...Option) *World {
	t.Helper()
	var c config
	for _, opt := range opts {
		opt(&c)
	}
	fakeOpts := c.fake
	if c.clock != nil {
		fakeOpts = append(fakeOpts, losanttest.WithClock(c.clock.read))
	}
	srv := losanttest.New(t, fakeOpts...)
	if c.clock != nil { // after the fixtures, which WithFake's tests read
		c.clock.hold(true)
		defer c.clock.hold(false)
	}
	w := &World{Server: srv, tb: t, checks: c.checks}
	if c.faultProxy {
		w.Proxy = faultproxy.New(t, srv.URL)
	}
	w.User = srv.AddUser(losanttest.User{Email: "ada@example.com"})
	w.OtherUser = srv.AddUser(losanttest.User{Email: "bob@example.com"})
	w.App = srv.AddApplication(losanttest.Application{Name: "Greenhouse", OwnerID: w.User.ID})
	w.OtherApp = srv.AddApplication(losanttest.Application{Name: "Garage", OwnerID: w.OtherUser.ID})
	w.Instance = srv.AddInstance(losanttest.Instance{Name: "Acme", Members: []string{w.User.ID}})
	w.OtherInstance = srv.AddInstance(losanttest.Instance{Name: "Initech", Members: []string{w.OtherUser.ID}})
	token := func(ownerType gen.APITokenOwnerType, ownerID, name string, scope ...string) losanttest.Token {
		return srv.AddToken(losanttest.Token{Name: name, OwnerType: ownerType, OwnerID: ownerID, Scope: scope})
	}
	user, app, instance := gen.APITokenOwnerTypeUser, gen.APITokenOwnerTypeApplication, gen.APITokenOwnerTypeInstance
	w.UserBearer = token(user, w.User.ID, "cli", "all.User")
	w.ReadOnly = token(user, w.User.ID, "dashboard", "all.User.read")
	w.Unscoped = token(user, w.User.ID, "device reader", "device.get")
	w.OtherUserTarget = token(user, w.OtherUser.ID, "bob's", "all.User")
	w.owners = []Owner{
		{Owner: losant.User(), Target: token(user, w.User.ID, "backup", "all.User.read"), Bearer: w.UserBearer},
		{Owner: losant.Application(w.App.ID), Target: token(app, w.App.ID, "ingest", "all.Application"),
			Bearer: token(app, w.App.ID, "device fleet", "all.Application"), Unreached: losant.Application(w.OtherApp.ID)},
		{Owner: losant.Instance(w.Instance.ID), Target: token(instance, w.Instance.ID, "audit export", "all.Instance.read"),
			Bearer: token(instance, w.Instance.ID, "instance admin", "all.Instance"), Unreached: losant.Instance(w.OtherInstance.ID)},
	}
	w.UserTarget, w.AppTarget, w.InstanceTarget = w.owners[0].Target, w.owners[1].Target, w.owners[2].Target
	w.AppBearer, w.InstanceBearer = w.owners[1].Bearer, w.owners[2].Bearer
	return w
}

// Owners returns an owner of every kind the spec names (wire.OwnerTypes),
// and fails t if the world has none of one kind: a kind the spec adds is
// tested as soon as the world seeds one.
func (w *World) Owners(t testing.TB) []Owner {
	t.Helper()
	var out []Owner
	for _, ownerType := range wire.OwnerTypes() {
		found := false
		for _, o := range w.owners {
			if string(o.Owner.Type()) == ownerType {
				out, found = append(out, o), true
			}
		}
		if !found {
			t.Fatalf("testworld: the spec names the owner %q, which the world does not seed", ownerType)
		}
	}
	return out
}

// Client returns a client of the fake that authenticates as bearer and
// checks every exchange against the spec (Transport). An http.Client in
// opts is replaced; a test that needs its own gives it Transport.
func (w *World) Client(t testing.TB, bearer losanttest.Token, opts ...losant.Option) *losant.Client {
	t.Helper()
	return w.Server.Client(bearer.Secret, append(opts, losant.WithHTTPClient(&http.Client{Transport: w.Transport()}))...)
}

// Transport returns the world's spec checker, made on first use: when the
// test ends, it fails the test if a response broke the spec or, unless
// WithFaults, if none was checked. A test that makes no checked client
// (a test of the CLI, which makes its own) is held to nothing.
func (w *World) Transport() *contract.Transport {
	w.checkOnce.Do(func() { w.checker = contract.CheckedTransport(w.tb, w.checks...) })
	return w.checker
}

// ProxyClient returns a client of the fake, through the fault proxy, that
// authenticates as bearer. Its exchanges are not checked against the spec:
// the proxy cuts and stalls answers on purpose, and a checker that read
// each answer whole would move where the client meets the cut.
func (w *World) ProxyClient(t testing.TB, bearer losanttest.Token, opts ...losant.Option) *losant.Client {
	t.Helper()
	if w.Proxy == nil {
		t.Fatal("testworld: ProxyClient needs a world made WithFaultProxy")
	}
	return w.Server.Client(bearer.Secret, append([]losant.Option{losant.WithBaseURL(w.Proxy.URL)}, opts...)...)
}

// clock is the fake's clock of WithTickingClock.
type clock struct {
	mu   sync.Mutex
	now  time.Time
	held bool
}

func (c *clock) read() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.held {
		c.now = c.now.Add(time.Minute)
	}
	return c.now
}

func (c *clock) hold(held bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.held = held
}

// Action is one of the actions on one token, called through the client.
type Action struct {
	Name   string // Get, Patch or Delete
	Method string
	Call   func(ctx context.Context, s losant.APITokenService, apiTokenID string, opts ...losant.CallOption) (*gen.APIToken, error)
}

// IsDelete reports whether the action deletes: its success returns no token.
func (a Action) IsDelete() bool { return a.Method == http.MethodDelete }

// ExamplePatch returns the official documentation's patch example.
func ExamplePatch() gen.APITokenPatch {
	return gen.APITokenPatch{Name: losant.Ptr("My Updated API Token"), Status: losant.Ptr(gen.APITokenStatusInactive)}
}

// Actions returns the actions on one token, for any owner.
func Actions() []Action {
	return []Action{
		{"Get", http.MethodGet, func(ctx context.Context, s losant.APITokenService, id string, opts ...losant.CallOption) (*gen.APIToken, error) {
			return s.Get(ctx, id, opts...)
		}},
		{"Patch", http.MethodPatch, func(ctx context.Context, s losant.APITokenService, id string, opts ...losant.CallOption) (*gen.APIToken, error) {
			return s.Patch(ctx, id, ExamplePatch(), opts...)
		}},
		{"Delete", http.MethodDelete, func(ctx context.Context, s losant.APITokenService, id string, opts ...losant.CallOption) (*gen.APIToken, error) {
			return nil, s.Delete(ctx, id, opts...)
		}},
	}
}

// InParallel runs fn in n goroutines at once (g is 0..n-1) and fails t
// with the errors they return.
func InParallel(t testing.TB, n int, fn func(g int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for g := range n {
		wg.Add(1)
		go func() { defer wg.Done(); errs[g] = fn(g) }()
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
}

// OwnerOf returns the world's owner of type typ, and fails t if it has none.
func (w *World) OwnerOf(t testing.TB, typ gen.APITokenOwnerType) Owner {
	t.Helper()
	for _, o := range w.owners {
		if o.Owner.Type() == typ {
			return o
		}
	}
	t.Fatalf("the world has no owner of type %s", typ)
	return Owner{}
}
