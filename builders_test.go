package losant_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/gen"
	stock "github.com/specdriven/losant/internal/harness/stockbuilders"
	"github.com/specdriven/losant/internal/shipped/wire"
)

// as converts a value of one generated type into another of the same JSON
// shape: gen's models and parameters into stock oapi-codegen's.
func as[T any](t testing.TB, v any) T {
	t.Helper()
	var out T
	b, err := json.Marshal(v)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// builderPair is one operation's request made by internal/shipped/wire's builder
// (api/templates/requests.tmpl) and by stock oapi-codegen's.
type builderPair struct {
	op           string
	custom, want func(server string) (*http.Request, error)
}

func builderPairs(t *testing.T, ownerID, tokenID string) []builderPair {
	ctx := context.Background()
	domain := ptr("example.com")
	get := gen.GetApplicationAPITokenParams{Losantdomain: domain, Actions: ptr(true), Links: ptr(false), Embedded: ptr(true)}
	list := wire.APITokenListParams{SortField: ptr(gen.APITokenSortFieldCreationDate), SortDirection: ptr(gen.SortDirectionDesc),
		Page: ptr(3), PerPage: ptr(7), FilterField: ptr(gen.APITokenFilterFieldName), Filter: ptr("ci * & ünïcode=?"), Embedded: ptr(true)}
	ops := func(owner string) *wire.APITokenOperations { return wire.Operations(owner) }
	r := func(server string) *wire.Requests {
		req, err := wire.NewRequests(server)
		require.NoError(t, err)
		return req
	}
	return []builderPair{
		{"getApplicationApiToken", func(s string) (*http.Request, error) {
			return ops("application").Get(r(s), ctx, ownerID, tokenID, &get)
		}, func(s string) (*http.Request, error) {
			return stock.NewGetApplicationAPITokenRequest(s, ownerID, tokenID, ptr(as[stock.GetApplicationAPITokenParams](t, get)))
		}},
		{"patchApplicationApiToken", func(s string) (*http.Request, error) {
			return ops("application").Patch(r(s), ctx, ownerID, tokenID, &gen.PatchApplicationAPITokenParams{Actions: ptr(true)}, builderPatch)
		}, func(s string) (*http.Request, error) {
			return stock.NewPatchApplicationAPITokenRequest(s, ownerID, tokenID, &stock.PatchApplicationAPITokenParams{Actions: ptr(true)}, as[stock.APITokenPatch](t, builderPatch))
		}},
		{"deleteApplicationApiToken", func(s string) (*http.Request, error) {
			return ops("application").Delete(r(s), ctx, ownerID, tokenID, nil)
		}, func(s string) (*http.Request, error) {
			return stock.NewDeleteApplicationAPITokenRequest(s, ownerID, tokenID, nil)
		}},
		{"listApplicationApiTokens", func(s string) (*http.Request, error) {
			return ops("application").List(r(s), ctx, ownerID, &list, &gen.ListApplicationAPITokensParams{Links: ptr(true), Page: ptr(9)})
		}, func(s string) (*http.Request, error) {
			want := as[stock.ListApplicationAPITokensParams](t, list)
			want.Links = ptr(true)
			return stock.NewListApplicationAPITokensRequest(s, ownerID, &want)
		}},
		{"createApplicationApiToken", func(s string) (*http.Request, error) {
			return ops("application").Create(r(s), ctx, ownerID, &gen.CreateApplicationAPITokenParams{Losantdomain: domain}, builderPost)
		}, func(s string) (*http.Request, error) {
			return stock.NewCreateApplicationAPITokenRequest(s, ownerID, &stock.CreateApplicationAPITokenParams{Losantdomain: domain}, as[stock.APITokenPost](t, builderPost))
		}},
		{"getInstanceApiToken", func(s string) (*http.Request, error) {
			return ops("instance").Get(r(s), ctx, ownerID, tokenID, nil)
		}, func(s string) (*http.Request, error) {
			return stock.NewGetInstanceAPITokenRequest(s, ownerID, tokenID, nil)
		}},
		{"patchInstanceApiToken", func(s string) (*http.Request, error) {
			return ops("instance").Patch(r(s), ctx, ownerID, tokenID, nil, builderPatch)
		}, func(s string) (*http.Request, error) {
			return stock.NewPatchInstanceAPITokenRequest(s, ownerID, tokenID, nil, as[stock.APITokenPatch](t, builderPatch))
		}},
		{"deleteInstanceApiToken", func(s string) (*http.Request, error) {
			return ops("instance").Delete(r(s), ctx, ownerID, tokenID, &gen.DeleteInstanceAPITokenParams{Embedded: ptr(false)})
		}, func(s string) (*http.Request, error) {
			return stock.NewDeleteInstanceAPITokenRequest(s, ownerID, tokenID, &stock.DeleteInstanceAPITokenParams{Embedded: ptr(false)})
		}},
		{"listInstanceApiTokens", func(s string) (*http.Request, error) {
			return ops("instance").List(r(s), ctx, ownerID, &list, nil)
		}, func(s string) (*http.Request, error) {
			return stock.NewListInstanceAPITokensRequest(s, ownerID, ptr(as[stock.ListInstanceAPITokensParams](t, list)))
		}},
		{"createInstanceApiToken", func(s string) (*http.Request, error) {
			return ops("instance").Create(r(s), ctx, ownerID, nil, builderPost)
		}, func(s string) (*http.Request, error) {
			return stock.NewCreateInstanceAPITokenRequest(s, ownerID, nil, as[stock.APITokenPost](t, builderPost))
		}},
		{"getUserApiToken", func(s string) (*http.Request, error) {
			return ops("user").Get(r(s), ctx, "", tokenID, &gen.GetUserAPITokenParams{Losantdomain: domain})
		}, func(s string) (*http.Request, error) {
			return stock.NewGetUserAPITokenRequest(s, tokenID, &stock.GetUserAPITokenParams{Losantdomain: domain})
		}},
		{"patchUserApiToken", func(s string) (*http.Request, error) {
			return ops("user").Patch(r(s), ctx, "", tokenID, nil, builderPatch)
		}, func(s string) (*http.Request, error) {
			return stock.NewPatchUserAPITokenRequest(s, tokenID, nil, as[stock.APITokenPatch](t, builderPatch))
		}},
		{"deleteUserApiToken", func(s string) (*http.Request, error) {
			return ops("user").Delete(r(s), ctx, "", tokenID, nil)
		}, func(s string) (*http.Request, error) {
			return stock.NewDeleteUserAPITokenRequest(s, tokenID, nil)
		}},
		{"listUserApiTokens", func(s string) (*http.Request, error) {
			return ops("user").List(r(s), ctx, "", nil, nil)
		}, func(s string) (*http.Request, error) {
			return stock.NewListUserAPITokensRequest(s, &stock.ListUserAPITokensParams{})
		}},
		{"createUserApiToken", func(s string) (*http.Request, error) {
			return ops("user").Create(r(s), ctx, "", nil, builderPost)
		}, func(s string) (*http.Request, error) {
			return stock.NewCreateUserAPITokenRequest(s, nil, as[stock.APITokenPost](t, builderPost))
		}},
	}
}

// internal/shipped/wire's builders, made by this project's requests.tmpl from
// oapi-codegen's template model, make the very requests stock oapi-codegen
// makes of the same spec: method, URL, headers and body, for every
// operation of every owner, with parameters set and not. An oapi-codegen
// upgrade whose template model no longer fits requests.tmpl fails here.
func TestCustomBuildersMakeWhatStockOapiCodegenMakes(t *testing.T) {
	t.Parallel()
	for _, ids := range [][2]string{{applicationID, apiTokenID}, {"a b/c%d?e", "ü;x=y"}} {
		pairs := builderPairs(t, ids[0], ids[1])
		require.Len(t, pairs, 5*len(wire.OwnerTypes()), "every owner's five operations")
		for _, server := range []string{"https://api.losant.com", "https://gw.example.com/losant/v1/"} {
			for _, p := range pairs {
				custom, err := p.custom(server)
				require.NoError(t, err, p.op)
				want, err := p.want(server)
				require.NoError(t, err, p.op)
				assert.Equal(t, want.Method, custom.Method, p.op)
				assert.Equal(t, want.URL.String(), custom.URL.String(), p.op)
				assert.Equal(t, want.Header, custom.Header, p.op)
				assert.Equal(t, readAll(t, want.Body), readAll(t, custom.Body), p.op)
			}
		}
	}
}

func readAll(t *testing.T, body io.ReadCloser) string {
	t.Helper()
	if body == nil || body == http.NoBody {
		return ""
	}
	var b bytes.Buffer
	_, err := io.Copy(&b, body)
	require.NoError(t, err)
	return b.String()
}

// BenchmarkRequestTemplate is what api/templates/requests.tmpl saves per
// request against stock oapi-codegen's builders of the same spec (which
// parse the server URL and style every parameter through the runtime on
// each call), side by side under `benchstat -col /impl`: the measurement
// that keeps the custom template (docs/PERFORMANCE.md).
func BenchmarkRequestTemplate(b *testing.B) {
	ctx := context.Background()
	const server = "https://api.losant.com"
	r, err := wire.NewRequests(server)
	if err != nil {
		b.Fatal(err)
	}
	ops := wire.Operations("application")
	stockPatch := as[stock.APITokenPatch](b, builderPatch)
	for _, c := range []struct {
		action        string
		custom, stock func() (*http.Request, error)
	}{
		{"Get", func() (*http.Request, error) { return ops.Get(r, ctx, applicationID, apiTokenID, nil) },
			func() (*http.Request, error) {
				req, err := stock.NewGetApplicationAPITokenRequest(server, applicationID, apiTokenID, nil)
				return withContext(req, err, ctx)
			}},
		{"Patch", func() (*http.Request, error) { return ops.Patch(r, ctx, applicationID, apiTokenID, nil, builderPatch) },
			func() (*http.Request, error) {
				req, err := stock.NewPatchApplicationAPITokenRequest(server, applicationID, apiTokenID, nil, stockPatch)
				return withContext(req, err, ctx)
			}},
		{"Delete", func() (*http.Request, error) { return ops.Delete(r, ctx, applicationID, apiTokenID, nil) },
			func() (*http.Request, error) {
				req, err := stock.NewDeleteApplicationAPITokenRequest(server, applicationID, apiTokenID, nil)
				return withContext(req, err, ctx)
			}},
	} {
		for impl, build := range map[string]func() (*http.Request, error){"custom": c.custom, "stock": c.stock} {
			b.Run("action="+c.action+"/impl="+impl, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := build(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// withContext is req with ctx, as stock oapi-codegen's client sets it
// after building (its builders take none).
func withContext(req *http.Request, err error, ctx context.Context) (*http.Request, error) {
	if err != nil {
		return nil, err
	}
	return req.WithContext(ctx), nil
}
