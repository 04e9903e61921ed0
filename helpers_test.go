// Test helpers shared by the package's tests: the documented IDs and
// bodies, the single-token actions of every owner as a table, the contract
// server whose clients' exchanges are checked against the spec, and the
// helpers of the tests that run on testworld.

package losant_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/internal/shipped/contract"
	"github.com/specdriven/losant/internal/shipped/wire"
)

const (
	testToken     = "tok_5d1c9e0a7b3f"
	applicationID = "575ec8687ae143cd83dc4a97"
	apiTokenID    = "575ec7417ae143cd83dc4a95"
	jsonType      = "application/json; charset=utf-8"
)

// tokenJSON is the official documentation's example API token, plus a field
// and a scope name from a newer API version: decoding must keep working.
const tokenJSON = `{
  "id": "575ec7417ae143cd83dc4a95", "apiTokenId": "575ec7417ae143cd83dc4a95",
  "creatorId": "575ed70c7ae143cd83dc4aa9", "creatorType": "user",
  "ownerId": "575ec8687ae143cd83dc4a97", "ownerType": "application",
  "name": "My API Token", "description": "for CI",
  "creationDate": "2016-06-13T04:00:00.000Z", "lastUpdated": "2016-06-13T04:00:00.000Z",
  "expirationDate": "2017-06-13T04:00:00.000Z",
  "scope": ["all.Application", "only.User.bounded"], "status": "active",
  "token": "the_actual_token_string", "defaultRole": "view"
}`

const patchJSON = `{"name": "My Updated API Token", "status": "inactive"}`

var examplePatch = testworld.ExamplePatch()

// action is one of the single-token actions on one owner, called through
// the public API, with the request it must send.
type action struct {
	name      string // owner type and action, as "application.Get"
	operation string // the spec's operationId
	method    string
	path      string
	body      string // the JSON body the request must carry, if any
	okBody    string // the body of a 200 response
	owner     documentedOwner
	act       testworld.Action
}

// documentedOwner is an owner with the documentation's IDs.
type documentedOwner struct {
	owner losant.Owner
	path  string                    // its tokens' path
	with  func(string) losant.Owner // the owner of its kind with another ID; nil for the user
}

const instanceID = "575ec8687ae143cd83dc4a99"

var documentedOwners = map[gen.APITokenOwnerType]documentedOwner{
	gen.APITokenOwnerTypeUser:        {losant.User(), "/me/tokens", nil},
	gen.APITokenOwnerTypeApplication: {losant.Application(applicationID), "/applications/" + applicationID + "/tokens", losant.Application},
	gen.APITokenOwnerTypeInstance:    {losant.Instance(instanceID), "/instances/" + instanceID + "/tokens", losant.Instance},
}

func (a action) isDelete() bool { return a.act.IsDelete() }

func (a action) isUser() bool { return a.owner.with == nil }

// call calls a on the token apiTokenID of owner.
func (a action) call(ctx context.Context, c *losant.Client, owner losant.Owner, apiTokenID string, opts ...losant.CallOption) (*gen.APIToken, error) {
	return a.act.Call(ctx, c.APITokens(owner), apiTokenID, opts...)
}

// do calls a on the documented IDs.
func (a action) do(ctx context.Context, c *losant.Client, opts ...losant.CallOption) (*gen.APIToken, error) {
	return a.call(ctx, c, a.owner.owner, apiTokenID, opts...)
}

// actions are every single-token action on every owner the spec names.
var actions = func() []action {
	var out []action
	for _, ownerType := range wire.OwnerTypes() {
		owner, ok := documentedOwners[gen.APITokenOwnerType(ownerType)]
		if !ok {
			panic("helpers_test: no documented owner of the spec's owner type " + ownerType)
		}
		for _, act := range testworld.Actions() {
			a := action{
				name:      ownerType + "." + act.Name,
				operation: strings.ToLower(act.Name) + strings.ToUpper(ownerType[:1]) + ownerType[1:] + "ApiToken",
				method:    act.Method, path: owner.path + "/" + apiTokenID, okBody: tokenJSON, owner: owner, act: act,
			}
			switch act.Method {
			case http.MethodPatch:
				a.body = patchJSON
			case http.MethodDelete:
				a.okBody = `{"success": true}`
			}
			out = append(out, a)
		}
	}
	return out
}()

// actionNamed returns the action named "owner.Action".
func actionNamed(name string) action {
	for _, a := range actions {
		if a.name == name {
			return a
		}
	}
	panic("no action " + name)
}

// newTestClient returns a client of srv whose exchanges srv's checker
// checks against the spec.
func newTestClient(t *testing.T, srv *contractServer, opts ...losant.Option) *losant.Client {
	t.Helper()
	c, err := losant.NewClient(testToken, append([]losant.Option{losant.WithBaseURL(srv.URL),
		losant.WithHTTPClient(&http.Client{Transport: srv.checker})}, opts...)...)
	require.NoError(t, err)
	return c
}

// assertRequest checks what every request of a must carry.
func assertRequest(t *testing.T, a action, got recorded, domain string) {
	t.Helper()
	assert.Equal(t, a.operation, got.Operation)
	assert.Equal(t, a.method, got.Method)
	assert.Equal(t, a.path, got.Path)
	assert.Equal(t, "Bearer "+testToken, got.Header.Get("Authorization"))
	assert.Equal(t, "application/json", got.Header.Get("Accept"))
	assert.Equal(t, losant.DefaultAcceptVersion, got.Header.Get("Accept-Version"))
	assert.Equal(t, "losant-go/"+losant.Version(), got.Header.Get("User-Agent"))
	assert.Equal(t, domain, got.Header.Get("losantdomain"))
	if _, sent := got.Header["Losantdomain"]; domain == "" {
		assert.False(t, sent, "no losantdomain header is sent when no domain is set")
	}
	if a.body == "" {
		assert.Empty(t, got.Body)
		return
	}
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.JSONEq(t, a.body, string(got.Body))
}

// contractServer is an httptest server that answers with the reply the
// test set, and records what it receives. The clients newTestClient makes
// send through its checker, which fails the test for any request the spec
// does not allow, and for any reply, unless the reply is marked off-spec
// (a proxy's HTML page, say, which no spec describes).
type contractServer struct {
	*httptest.Server
	t       *testing.T
	checker *contract.Transport

	mu       sync.Mutex
	reply    reply
	requests []recorded
}

// reply is what the server answers.
type reply struct {
	status      int
	contentType string
	body        string
	offSpec     bool
}

// recorded is a request as the server received it.
type recorded struct {
	Method    string
	Path      string // as sent, still escaped
	Query     url.Values
	Header    http.Header
	Body      []byte
	Operation string // the spec's operationId
}

func newContractServer(t *testing.T) *contractServer {
	t.Helper()
	s := &contractServer{t: t}
	// A test may send nothing (a call refused before it is sent) or get
	// only off-spec replies: what it received, it asserts itself.
	s.checker = contract.CheckedTransport(t, contract.RejectBadRequests(), contract.MayCheckNone(),
		contract.Exempt(func(*http.Request) bool { return s.current().offSpec }))
	s.Server = testworld.Stub(t, http.HandlerFunc(s.serve))
	return s
}

// current returns the reply to the next request.
func (s *contractServer) current() reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reply
}

// respond sets the reply to every following request.
func (s *contractServer) respond(r reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reply = r
}

// received returns the requests received so far and forgets them.
func (s *contractServer) received() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	got := s.requests
	s.requests = nil
	return got
}

// only returns the one request received since the last call.
func (s *contractServer) only() recorded {
	s.t.Helper()
	got := s.received()
	require.Len(s.t, got, 1, "requests received")
	return got[0]
}

func (s *contractServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec := recorded{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header.Clone(), Body: body}
	if x, err := s.checker.Validator.Route(r); err == nil { // a request of no operation fails the test through the checker
		rec.Operation = x.Operation.OperationID
	}

	s.mu.Lock()
	s.requests = append(s.requests, rec)
	rep := s.reply
	s.mu.Unlock()

	if rep.contentType != "" {
		w.Header().Set("Content-Type", rep.contentType)
	}
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

var inParallel = testworld.InParallel

// fastRetries retries as the default policy does, with waits short enough
// for tests.
var fastRetries = losant.RetryPolicy{MaxAttempts: 4, MinWait: time.Millisecond, MaxWait: 2 * time.Second}

// rotatable returns a client of w acting as its user, without retries
// (every fault is met once), and two tokens made through it to rotate: a
// user token with a description, scopes and roles, and a token of w.App.
func rotatable(t *testing.T, w *testworld.World) (client *losant.Client, userOld, appOld gen.APIToken) {
	t.Helper()
	client = w.Client(t, w.UserBearer, losant.WithoutRetries())
	ctx := context.Background()
	roles := []gen.APITokenOrgRole{{OrgID: "sandbox", Role: gen.APITokenRoleView}}
	user, err := client.APITokens(losant.User()).Create(ctx, gen.APITokenPost{Name: "ci", Description: losant.Ptr("deploys"),
		Scope: []string{"all.User.read"}, DefaultRole: losant.Ptr(gen.APITokenRoleNone), OrgRoles: roles})
	require.NoError(t, err)
	app, err := client.APITokens(losant.Application(w.App.ID)).Create(ctx, gen.APITokenPost{Name: "gateway", Scope: []string{"all.Application"}})
	require.NoError(t, err)
	return client, *user, *app
}

func assertArgumentError(t *testing.T, err error, field string) {
	t.Helper()
	var argErr *losant.ArgumentError
	if assert.ErrorAs(t, err, &argErr) {
		assert.Equal(t, field, argErr.Field)
		assert.True(t, errors.Is(err, losant.ErrInvalidArgument))
		assert.Contains(t, err.Error(), field)
		assert.Less(t, len(err.Error()), 200, "a huge argument makes no huge error")
	}
}
