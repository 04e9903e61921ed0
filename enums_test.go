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

// The client's checks accept every value the spec's enums list (gen's
// ...Values, generated from it) and nothing else: a value the spec adds
// is accepted once `make generate` has run.
func TestChecksAcceptEveryValueTheSpecLists(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	ctx := context.Background()
	user := client.APITokens(losant.User())
	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: `{"items":[],"count":0,"totalCount":0}`})
	for _, field := range gen.APITokenSortFieldValues() {
		_, err := user.List(ctx, losant.APITokenListOptions{SortField: field})
		require.NoError(t, err, field)
	}
	for _, field := range gen.APITokenFilterFieldValues() {
		_, err := user.List(ctx, losant.APITokenListOptions{FilterField: field, Filter: "x"})
		require.NoError(t, err, field)
	}
	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: tokenJSON})
	for _, role := range gen.APITokenRoleValues() {
		_, err := user.Patch(ctx, apiTokenID, gen.APITokenPatch{DefaultRole: &role})
		require.NoError(t, err, role)
	}
	for _, status := range gen.APITokenStatusValues() {
		_, err := user.Patch(ctx, apiTokenID, gen.APITokenPatch{Status: &status})
		require.NoError(t, err, status)
	}
	srv.received()

	_, err := user.List(ctx, losant.APITokenListOptions{SortField: "lastUsedDate"})
	assert.ErrorIs(t, err, losant.ErrInvalidArgument)
	role := gen.APITokenRole("owner")
	_, err = user.Patch(ctx, apiTokenID, gen.APITokenPatch{DefaultRole: &role})
	assert.ErrorIs(t, err, losant.ErrInvalidArgument)
	assert.Empty(t, srv.received(), "a value the spec does not list is refused before anything is sent")
}
