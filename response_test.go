package losant_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
)

func TestDeleteWithoutSuccessIsAnError(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	srv.respond(reply{status: 200, contentType: jsonType, body: `{"success": false}`, offSpec: true})
	err := client.APITokens(losant.User()).Delete(context.Background(), apiTokenID)
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 200, apiErr.StatusCode)
	assert.Contains(t, err.Error(), `"success": true`)
}

func TestDecodingErrorIsUnwrappable(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	srv.respond(reply{status: 200, contentType: jsonType, body: `{"id": 42}`, offSpec: true})
	_, err := client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, err, &typeErr, "the decoding error is reachable through *losant.Error")
	assert.Equal(t, "id", typeErr.Field)
}
