package example_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/specdriven/losant"
	example "github.com/specdriven/losant/examples/devices"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// plainHost is the name of the plain-http server the redirect points at:
// not loopback by name, so the library's rule applies to it. The test's
// transport dials it at the plain server's loopback address, so a
// redirect that were followed would reach it.
const plainHost = "devices.plain-http.test"

// The API's https answers a redirect to plain http on another host. The
// doer refuses it with ErrPlainHTTP and sends nothing there; a plain
// http.Client given the same transport follows it, which shows the
// plain server is reachable: what it did not receive, it was not sent.
func TestTheDoerRefusesARedirectFromHTTPSToPlainHTTP(t *testing.T) {
	ctx := context.Background()
	plain, plainRec := serve(t)
	_, plainPort, err := net.SplitHostPort(plain.Listener.Addr().String())
	require.NoError(t, err)
	target := fmt.Sprintf("http://%s:%s/applications/%s/devices/%s", plainHost, plainPort, appID, deviceID)

	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+"?token="+token, http.StatusFound)
	}))
	t.Cleanup(secure.Close)
	transport := secure.Client().Transport.(*http.Transport).Clone()
	dial := transport.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, _, _ := net.SplitHostPort(addr); host == plainHost {
			addr = plain.Listener.Addr().String()
		}
		return dial(ctx, network, addr)
	}
	hc := &http.Client{Transport: transport}

	t.Run("HTTPDoer", func(t *testing.T) {
		c, err := losant.NewClient(token, losant.WithBaseURL(secure.URL), losant.WithHTTPClient(hc))
		require.NoError(t, err)
		dc, err := example.NewDeviceClient(c, secure.URL)
		require.NoError(t, err)
		resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
		assert.Nil(t, resp)
		assert.ErrorIs(t, err, losant.ErrPlainHTTP)
		assertFromLosant(t, err)
		assertNoSecret(t, err, token, "token=")
		assert.Empty(t, plainRec.seen(), "nothing was sent over plain http")
	})

	t.Run("editors over a plain http.Client", func(t *testing.T) {
		dc, err := example.NewPlainDeviceClient(hc, secure.URL, staticToken(token), "")
		require.NoError(t, err)
		resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
		require.NoError(t, err, "net/http follows the redirect")
		assert.Equal(t, http.StatusOK, resp.StatusCode())
		got := plainRec.seen()
		require.Len(t, got, 1, "the plain server is reachable")
		assert.True(t, strings.HasPrefix(got[0].Host, plainHost), "Host %q", got[0].Host)
		assert.Empty(t, got[0].Header.Get("Authorization"), "net/http drops it for another host; the URL's token went over plain http")
		assert.Equal(t, token, got[0].URL.Query().Get("token"))
	})
}
