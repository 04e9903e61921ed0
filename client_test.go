package losant_test

import (
	"context"
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
	"github.com/specdriven/losant/internal/harness/testworld"
)

func TestActionsSucceed(t *testing.T) {
	t.Parallel()
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
			assert.Equal(t, gen.APITokenOwnerTypeApplication, token.OwnerType)
			assert.Equal(t, gen.APITokenCreatorTypeUser, token.CreatorType)
			assert.Equal(t, "My API Token", token.Name)
			assert.Equal(t, "for CI", token.Description)
			assert.Equal(t, gen.APITokenStatusActive, token.Status)
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
}

var errorCases = []errorCase{
	{
		name:  "400 Error JSON",
		reply: reply{status: 400, contentType: jsonType, body: `{"type":"Validation","message":"name is too long"}`},
		want:  losant.Error{StatusCode: 400, Type: "Validation", Message: "name is too long"},
	},
	{
		name:  "404 Error JSON",
		reply: reply{status: 404, contentType: jsonType, body: `{"type":"NotFound","message":"API Token was not found"}`},
		want:  losant.Error{StatusCode: 404, Type: "NotFound", Message: "API Token was not found"},
	},
	{
		name:  "401 Error JSON",
		reply: reply{status: 401, contentType: jsonType, body: `{"type":"Unauthorized","message":"Invalid access token"}`},
		want:  losant.Error{StatusCode: 401, Type: "Unauthorized", Message: "Invalid access token"},
	},
	{
		name:  "403 Error JSON",
		reply: reply{status: 403, contentType: jsonType, body: `{"type":"Forbidden","message":"Access token lacks the scope"}`},
		want:  losant.Error{StatusCode: 403, Type: "Forbidden", Message: "Access token lacks the scope"},
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
	t.Parallel()
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
				assert.Equal(t, ec.want.StatusCode, losant.StatusCode(fmt.Errorf("wrapped: %w", err)), "StatusCode through any wrapping")
				assert.Contains(t, err.Error(), fmt.Sprint(ec.want.StatusCode))
				assert.NotContains(t, err.Error(), testToken)
			})
		}
	}
}

func TestTransportErrorIsWrapped(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
	c, err := losant.NewClient(testToken)
	require.NoError(t, err)
	assert.Equal(t, losant.User(), c.APITokens(losant.User()).Owner())
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", c, c, c), testToken, "printing a client never shows its token")
}

func TestBaseURLWithPathPrefix(t *testing.T) {
	t.Parallel()
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
	proxy := testworld.Stub(t, mux).URL
	client, err := losant.NewClient(testToken, losant.WithBaseURL(proxy+"/proxy"))
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	require.NoError(t, err)
	assert.Equal(t, "/proxy/me/tokens/"+apiTokenID, gotPath)
	assertRequest(t, actionNamed("user.Get"), srv.only(), "")
}

func TestConcurrentCallsShareOneClient(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: tokenJSON})
	client := newTestClient(t, srv, losant.WithDomain("client.example.com"))
	const goroutines, calls = 16, 10
	inParallel(t, goroutines, func(g int) error {
		domain := fmt.Sprintf("g%d.example.com", g)
		for i := 0; i < calls; i++ {
			token, err := client.APITokens(losant.User()).Get(context.Background(), apiTokenID, losant.WithDomain(domain))
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

// A base URL whose query, fragment or user info the requests would drop or
// misuse is refused, and no error repeats a password from it.
func TestMisleadingBaseURLsAreRefused(t *testing.T) {
	t.Parallel()
	const password = "s3cr3t-pa55"
	for base, want := range map[string]string{
		"https://h.example.com/api?x=1":                     "query string",
		"https://h.example.com/api?":                        "query string",
		"https://h.example.com/api#top":                     "fragment",
		"https://h.example.com/api#":                        "fragment",
		"https://ada:" + password + "@h.example.com/api":    "user info",
		"https://ada@h.example.com":                         "user info",
		"https://ada:" + password + "@h.example.com/%zz":    "not a URL",
		"https://ada:" + password + "@h.example.com:port/":  "not a URL",
		"http://ada:" + password + "@10.0.0.1/?q#f":         "user info",
		"https://ada:" + password + "@h.example.com/api?x#": "user info",
	} {
		t.Run(fmt.Sprint(base), func(t *testing.T) {
			c, err := losant.NewClient(testToken, losant.WithBaseURL(base))
			assert.Nil(t, c, base)
			require.ErrorContains(t, err, want, base)
			assert.NotContains(t, err.Error(), password, base)
			assert.NotContains(t, err.Error(), testToken, base)
		})
	}
}

// A token pasted where the base URL's host or path goes is refused, and
// quoted nowhere: a client made with it would name it in every error and
// log line (a tryout's finding). Names that only look long stay allowed.
func TestATokenPastedIntoTheBaseURLIsRefused(t *testing.T) {
	t.Parallel()
	const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1NzVlYzc0MTdhZTE0M2NkODNkYzRhOTUifQ.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	for _, base := range []string{"https://" + jwt + "/", "https://" + jwt, "https://api.losant.com/" + jwt, "https://api.losant.com/v1/" + jwt + "/x", "https://Ab3dEf6hIj9kLm2nOp5q.example.com"} {
		c, err := losant.NewClient(testToken, losant.WithBaseURL(base))
		assert.Nil(t, c, base)
		require.ErrorContains(t, err, "shaped like a token", base)
		for _, part := range strings.Split(jwt, ".") {
			assert.NotContains(t, err.Error(), part, base)
		}
		assert.NotContains(t, err.Error(), "Ab3dEf6hIj9kLm2nOp5q")
	}
	for _, base := range []string{"https://api.losant.com", "https://api.losant.com/v1/api", "https://losant-enterprise-eu-west-1.example.com/api", "http://127.0.0.1:8080/prefix"} {
		_, err := losant.NewClient(testToken, losant.WithBaseURL(base))
		assert.NoError(t, err, base)
	}
}

func TestPrintingAClientOrItsOptionsHidesTheToken(t *testing.T) {
	t.Parallel()
	opts := []losant.Option{losant.WithDomain("example.com"), losant.WithRetry(fastRetries), losant.WithBaseURL("http://127.0.0.1:1")}
	client, err := losant.NewClient(testToken, opts...)
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		for _, v := range []any{client, *client, opts, client.APITokens(losant.User()), client.APITokens(losant.Application(applicationID))} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, testToken, verb)
		}
	}
}

func TestPlainHTTPOnlyToLoopbackOrWhenAllowed(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"http://127.0.0.1:8080", "http://localhost", "http://[::1]:80", "http://127.9.9.9", "https://api.example.com"} {
		_, err := losant.NewClient(testToken, losant.WithBaseURL(base))
		assert.NoError(t, err, base)
	}
	for _, base := range []string{"http://api.losant.com", "http://10.0.0.1", "http://localhost.example.com", "http://[::2]"} {
		_, err := losant.NewClient(testToken, losant.WithBaseURL(base))
		assert.ErrorContains(t, err, "unencrypted", base)
		assert.ErrorIs(t, err, losant.ErrPlainHTTP, base)
		_, err = losant.NewClient(testToken, losant.WithBaseURL(base), losant.WithInsecureHTTP())
		assert.NoError(t, err, "%s with WithInsecureHTTP", base)
	}
}

func TestCreateSendsTheBodyAndDecodesTheToken(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv.respond(reply{status: 201, contentType: jsonType, body: tokenJSON})

	tok, err := client.APITokens(losant.Application(applicationID)).Create(context.Background(), gen.APITokenPost{
		Name: "CI", Description: losant.Ptr("for CI"), ExpirationDate: &expires,
		Scope: []string{"all.Application.read", "device.get"}, Status: losant.Ptr(gen.APITokenStatusActive),
	})
	require.NoError(t, err)
	assert.Equal(t, "the_actual_token_string", tok.Token, "the create answer carries the secret")
	got := srv.only()
	assert.Equal(t, http.MethodPost, got.Method)
	assert.Equal(t, "/applications/"+applicationID+"/tokens", got.Path)
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"name":"CI","description":"for CI","expirationDate":"2030-01-02T03:04:05Z",
		"scope":["all.Application.read","device.get"],"status":"active"}`, string(got.Body))

	_, err = client.APITokens(losant.User()).Create(context.Background(), gen.APITokenPost{Name: "cli", Scope: []string{"all.User"}})
	require.NoError(t, err)
	got = srv.only()
	assert.Equal(t, "/me/tokens", got.Path)
	assert.JSONEq(t, `{"name":"cli","scope":["all.User"]}`, string(got.Body))
}

func TestCollectionActionsReportErrors(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv, losant.WithoutRetries())
	ctx := context.Background()
	calls := map[string]func() error{
		"app list": func() error {
			_, err := client.APITokens(losant.Application(applicationID)).List(ctx, losant.APITokenListOptions{})
			return err
		},
		"user list": func() error {
			_, err := client.APITokens(losant.User()).List(ctx, losant.APITokenListOptions{})
			return err
		},
		"app create": func() error {
			_, err := client.APITokens(losant.Application(applicationID)).Create(ctx, gen.APITokenPost{Name: "n"})
			return err
		},
		"user create": func() error {
			_, err := client.APITokens(losant.User()).Create(ctx, gen.APITokenPost{Name: "n"})
			return err
		},
	}
	for name, call := range calls {
		srv.respond(reply{status: 400, contentType: jsonType, body: `{"type":"Validation","message":"bad scope"}`})
		err := call()
		assert.True(t, losant.StatusCode(err) == http.StatusBadRequest, "%s: %v", name, err)
		srv.respond(reply{status: 200, contentType: jsonType, body: `{"items": {}, "name": 5}`, offSpec: true})
		var apiErr *losant.Error
		assert.ErrorAs(t, call(), &apiErr, "%s: a body off the schema", name)
	}
	assert.Len(t, srv.received(), 8)
}
