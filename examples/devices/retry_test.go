package example_test

import (
	"context"
	"net/http"
	"testing"

	example "github.com/specdriven/losant/examples/devices"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A 503 then a 200: the doer sends the request again and the call gets
// the device; a plain http.Client hands the 503 to the caller.
func TestTheDoerRetriesA503(t *testing.T) {
	ctx := context.Background()
	unavailable := status(http.StatusServiceUnavailable, losantError("ServiceUnavailable", "try again"))
	ok := status(http.StatusOK, deviceJSON)

	t.Run("HTTPDoer", func(t *testing.T) {
		srv, rec := serve(t, unavailable, ok)
		dc, err := example.NewDeviceClient(newLosantClient(t, srv), srv.URL)
		require.NoError(t, err)
		resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode())
		require.NotNil(t, resp.JSON200)
		assert.Equal(t, deviceID, *resp.JSON200.Id)
		got := rec.seen()
		require.Len(t, got, 2)
		for _, r := range got {
			assert.Equal(t, "/applications/"+appID+"/devices/"+deviceID, r.URL.Path)
			assert.Equal(t, "Bearer "+token, r.Header.Get("Authorization"), "the retry is authenticated too")
		}
	})

	t.Run("HTTPDoer, a 503 that outlasts the retries", func(t *testing.T) {
		srv, rec := serve(t, unavailable)
		dc, err := example.NewDeviceClient(newLosantClient(t, srv), srv.URL)
		require.NoError(t, err)
		resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
		require.NoError(t, err, "a non-2xx answer is the response, as with http.Client")
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode())
		assert.Len(t, rec.seen(), 3, "newLosantClient's policy: 3 attempts")
	})

	t.Run("editors over a plain http.Client", func(t *testing.T) {
		srv, rec := serve(t, unavailable, ok)
		dc, err := example.NewPlainDeviceClient(srv.Client(), srv.URL, staticToken(token), "")
		require.NoError(t, err)
		resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode())
		assert.Len(t, rec.seen(), 1)
	})
}
