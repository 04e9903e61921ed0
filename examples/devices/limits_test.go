package example_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/specdriven/losant"
	example "github.com/specdriven/losant/examples/devices"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deviceOfSize is a device whose JSON is exactly n bytes, its description
// padded.
func deviceOfSize(t *testing.T, n int) string {
	t.Helper()
	body := strings.Replace(deviceJSON, `"description":"basement"`, `"description":""`, 1)
	require.Greater(t, n, len(body))
	padded := strings.Replace(body, `"description":""`, `"description":"`+strings.Repeat("x", n-len(body))+`"`, 1)
	require.Len(t, padded, n)
	return padded
}

// The doer reads a body within the client's WithMaxResponseBytes: one
// byte over fails the call with ErrResponseTooLarge, and is not retried;
// one at the limit is read whole. A plain http.Client reads either.
func TestTheDoerRefusesABodyOverTheLimit(t *testing.T) {
	ctx := context.Background()
	const limit = 2048

	t.Run("HTTPDoer, one byte over", func(t *testing.T) {
		srv, rec := serve(t, status(http.StatusOK, deviceOfSize(t, limit+1)))
		dc, err := example.NewDeviceClient(newLosantClient(t, srv, losant.WithMaxResponseBytes(limit)), srv.URL)
		require.NoError(t, err)
		resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
		assert.Nil(t, resp)
		assert.ErrorIs(t, err, losant.ErrResponseTooLarge)
		assertFromLosant(t, err)
		assertNoSecret(t, err, token)
		assert.Len(t, rec.seen(), 1, "a body too large is not retried")
	})

	t.Run("HTTPDoer, at the limit", func(t *testing.T) {
		srv, _ := serve(t, status(http.StatusOK, deviceOfSize(t, limit)))
		dc, err := example.NewDeviceClient(newLosantClient(t, srv, losant.WithMaxResponseBytes(limit)), srv.URL)
		require.NoError(t, err)
		resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
		require.NoError(t, err)
		require.NotNil(t, resp.JSON200)
		assert.True(t, strings.HasPrefix(*resp.JSON200.Description, "xxxx"), "the padded device, decoded")
		assert.Len(t, resp.Body, limit)
	})

	t.Run("HTTPDoer, an error answer over the limit", func(t *testing.T) {
		srv, _ := serve(t, status(http.StatusNotFound, losantError("NotFound", strings.Repeat("x", limit))))
		dc, err := example.NewDeviceClient(newLosantClient(t, srv, losant.WithMaxResponseBytes(limit)), srv.URL)
		require.NoError(t, err)
		_, err = dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
		assert.ErrorIs(t, err, losant.ErrResponseTooLarge)
		assertNoSecret(t, err, token)
	})

	t.Run("editors over a plain http.Client", func(t *testing.T) {
		srv, _ := serve(t, status(http.StatusOK, deviceOfSize(t, limit+1)))
		dc, err := example.NewPlainDeviceClient(srv.Client(), srv.URL, staticToken(token), "")
		require.NoError(t, err)
		resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
		require.NoError(t, err)
		assert.Len(t, resp.Body, limit+1)
	})
}
