package losant_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/contract"
)

// builderPair is one operation built by oapi-codegen's own builder (the
// New...Request functions, as its Client calls them) and by this project's
// (gen.Requests, from api/templates/requests.tmpl).
type builderPair struct {
	operation string
	upstream  func(server, app, token string, params map[string]any) (*http.Request, error)
	ours      func(r *gen.Requests, ctx context.Context, app, token string, params map[string]any) (*http.Request, error)
}

// paramsOf fills an operation's params struct from the params of a test
// case, through their shared JSON names; nil stays nil.
func paramsOf[T any](params map[string]any) *T {
	if params == nil {
		return nil
	}
	raw, err := json.Marshal(params)
	if err != nil {
		panic(err)
	}
	p := new(T)
	if err := json.Unmarshal(raw, p); err != nil {
		panic(err)
	}
	return p
}

var (
	builderPost = gen.APITokenPost{
		Name: "CI token é", Description: ptr("for \"CI\" <&>"), Scope: []string{"all.Application", "device.*"},
		ExpirationDate: ptr(time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)), Status: ptr(gen.APITokenStatusInactive),
	}
	builderPatch = gen.APITokenPatch{Name: ptr("renamed"), Status: ptr(gen.APITokenStatusActive)}
)

func ptr[T any](v T) *T { return &v }

var builderPairs = []builderPair{
	{"listApplicationApiTokens",
		func(s, a, _ string, p map[string]any) (*http.Request, error) {
			return gen.NewListApplicationAPITokensRequest(s, a, paramsOf[gen.ListApplicationAPITokensParams](p))
		},
		func(r *gen.Requests, ctx context.Context, a, _ string, p map[string]any) (*http.Request, error) {
			return r.ListApplicationAPITokens(ctx, a, paramsOf[gen.ListApplicationAPITokensParams](p))
		}},
	{"createApplicationApiToken",
		func(s, a, _ string, p map[string]any) (*http.Request, error) {
			return gen.NewCreateApplicationAPITokenRequest(s, a, paramsOf[gen.CreateApplicationAPITokenParams](p), builderPost)
		},
		func(r *gen.Requests, ctx context.Context, a, _ string, p map[string]any) (*http.Request, error) {
			return r.CreateApplicationAPIToken(ctx, a, paramsOf[gen.CreateApplicationAPITokenParams](p), builderPost)
		}},
	{"getApplicationApiToken",
		func(s, a, t string, p map[string]any) (*http.Request, error) {
			return gen.NewGetApplicationAPITokenRequest(s, a, t, paramsOf[gen.GetApplicationAPITokenParams](p))
		},
		func(r *gen.Requests, ctx context.Context, a, t string, p map[string]any) (*http.Request, error) {
			return r.GetApplicationAPIToken(ctx, a, t, paramsOf[gen.GetApplicationAPITokenParams](p))
		}},
	{"patchApplicationApiToken",
		func(s, a, t string, p map[string]any) (*http.Request, error) {
			return gen.NewPatchApplicationAPITokenRequest(s, a, t, paramsOf[gen.PatchApplicationAPITokenParams](p), builderPatch)
		},
		func(r *gen.Requests, ctx context.Context, a, t string, p map[string]any) (*http.Request, error) {
			return r.PatchApplicationAPIToken(ctx, a, t, paramsOf[gen.PatchApplicationAPITokenParams](p), builderPatch)
		}},
	{"deleteApplicationApiToken",
		func(s, a, t string, p map[string]any) (*http.Request, error) {
			return gen.NewDeleteApplicationAPITokenRequest(s, a, t, paramsOf[gen.DeleteApplicationAPITokenParams](p))
		},
		func(r *gen.Requests, ctx context.Context, a, t string, p map[string]any) (*http.Request, error) {
			return r.DeleteApplicationAPIToken(ctx, a, t, paramsOf[gen.DeleteApplicationAPITokenParams](p))
		}},
	{"listUserApiTokens",
		func(s, _, _ string, p map[string]any) (*http.Request, error) {
			return gen.NewListUserAPITokensRequest(s, paramsOf[gen.ListUserAPITokensParams](p))
		},
		func(r *gen.Requests, ctx context.Context, _, _ string, p map[string]any) (*http.Request, error) {
			return r.ListUserAPITokens(ctx, paramsOf[gen.ListUserAPITokensParams](p))
		}},
	{"createUserApiToken",
		func(s, _, _ string, p map[string]any) (*http.Request, error) {
			return gen.NewCreateUserAPITokenRequest(s, paramsOf[gen.CreateUserAPITokenParams](p), builderPost)
		},
		func(r *gen.Requests, ctx context.Context, _, _ string, p map[string]any) (*http.Request, error) {
			return r.CreateUserAPIToken(ctx, paramsOf[gen.CreateUserAPITokenParams](p), builderPost)
		}},
	{"getUserApiToken",
		func(s, _, t string, p map[string]any) (*http.Request, error) {
			return gen.NewGetUserAPITokenRequest(s, t, paramsOf[gen.GetUserAPITokenParams](p))
		},
		func(r *gen.Requests, ctx context.Context, _, t string, p map[string]any) (*http.Request, error) {
			return r.GetUserAPIToken(ctx, t, paramsOf[gen.GetUserAPITokenParams](p))
		}},
	{"patchUserApiToken",
		func(s, _, t string, p map[string]any) (*http.Request, error) {
			return gen.NewPatchUserAPITokenRequest(s, t, paramsOf[gen.PatchUserAPITokenParams](p), builderPatch)
		},
		func(r *gen.Requests, ctx context.Context, _, t string, p map[string]any) (*http.Request, error) {
			return r.PatchUserAPIToken(ctx, t, paramsOf[gen.PatchUserAPITokenParams](p), builderPatch)
		}},
	{"deleteUserApiToken",
		func(s, _, t string, p map[string]any) (*http.Request, error) {
			return gen.NewDeleteUserAPITokenRequest(s, t, paramsOf[gen.DeleteUserAPITokenParams](p))
		},
		func(r *gen.Requests, ctx context.Context, _, t string, p map[string]any) (*http.Request, error) {
			return r.DeleteUserAPIToken(ctx, t, paramsOf[gen.DeleteUserAPITokenParams](p))
		}},
}

// The project's request builders make the same requests as oapi-codegen's
// own: method, URL, headers and body, for every operation, over IDs that
// need escaping or not, every query and header parameter, and server URLs
// with and without a path prefix.
func TestRequestBuildersMatchOapiCodegens(t *testing.T) {
	doc, err := contract.Load()
	require.NoError(t, err)
	operations := 0
	for _, item := range doc.Paths.Map() {
		operations += len(item.Operations())
	}
	require.Len(t, builderPairs, operations, "every operation of the spec")
	servers := []string{
		"https://api.losant.com", "https://api.losant.com/", "http://127.0.0.1:8080",
		"https://gw.example.com/losant/v1", "https://gw.example.com/losant/v1/", "https://gw.example.com/a%20b/",
	}
	ids := []string{
		apiTokenID, "575EC7417AE143CD83DC4A95", "a b", "a/b", "?x=1", "#frag", "50%", "é", "a;b,c", "",
	}
	params := []map[string]any{
		nil,
		{},
		{"losantdomain": "example.com"},
		{"_actions": true, "_links": false, "_embedded": true},
		{
			"sortField": "creationDate", "sortDirection": "desc", "page": 0, "perPage": 7,
			"filterField": "name", "filter": "ci * & ünïcode=?", "losantdomain": "a.example.com",
		},
	}
	ctx := context.WithValue(context.Background(), callerKey{}, "the caller's")
	for _, server := range servers {
		ours, err := gen.NewRequests(server)
		require.NoError(t, err, server)
		upstreamServer := strings.TrimSuffix(server, "/") + "/" // as gen.NewClient passes it
		for _, pair := range builderPairs {
			for _, id := range ids {
				for _, p := range params {
					what := fmt.Sprintf("%s on %s, id %q, params %v", pair.operation, server, id, p)
					want, err := pair.upstream(upstreamServer, id, id, p)
					require.NoError(t, err, what)
					got, err := pair.ours(ours, ctx, id, id, p)
					require.NoError(t, err, what)
					assertSameRequest(t, want, got, what)
					assert.Equal(t, ctx, got.Context(), what)
				}
			}
		}
	}
}

// callerKey marks a context as the caller's, to see it reach the request.
type callerKey struct{}

func assertSameRequest(t *testing.T, want, got *http.Request, what string) {
	t.Helper()
	assert.Equal(t, want.Method, got.Method, what)
	assert.Equal(t, want.URL.String(), got.URL.String(), what)
	assert.Equal(t, want.Host, got.Host, what)
	assert.Equal(t, want.Header, got.Header, what)
	assert.Equal(t, want.ContentLength, got.ContentLength, what)
	assert.Equal(t, want.GetBody == nil, got.GetBody == nil, what)
	assert.Equal(t, readAll(t, want.Body), readAll(t, got.Body), what)
}

func readAll(t *testing.T, body io.ReadCloser) string {
	t.Helper()
	if body == nil {
		return ""
	}
	defer body.Close()
	b, err := io.ReadAll(body)
	require.NoError(t, err)
	return string(b)
}

// oapi-codegen resolves the path against the server URL, so an ID of "."
// or ".." climbs out of the operation's path ("/me/tokens/.." is "/me/");
// the project's builders keep every ID inside its own path segment.
func TestRequestBuildersKeepDotSegmentsInPlace(t *testing.T) {
	r, err := gen.NewRequests("https://gw.example.com/v1")
	require.NoError(t, err)
	for _, id := range []string{".", ".."} {
		req, err := r.DeleteUserAPIToken(context.Background(), id, nil)
		require.NoError(t, err)
		assert.Equal(t, "/v1/me/tokens/"+id, req.URL.Path, id)
		upstream, err := gen.NewDeleteUserAPITokenRequest("https://gw.example.com/v1/", id, nil)
		require.NoError(t, err)
		assert.NotEqual(t, req.URL.Path, upstream.URL.Path, "oapi-codegen resolves %q", id)
	}
}

func TestRequestBuildersRefuseServerURLsThatWouldBeLost(t *testing.T) {
	for _, server := range []string{"", "/v1", "api.losant.com", "https://h/v1?x=1", "https://h/v1#f", "https://h/v1?", "http://[::1"} {
		_, err := gen.NewRequests(server)
		assert.Error(t, err, server)
	}
}
