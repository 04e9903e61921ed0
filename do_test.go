package losant_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// Do reaches any endpoint with the client's token and domain, sends a body
// as JSON and decodes the answer, as a typed call does.
func TestDoSendsAnyRequestWithTheClientsAuthAndDecodesIt(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer, losant.WithRetry(fastRetries))
	ctx := context.Background()

	var made gen.APIToken
	require.NoError(t, client.Do(ctx, http.MethodPost, "/me/tokens",
		gen.APITokenPost{Name: "made by Do", Scope: []string{"all.User.read"}}, &made))
	assert.Equal(t, "made by Do", made.Name)
	assert.NotEmpty(t, made.Token, "the create's secret reaches the caller")

	var page gen.APITokenPage
	require.NoError(t, client.Do(ctx, http.MethodGet, "me/tokens?filterField=name&filter=made*", nil, &page, losant.WithDomain("example.com")))
	require.Len(t, page.Items, 1)
	assert.Equal(t, made.ID, page.Items[0].ID)
	last := w.Server.Requests()[len(w.Server.Requests())-1]
	assert.Equal(t, losanttest.ListUserAPITokens, last.Operation)
	assert.Equal(t, "example.com", last.Domain)

	require.NoError(t, client.Do(ctx, http.MethodDelete, "me/tokens/"+made.ID, nil, nil), "a nil into reads no body")
	err := client.Do(ctx, http.MethodGet, "me/tokens/"+made.ID, nil, &made)
	assert.True(t, losant.StatusCode(err) == http.StatusNotFound, "a non-2xx is an *Error: %v", err)
}

// A path that would leave the base URL is refused before anything is
// sent, and the error does not quote it.
func TestDoRefusesAPathThatLeavesTheBaseURL(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	api := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1) })).URL
	client, err := losant.NewClient(testToken, losant.WithBaseURL(api+"/v1"))
	require.NoError(t, err)
	for _, path := range []string{
		"https://evil.example/steal", "//evil.example/steal", "http:/x://y", "../me/tokens", "me/../../x",
		"me/%2e%2e/x", "me/%2E%2E", "a/%2Fb", "x#frag", `a\b`, "me\n/tokens", "me/%zz", "me?a=%zz",
		// read as ".." by gateways that drop a ";" parameter or take "\" for "/"
		"..;/admin", "me/..;/..;/admin", "%2e%2e%3b/admin", "me/.;x/y", "..%5cadmin", "me/%5c..%5cadmin", "me/%2e%2e%3bjsessionid=1/x",
	} {
		t.Run(fmt.Sprint(path), func(t *testing.T) {
			err := client.Do(context.Background(), http.MethodGet, path, nil, nil)
			require.ErrorIs(t, err, losant.ErrInvalidArgument, "%q", path)
			assert.NotContains(t, err.Error(), path, "the path is not quoted")
			assert.Contains(t, err.Error(), "losant: invalid path")
		})
	}
	for _, method := range []string{"", "GET /", "G\tET", "PÖST"} {
		err := client.Do(context.Background(), method, "me/tokens", nil, nil)
		assert.ErrorIs(t, err, losant.ErrInvalidArgument, "%q", method)
	}
	err = client.Do(context.Background(), http.MethodPost, "me/tokens", func() {}, nil)
	assert.ErrorIs(t, err, losant.ErrInvalidArgument, "a body that is not JSON")
	assert.Zero(t, requests.Load(), "nothing was sent")
}

// Do retries as the typed calls do: any method but POST after a dropped
// connection or a 502, a POST only on an answer that says nothing was
// done, and a write whose outcome is unknown says so.
func TestDoRetriesAsTheTypedCallsDo(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	client := retryingClient(t, w)
	ctx := context.Background()

	w.Server.Inject(losanttest.Fault{Status: http.StatusBadGateway}, losanttest.Times(1))
	var token gen.APIToken
	require.NoError(t, client.Do(ctx, http.MethodGet, "me/tokens/"+w.UserTarget.ID, nil, &token))
	assert.Equal(t, w.UserTarget.Name, token.Name)
	assert.Equal(t, 2, attempts(w), "a GET is retried after a 502")

	w.Server.ResetRequests()
	w.Server.Inject(losanttest.Fault{Status: http.StatusBadGateway}, losanttest.Times(1))
	err := client.Do(ctx, http.MethodPost, "me/tokens", gen.APITokenPost{Name: "x"}, &token)
	assert.ErrorIs(t, err, losant.ErrMayHaveActed, "a POST answered 502 may have made the token")
	assert.Equal(t, 1, attempts(w), "and is not sent again")
	assert.True(t, errors.Is(err, losant.ErrMayHaveActed) && err.Error()[:7] == "losant:", err.Error())

	ctxDone, cancel := context.WithCancel(ctx)
	cancel()
	err = client.Do(ctxDone, http.MethodGet, "me/tokens", nil, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Regexp(t, "^losant: ", err.Error())
}

func ExampleClient_Do() {
	api := exampleAPI()
	client, _ := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL))

	// Any endpoint, with the client's token, headers, retries and limits.
	var token struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	}
	err := client.Do(context.Background(), http.MethodGet, "me/tokens/575ec7417ae143cd83dc4a95", nil, &token)
	fmt.Println(token.Name, token.Status, err)
	// Output: My API Token active <nil>
}
