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
