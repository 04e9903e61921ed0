package losant_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
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

var examplePatch = losant.APITokenPatch{
	Name:   losant.Ptr("My Updated API Token"),
	Status: losant.Ptr(losant.APITokenStatusInactive),
}

// action is one of the six API actions, called through the public API.
type action struct {
	name      string
	operation string // the spec's operationId
	method    string
	path      string
	body      string // the JSON body the request must carry, if any
	okBody    string // the body of a 200 response
	call      func(ctx context.Context, c *losant.Client, id ids, opts ...losant.CallOption) (*losant.APIToken, error)
}

// ids names the token an action acts on; user actions ignore app.
type ids struct{ app, token string }

// documented are the IDs of the official documentation's examples.
var documented = ids{app: applicationID, token: apiTokenID}

func (a action) isDelete() bool { return a.method == http.MethodDelete }

func (a action) isUser() bool { return strings.HasSuffix(a.operation, "UserApiToken") }

// do calls a on the documented IDs.
func (a action) do(ctx context.Context, c *losant.Client, opts ...losant.CallOption) (*losant.APIToken, error) {
	return a.call(ctx, c, documented, opts...)
}

var actions = []action{
	{
		name: "ApplicationAPIToken.Get", operation: "getApplicationApiToken",
		method: http.MethodGet, path: "/applications/" + applicationID + "/tokens/" + apiTokenID, okBody: tokenJSON,
		call: func(ctx context.Context, c *losant.Client, id ids, opts ...losant.CallOption) (*losant.APIToken, error) {
			return c.ApplicationAPIToken.Get(ctx, id.app, id.token, opts...)
		},
	},
	{
		name: "ApplicationAPIToken.Patch", operation: "patchApplicationApiToken",
		method: http.MethodPatch, path: "/applications/" + applicationID + "/tokens/" + apiTokenID, body: patchJSON, okBody: tokenJSON,
		call: func(ctx context.Context, c *losant.Client, id ids, opts ...losant.CallOption) (*losant.APIToken, error) {
			return c.ApplicationAPIToken.Patch(ctx, id.app, id.token, examplePatch, opts...)
		},
	},
	{
		name: "ApplicationAPIToken.Delete", operation: "deleteApplicationApiToken",
		method: http.MethodDelete, path: "/applications/" + applicationID + "/tokens/" + apiTokenID, okBody: `{"success": true}`,
		call: func(ctx context.Context, c *losant.Client, id ids, opts ...losant.CallOption) (*losant.APIToken, error) {
			return nil, c.ApplicationAPIToken.Delete(ctx, id.app, id.token, opts...)
		},
	},
	{
		name: "UserAPIToken.Get", operation: "getUserApiToken",
		method: http.MethodGet, path: "/me/tokens/" + apiTokenID, okBody: tokenJSON,
		call: func(ctx context.Context, c *losant.Client, id ids, opts ...losant.CallOption) (*losant.APIToken, error) {
			return c.UserAPIToken.Get(ctx, id.token, opts...)
		},
	},
	{
		name: "UserAPIToken.Patch", operation: "patchUserApiToken",
		method: http.MethodPatch, path: "/me/tokens/" + apiTokenID, body: patchJSON, okBody: tokenJSON,
		call: func(ctx context.Context, c *losant.Client, id ids, opts ...losant.CallOption) (*losant.APIToken, error) {
			return c.UserAPIToken.Patch(ctx, id.token, examplePatch, opts...)
		},
	},
	{
		name: "UserAPIToken.Delete", operation: "deleteUserApiToken",
		method: http.MethodDelete, path: "/me/tokens/" + apiTokenID, okBody: `{"success": true}`,
		call: func(ctx context.Context, c *losant.Client, id ids, opts ...losant.CallOption) (*losant.APIToken, error) {
			return nil, c.UserAPIToken.Delete(ctx, id.token, opts...)
		},
	},
}

func newTestClient(t *testing.T, srv *contractServer, opts ...losant.Option) *losant.Client {
	t.Helper()
	c, err := losant.NewClient(testToken, append([]losant.Option{losant.WithBaseURL(srv.URL)}, opts...)...)
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
	assert.Equal(t, "losant-go/"+losant.Version, got.Header.Get("User-Agent"))
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

func TestActionsSucceed(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv, losant.WithDomain("client.example.com"))
	for _, a := range actions {
		t.Run(a.name, func(t *testing.T) {
			srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: a.okBody})
			token, err := a.do(context.Background(), client)
			require.NoError(t, err)
			assertRequest(t, a, srv.only(), "client.example.com")
			if a.isDelete() {
				return
			}
			require.NotNil(t, token)
			assert.Equal(t, apiTokenID, token.ID)
			assert.Equal(t, apiTokenID, token.APITokenID)
			assert.Equal(t, applicationID, token.OwnerID)
			assert.Equal(t, losant.APITokenOwnerTypeApplication, token.OwnerType)
			assert.Equal(t, losant.APITokenCreatorTypeUser, token.CreatorType)
			assert.Equal(t, "My API Token", token.Name)
			assert.Equal(t, "for CI", token.Description)
			assert.Equal(t, losant.APITokenStatusActive, token.Status)
			assert.Equal(t, time.Date(2016, 6, 13, 4, 0, 0, 0, time.UTC), token.CreationDate.UTC())
			assert.Equal(t, time.Date(2017, 6, 13, 4, 0, 0, 0, time.UTC), token.ExpirationDate.UTC())
			assert.Equal(t, []string{"all.Application", "only.User.bounded"}, token.Scope)
			assert.Equal(t, "the_actual_token_string", token.Token)
		})
	}
}

// errorCase is a failing response and the error the client must make of it.
type errorCase struct {
	name  string
	reply reply
	want  losant.Error // StatusCode, Type, Message and Body are compared
	is    func(error) bool
}

var errorCases = []errorCase{
	{
		name:  "400 Error JSON",
		reply: reply{status: 400, contentType: jsonType, body: `{"type":"Validation","message":"name is too long"}`},
		want:  losant.Error{StatusCode: 400, Type: "Validation", Message: "name is too long"},
		is:    losant.IsBadRequest,
	},
	{
		name:  "404 Error JSON",
		reply: reply{status: 404, contentType: jsonType, body: `{"type":"NotFound","message":"API Token was not found"}`},
		want:  losant.Error{StatusCode: 404, Type: "NotFound", Message: "API Token was not found"},
		is:    losant.IsNotFound,
	},
	{
		name:  "401 Error JSON",
		reply: reply{status: 401, contentType: jsonType, body: `{"type":"Unauthorized","message":"Invalid access token"}`},
		want:  losant.Error{StatusCode: 401, Type: "Unauthorized", Message: "Invalid access token"},
		is:    losant.IsUnauthorized,
	},
	{
		name:  "403 Error JSON",
		reply: reply{status: 403, contentType: jsonType, body: `{"type":"Forbidden","message":"Access token lacks the scope"}`},
		want:  losant.Error{StatusCode: 403, Type: "Forbidden", Message: "Access token lacks the scope"},
		is:    losant.IsForbidden,
	},
	{
		name:  "502 HTML from a proxy",
		reply: reply{status: 502, contentType: "text/html", body: "<html><body>Bad Gateway</body></html>", offSpec: true},
		want:  losant.Error{StatusCode: 502, Body: []byte("<html><body>Bad Gateway</body></html>")},
	},
	{
		name:  "500 empty body",
		reply: reply{status: 500, offSpec: true},
		want:  losant.Error{StatusCode: 500},
	},
	{
		name:  "404 JSON that is not the Error JSON",
		reply: reply{status: 404, contentType: jsonType, body: `["not", "an", "object"]`, offSpec: true},
		want:  losant.Error{StatusCode: 404, Body: []byte(`["not", "an", "object"]`)},
		is:    losant.IsNotFound,
	},
	{
		name:  "200 empty body",
		reply: reply{status: 200, contentType: jsonType, offSpec: true},
		want:  losant.Error{StatusCode: 200},
	},
	{
		name:  "200 HTML",
		reply: reply{status: 200, contentType: "text/html", body: "<html>maintenance</html>", offSpec: true},
		want:  losant.Error{StatusCode: 200, Body: []byte("<html>maintenance</html>")},
	},
	{
		name:  "200 body off the schema: wrong types",
		reply: reply{status: 200, contentType: jsonType, body: `{"name": 5, "scope": "all", "success": "yes"}`, offSpec: true},
		want:  losant.Error{StatusCode: 200, Body: []byte(`{"name": 5, "scope": "all", "success": "yes"}`)},
	},
	{
		name:  "200 JSON null",
		reply: reply{status: 200, contentType: jsonType, body: `null`, offSpec: true},
		want:  losant.Error{StatusCode: 200, Body: []byte(`null`)},
	},
	{
		name:  "200 JSON array",
		reply: reply{status: 200, contentType: jsonType, body: `[{"id": "575ec7417ae143cd83dc4a95"}]`, offSpec: true},
		want:  losant.Error{StatusCode: 200, Body: []byte(`[{"id": "575ec7417ae143cd83dc4a95"}]`)},
	},
	{
		name:  "200 truncated JSON",
		reply: reply{status: 200, contentType: jsonType, body: `{"id": "575ec7417ae1`, offSpec: true},
		want:  losant.Error{StatusCode: 200, Body: []byte(`{"id": "575ec7417ae1`)},
	},
}

func TestActionsReportErrors(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv, losant.WithoutRetries()) // one response each; retries have their own tests
	for _, a := range actions {
		for _, ec := range errorCases {
			t.Run(a.name+"/"+ec.name, func(t *testing.T) {
				srv.respond(ec.reply)
				token, err := a.do(context.Background(), client)
				require.Error(t, err)
				assert.Nil(t, token)
				assertRequest(t, a, srv.only(), "")

				// errors.As must see through wrapping, as callers wrap.
				var apiErr *losant.Error
				require.ErrorAs(t, fmt.Errorf("caller: %w", err), &apiErr)
				assert.Equal(t, ec.want.StatusCode, apiErr.StatusCode)
				assert.Equal(t, ec.want.Type, apiErr.Type)
				assert.Equal(t, ec.want.Message, apiErr.Message)
				if ec.want.Body != nil {
					assert.Equal(t, string(ec.want.Body), string(apiErr.Body))
				}
				assert.Equal(t, a.method, apiErr.Method)
				assert.Equal(t, a.path, apiErr.Path)
				if ec.is != nil {
					assert.True(t, ec.is(err), "helper for %d", ec.want.StatusCode)
				}
				assert.Equal(t, ec.want.StatusCode == 404, losant.IsNotFound(err))
				assert.Contains(t, err.Error(), fmt.Sprint(ec.want.StatusCode))
				assert.NotContains(t, err.Error(), testToken)
			})
		}
	}
}

func TestDeleteWithoutSuccessIsAnError(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	srv.respond(reply{status: 200, contentType: jsonType, body: `{"success": false}`, offSpec: true})
	err := client.UserAPIToken.Delete(context.Background(), apiTokenID)
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 200, apiErr.StatusCode)
	assert.Contains(t, err.Error(), `"success": true`)
}

func TestDomainScope(t *testing.T) {
	srv := newContractServer(t)
	plain := newTestClient(t, srv)
	scoped := newTestClient(t, srv, losant.WithDomain("client.example.com"))
	cases := []struct {
		name   string
		client *losant.Client
		opts   []losant.CallOption
		want   string
	}{
		{"none", plain, nil, ""},
		{"client-wide", scoped, nil, "client.example.com"},
		{"per call", plain, []losant.CallOption{losant.Domain("call.example.com")}, "call.example.com"},
		{"per call overrides client-wide", scoped, []losant.CallOption{losant.Domain("call.example.com")}, "call.example.com"},
		{"per call removes client-wide", scoped, []losant.CallOption{losant.Domain("")}, ""},
	}
	for _, a := range actions {
		srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: a.okBody})
		for _, tc := range cases {
			t.Run(a.name+"/"+tc.name, func(t *testing.T) {
				_, err := a.do(context.Background(), tc.client, tc.opts...)
				require.NoError(t, err)
				assertRequest(t, a, srv.only(), tc.want)
			})
		}
	}
}

func TestHeaderOptions(t *testing.T) {
	srv := newContractServer(t)
	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: tokenJSON})
	client := newTestClient(t, srv, losant.WithUserAgent("billing-service/2.1"), losant.WithAcceptVersion("^1.30.0"))
	_, err := client.UserAPIToken.Get(context.Background(), apiTokenID)
	require.NoError(t, err)
	got := srv.only()
	assert.Equal(t, "billing-service/2.1 losant-go/"+losant.Version, got.Header.Get("User-Agent"))
	assert.Equal(t, "^1.30.0", got.Header.Get("Accept-Version"))
}

func TestWithHTTPClientIsUsed(t *testing.T) {
	srv := newContractServer(t)
	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: tokenJSON})
	counting := &countingTransport{next: http.DefaultTransport}
	client := newTestClient(t, srv, losant.WithHTTPClient(&http.Client{Transport: counting}))
	_, err := client.UserAPIToken.Get(context.Background(), apiTokenID)
	require.NoError(t, err)
	assert.Equal(t, 1, counting.n)
}

type countingTransport struct {
	next http.RoundTripper
	n    int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n++
	return c.next.RoundTrip(r)
}

func TestTransportErrorIsWrapped(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv, losant.WithoutRetries())
	srv.Close() // nothing listens any more
	for _, a := range actions {
		t.Run(a.name, func(t *testing.T) {
			token, err := a.do(context.Background(), client)
			require.Error(t, err)
			assert.Nil(t, token)
			var urlErr *url.Error
			assert.ErrorAs(t, err, &urlErr, "the transport's error is wrapped, not replaced")
			var apiErr *losant.Error
			assert.False(t, errors.As(err, &apiErr), "a transport error is not an API error")
			assert.NotContains(t, err.Error(), testToken)
		})
	}
}

func TestCanceledContextStopsTheCall(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, a := range actions {
		_, err := a.do(ctx, client)
		assert.ErrorIs(t, err, context.Canceled, a.name)
	}
	assert.Empty(t, srv.received(), "nothing is sent once the context is done")
}

func TestNilContextIsAnErrorNotAPanic(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	for _, a := range actions {
		var ctx context.Context // a caller's bug, reported as an error
		assert.NotPanics(t, func() {
			_, err := a.do(ctx, client)
			assert.ErrorIs(t, err, losant.ErrInvalidArgument, a.name)
			assert.ErrorContains(t, err, "context", a.name)
		})
	}
	assert.Empty(t, srv.received())
}

func TestNewClientRejectsBadInput(t *testing.T) {
	cases := []struct {
		name  string
		token string
		opts  []losant.Option
		want  string
	}{
		{"empty token", "", nil, "token is empty"},
		{"token with a newline", "abc\r\nX-Evil: 1", nil, "control character"},
		{"relative base URL", testToken, []losant.Option{losant.WithBaseURL("/api")}, "absolute http or https"},
		{"base URL without scheme", testToken, []losant.Option{losant.WithBaseURL("api.losant.com")}, "absolute http or https"},
		{"ftp base URL", testToken, []losant.Option{losant.WithBaseURL("ftp://api.losant.com")}, "absolute http or https"},
		{"unparsable base URL", testToken, []losant.Option{losant.WithBaseURL("http://[::1")}, "base URL"},
		{"plain http to another host", testToken, []losant.Option{losant.WithBaseURL("http://api.losant.com")}, "unencrypted"},
		{"domain with CRLF", testToken, []losant.Option{losant.WithDomain("a.example.com\r\nX-Evil: 1")}, "losantdomain"},
		{"user agent with a newline", testToken, []losant.Option{losant.WithUserAgent("svc/1\nX-Evil: 1")}, "control character"},
		{"no response limit", testToken, []losant.Option{losant.WithMaxResponseBytes(0)}, "WithMaxResponseBytes"},
		{"max wait under min wait", testToken, []losant.Option{losant.WithRetry(losant.RetryPolicy{MaxAttempts: 2, MinWait: time.Second})}, "MinWait"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := losant.NewClient(tc.token, tc.opts...)
			assert.Nil(t, c)
			require.ErrorContains(t, err, tc.want)
			if tc.token != "" {
				assert.NotContains(t, err.Error(), tc.token)
			}
		})
	}
}

func TestDefaultsNeedNoOptions(t *testing.T) {
	c, err := losant.NewClient(testToken)
	require.NoError(t, err)
	require.NotNil(t, c.ApplicationAPIToken)
	require.NotNil(t, c.UserAPIToken)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", c, c, c), testToken, "printing a client never shows its token")
}

func TestBaseURLWithPathPrefix(t *testing.T) {
	srv := newContractServer(t)
	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: tokenJSON})
	// A base URL with a path would reach the server at /proxy/me/tokens/...,
	// a path the spec does not have: check it with a plain recording handler.
	var gotPath string
	mux := http.NewServeMux()
	mux.HandleFunc("/proxy/", func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.Path
		r.URL.Path = strings.TrimPrefix(r.URL.Path, "/proxy")
		srv.Config.Handler.ServeHTTP(w, r)
	})
	proxy := serveLoopback(t, mux)
	client, err := losant.NewClient(testToken, losant.WithBaseURL(proxy+"/proxy"))
	require.NoError(t, err)
	_, err = client.UserAPIToken.Get(context.Background(), apiTokenID)
	require.NoError(t, err)
	assert.Equal(t, "/proxy/me/tokens/"+apiTokenID, gotPath)
	assertRequest(t, actions[3], srv.only(), "")
}

func TestConcurrentCallsShareOneClient(t *testing.T) {
	srv := newContractServer(t)
	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: tokenJSON})
	client := newTestClient(t, srv, losant.WithDomain("client.example.com"))
	const goroutines, calls = 16, 10
	inParallel(t, goroutines, func(g int) error {
		domain := fmt.Sprintf("g%d.example.com", g)
		for i := 0; i < calls; i++ {
			token, err := client.UserAPIToken.Get(context.Background(), apiTokenID, losant.Domain(domain))
			if err != nil {
				return err
			}
			if token.ID != apiTokenID {
				return fmt.Errorf("got token %s", token.ID)
			}
		}
		return nil
	})
	perDomain := map[string]int{}
	for _, r := range srv.received() {
		perDomain[r.Header.Get("losantdomain")]++
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
	}
	assert.Len(t, perDomain, goroutines, "each goroutine's domain reached the server")
	for domain, n := range perDomain {
		assert.Equal(t, calls, n, domain)
	}
}

func TestEditorsWorkWithTheGeneratedClient(t *testing.T) {
	srv := newContractServer(t)
	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: tokenJSON})
	api, err := gen.NewClientWithResponses(srv.URL,
		gen.WithRequestEditorFn(losant.BearerAuth(testToken)),
		gen.WithRequestEditorFn(losant.DomainScope("gen.example.com")))
	require.NoError(t, err)
	resp, err := api.GetUserAPITokenWithResponse(context.Background(), apiTokenID, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode())
	require.NotNil(t, resp.JSON200)
	assert.Equal(t, "My API Token", resp.JSON200.Name)
	got := srv.only()
	assert.Equal(t, "Bearer "+testToken, got.Header.Get("Authorization"))
	assert.Equal(t, "gen.example.com", got.Header.Get("losantdomain"))
}

func TestDecodingErrorIsUnwrappable(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	srv.respond(reply{status: 200, contentType: jsonType, body: `{"id": 42}`, offSpec: true})
	_, err := client.UserAPIToken.Get(context.Background(), apiTokenID)
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, err, &typeErr, "the decoding error is reachable through *losant.Error")
	assert.Equal(t, "id", typeErr.Field)
}

// A base URL whose query, fragment or user info the requests would drop or
// misuse is refused, and no error repeats a password from it.
func TestMisleadingBaseURLsAreRefused(t *testing.T) {
	const password = "s3cr3t-pa55"
	for base, want := range map[string]string{
		"https://h.example.com/api?x=1":                     "query string",
		"https://h.example.com/api?":                        "query string",
		"https://h.example.com/api#top":                     "fragment",
		"https://h.example.com/api#":                        "fragment",
		"https://ada:" + password + "@h.example.com/api":    "user info",
		"https://ada@h.example.com":                         "user info",
		"https://ada:" + password + "@h.example.com/%zz":    "invalid URL escape",
		"https://ada:" + password + "@h.example.com:port/":  "invalid port",
		"http://ada:" + password + "@10.0.0.1/?q#f":         "user info",
		"https://ada:" + password + "@h.example.com/api?x#": "user info",
	} {
		c, err := losant.NewClient(testToken, losant.WithBaseURL(base))
		assert.Nil(t, c, base)
		require.ErrorContains(t, err, want, base)
		assert.NotContains(t, err.Error(), password, base)
		assert.NotContains(t, err.Error(), testToken, base)
	}
}
