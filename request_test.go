package losant_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/contract"
	"github.com/specdriven/losant/internal/shipped/wire"
)

var (
	builderPost = gen.APITokenPost{
		Name: "CI token é", Description: ptr("for \"CI\" <&>"), Scope: []string{"all.Application", "device.*"},
		ExpirationDate: ptr(time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)), Status: ptr(gen.APITokenStatusInactive),
	}
	builderPatch = gen.APITokenPatch{Name: ptr("renamed"), Status: ptr(gen.APITokenStatusActive)}
	builderList  = wire.APITokenListParams{
		SortField: ptr(gen.APITokenSortFieldCreationDate), SortDirection: ptr(gen.SortDirectionDesc),
		Page: ptr(0), PerPage: ptr(7), FilterField: ptr(gen.APITokenFilterFieldName), Filter: ptr("ci * & ünïcode=?"),
	}
)

func ptr[T any](v T) *T { return &v }

// Every owner's five builders make the request of the operation the spec
// marks with that owner and action, one the spec allows, carrying the
// caller's context, under server URLs with and without a path prefix.
func TestRequestBuildersMakeWhatTheSpecDescribes(t *testing.T) {
	t.Parallel()
	v, err := contract.New()
	require.NoError(t, err)
	marked := map[[2]string]string{} // (owner, action) -> operationId
	for _, item := range v.Doc().Paths.Map() {
		for _, op := range item.Operations() {
			if _, ok := op.Extensions["x-losant-collection"]; ok {
				continue // a list of owners, not one owner's action
			}
			owner, _ := op.Extensions["x-losant-owner"].(string)
			action, _ := op.Extensions["x-losant-action"].(string)
			marked[[2]string{owner, action}] = op.OperationID
		}
	}
	require.Len(t, marked, 5*len(wire.OwnerTypes()), "every operation is one owner's action, and every owner has five")
	ctx := context.WithValue(context.Background(), callerKey{}, "the caller's")
	for _, server := range []string{"https://api.losant.com", "https://api.losant.com/", "https://gw.example.com/losant/v1/"} {
		t.Run(fmt.Sprint(server), func(t *testing.T) {
			r, err := wire.NewRequests(server)
			require.NoError(t, err)
			for _, ownerType := range wire.OwnerTypes() {
				ops := wire.Operations(ownerType)
				reqs := map[string]func() (*http.Request, error){
					"get":    func() (*http.Request, error) { return ops.Get(r, ctx, applicationID, apiTokenID, nil) },
					"patch":  func() (*http.Request, error) { return ops.Patch(r, ctx, applicationID, apiTokenID, nil, builderPatch) },
					"delete": func() (*http.Request, error) { return ops.Delete(r, ctx, applicationID, apiTokenID, nil) },
					"list":   func() (*http.Request, error) { return ops.List(r, ctx, applicationID, &builderList, nil) },
					"create": func() (*http.Request, error) { return ops.Create(r, ctx, applicationID, nil, builderPost) },
				}
				for action, build := range reqs {
					what := fmt.Sprintf("%s %s on %s", ops.OwnerType, action, server)
					req, err := build()
					require.NoError(t, err, what)
					assert.Equal(t, ctx, req.Context(), what)
					req.URL.Path = "/" + strings.TrimPrefix(req.URL.Path, strings.TrimSuffix(mustParse(t, server).Path, "/")+"/")
					req.Header.Set("Authorization", "Bearer "+testToken)
					x, err := v.Request(req)
					require.NoError(t, err, what)
					assert.Equal(t, marked[[2]string{ops.OwnerType, action}], x.Operation.OperationID, what)
					if ops.OwnerIDParam != "" {
						assert.Equal(t, applicationID, x.PathParams[ops.OwnerIDParam], what)
					}
				}
			}
		})
	}
}

// callerKey marks a context as the caller's, to see it reach the request.
type callerKey struct{}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}

// Whatever an ID holds, it stays in its own path segment, escaped: none
// can climb out of the operation's path or start a query or a fragment.
func TestRequestBuildersKeepEveryIDInItsSegment(t *testing.T) {
	t.Parallel()
	r, err := wire.NewRequests("https://gw.example.com/v1")
	require.NoError(t, err)
	for _, id := range []string{".", "..", "a b", "a/b", "?x=1", "#frag", "50%", "é", "a;b,c", ""} {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			for _, ownerType := range wire.OwnerTypes() {
				ops := wire.Operations(ownerType)
				req, err := ops.Get(r, context.Background(), id, id, nil)
				require.NoError(t, err)
				segments := strings.Split(req.URL.EscapedPath(), "/")
				assert.Equal(t, url.PathEscape(id), segments[len(segments)-1], "%s token ID %q", ops.OwnerType, id)
				if ops.OwnerIDParam != "" {
					assert.Equal(t, url.PathEscape(id), segments[len(segments)-3], "%s owner ID %q", ops.OwnerType, id)
				}
				assert.Empty(t, req.URL.RawQuery, id)
				assert.Empty(t, req.URL.Fragment, id)
			}
		})
	}
}

func TestRequestBuildersRefuseServerURLsThatWouldBeLost(t *testing.T) {
	t.Parallel()
	for _, server := range []string{"", "/v1", "api.losant.com", "https://h/v1?x=1", "https://h/v1#f", "https://h/v1?", "http://[::1"} {
		_, err := wire.NewRequests(server)
		assert.Error(t, err, server)
	}
}
