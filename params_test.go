package losant_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
)

// Every parameter the spec gives an operation reaches the API through
// WithParams, from the operation's generated parameters type: here the
// query parameters that no field of the wrapper names.
func TestWithParamsSendsTheOperationsOwnParameters(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	ctx := context.Background()
	app := client.APITokens(losant.Application(applicationID))

	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: tokenJSON})
	_, err := app.Get(ctx, apiTokenID, losant.WithParams(&gen.GetApplicationAPITokenParams{Embedded: losant.Ptr(true), Links: losant.Ptr(false)}))
	require.NoError(t, err)
	got := srv.only()
	assert.Equal(t, "getApplicationApiToken", got.Operation)
	assert.Equal(t, "true", got.Query.Get("_embedded"))
	assert.Equal(t, "false", got.Query.Get("_links"))

	_, err = app.Patch(ctx, apiTokenID, examplePatch, losant.WithParams(&gen.PatchApplicationAPITokenParams{Actions: losant.Ptr(true)}))
	require.NoError(t, err)
	assert.Equal(t, "true", srv.only().Query.Get("_actions"))
}

// List's options are sent over the fields WithParams sets, the others
// as given.
func TestWithParamsUnderListsOptions(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: `{"items":[],"count":0,"totalCount":0,"perPage":10,"page":2}`})
	_, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{Page: 2, PerPage: 10},
		losant.WithParams(&gen.ListUserAPITokensParams{Page: losant.Ptr(9), Filter: losant.Ptr("ci-*"), Links: losant.Ptr(true)}))
	require.NoError(t, err)
	got := srv.only()
	assert.Equal(t, "2", got.Query.Get("page"), "the options' page, not the params'")
	assert.Equal(t, "10", got.Query.Get("perPage"))
	assert.Equal(t, "ci-*", got.Query.Get("filter"), "a field the options leave zero is the params'")
	assert.Equal(t, "true", got.Query.Get("_links"))
}

func TestWithParamsOfAnotherOperationIsRefusedBeforeAnythingIsSent(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"user's params for an application": func() error {
			_, err := client.APITokens(losant.Application(applicationID)).Get(ctx, apiTokenID, losant.WithParams(&gen.GetUserAPITokenParams{}))
			return err
		},
		"a value, not a pointer": func() error {
			_, err := client.APITokens(losant.User()).Get(ctx, apiTokenID, losant.WithParams(gen.GetUserAPITokenParams{}))
			return err
		},
		"get's params for a delete": func() error {
			return client.APITokens(losant.User()).Delete(ctx, apiTokenID, losant.WithParams(&gen.GetUserAPITokenParams{}))
		},
		"a losantdomain that is a token": func() error {
			_, err := client.APITokens(losant.User()).Get(ctx, apiTokenID, losant.WithParams(&gen.GetUserAPITokenParams{Losantdomain: losant.Ptr(jwtLike)}))
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.ErrorIs(t, err, losant.ErrInvalidArgument)
			assert.NotContains(t, err.Error(), jwtLike)
			assert.Empty(t, srv.received(), "nothing was sent")
		})
	}
}

// What WithParams adds to a list is held to the checks of
// APITokenListOptions, and Client.Do, which has no operation, refuses it
// rather than dropping it (tryout findings).
func TestWithParamsIsCheckedAsTheOptionsAre(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	ctx := context.Background()
	user := client.APITokens(losant.User())
	for name, params := range map[string]*gen.ListUserAPITokensParams{
		"a page over MaxPerPage": {PerPage: losant.Ptr(losant.MaxPerPage + 1)},
		"a negative page":        {Page: losant.Ptr(-1)},
		"an unknown sort field":  {SortField: losant.Ptr(gen.APITokenSortField("lastUsedDate"))},
	} {
		_, err := user.List(ctx, losant.APITokenListOptions{}, losant.WithParams(params))
		assert.ErrorIs(t, err, losant.ErrInvalidArgument, name)
	}
	err := client.Do(ctx, http.MethodGet, "me/tokens", nil, nil, losant.WithParams(&gen.ListUserAPITokensParams{}))
	assert.ErrorIs(t, err, losant.ErrInvalidArgument)
	assert.Empty(t, srv.received(), "nothing was sent")

	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: `{"items":[],"count":0,"totalCount":0}`})
	_, err = user.List(ctx, losant.APITokenListOptions{}, losant.WithParams(&gen.ListUserAPITokensParams{PerPage: losant.Ptr(500)}))
	require.NoError(t, err)
	assert.Equal(t, "500", srv.only().Query.Get("perPage"), "an allowed page size from params is sent")
}
