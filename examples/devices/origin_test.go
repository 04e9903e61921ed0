package example_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/specdriven/losant"
	example "github.com/specdriven/losant/examples/devices"
	"github.com/specdriven/losant/examples/devices/devices"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The doer sends only what is for the client's base URL: a generated
// client pointed elsewhere (another port, scheme or host, a path outside
// the base URL's), or an ID that would make the path leave it, is refused
// before anything is sent, anywhere.
func TestTheDoerRefusesAnotherOrigin(t *testing.T) {
	ctx := context.Background()
	home, homeRec := serve(t)
	other, otherRec := serve(t)
	tlsOther := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(tlsOther.Close)
	localhost := strings.Replace(home.URL, "127.0.0.1", "localhost", 1)

	for name, tc := range map[string]struct {
		base     string // the losant client's
		server   string // the generated client's
		deviceID string
	}{
		"another port":                     {base: home.URL, server: other.URL, deviceID: deviceID},
		"https at the same host":           {base: home.URL, server: strings.Replace(home.URL, "http:", "https:", 1), deviceID: deviceID},
		"another host name, the same port": {base: home.URL, server: localhost, deviceID: deviceID},
		"another server over https":        {base: home.URL, server: tlsOther.URL, deviceID: deviceID},
		"a path outside the base URL's":    {base: home.URL + "/api", server: home.URL, deviceID: deviceID},
		"a device ID with a slash":         {base: home.URL, server: home.URL, deviceID: "../../../me/tokens"},
		"a device ID with a backslash":     {base: home.URL, server: home.URL, deviceID: `..\..\me`},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := losant.NewClient(token, losant.WithBaseURL(tc.base))
			require.NoError(t, err)
			dc, err := devices.NewClientWithResponses(tc.server, devices.WithHTTPClient(c.HTTPDoer()))
			require.NoError(t, err)
			resp, err := dc.GetDeviceWithResponse(ctx, appID, tc.deviceID, nil)
			assert.Nil(t, resp)
			assert.ErrorIs(t, err, losant.ErrInvalidArgument)
			assertFromLosant(t, err)
			assertNoSecret(t, err, token, tc.deviceID)
			assert.Empty(t, homeRec.seen())
			assert.Empty(t, otherRec.seen())
		})
	}

	t.Run("the base URL itself, as a contrast", func(t *testing.T) {
		dc, err := example.NewDeviceClient(newLosantClient(t, home), home.URL)
		require.NoError(t, err)
		resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode())
		assert.Len(t, homeRec.seen(), 1)
	})
}
