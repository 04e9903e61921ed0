package example_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/specdriven/losant"
	example "github.com/specdriven/losant/examples/devices"
	"github.com/specdriven/losant/examples/devices/devices"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Both wirings authenticate the generated client's requests and scope
// them to the domain; the doer adds the headers every call of the losant
// client carries, which the editors alone do not.
func TestBothWiringsSendTheHeaders(t *testing.T) {
	ctx := context.Background()
	perPage := 10
	params := &devices.GetDevicesParams{PerPage: &perPage}

	t.Run("editors over a plain http.Client", func(t *testing.T) {
		srv, rec := serve(t, status(http.StatusOK, devicesJSON))
		dc, err := example.NewPlainDeviceClient(srv.Client(), srv.URL, staticToken(token), domain)
		require.NoError(t, err)

		resp, err := dc.GetDevicesWithResponse(ctx, appID, params)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode())
		require.NotNil(t, resp.JSON200)
		require.Len(t, *resp.JSON200.Items, 1)
		assert.Equal(t, "Boiler 7", *(*resp.JSON200.Items)[0].Name)

		got := rec.seen()
		require.Len(t, got, 1)
		assert.Equal(t, "/applications/"+appID+"/devices", got[0].URL.Path)
		assert.Equal(t, "10", got[0].URL.Query().Get("perPage"))
		assert.Equal(t, []string{"Bearer " + token}, got[0].Header.Values("Authorization"))
		assert.Equal(t, []string{domain}, got[0].Header.Values("Losantdomain"))
		// What the editors leave to the caller: the losant client's own headers.
		assert.NotContains(t, got[0].Header.Get("User-Agent"), "losant-go/")
		assert.Empty(t, got[0].Header.Values("Accept-Version"))
	})

	t.Run("HTTPDoer", func(t *testing.T) {
		srv, rec := serve(t, status(http.StatusOK, devicesJSON))
		dc, err := example.NewDeviceClient(newLosantClient(t, srv, losant.WithDomain(domain)), srv.URL)
		require.NoError(t, err)

		resp, err := dc.GetDevicesWithResponse(ctx, appID, params)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode())
		require.NotNil(t, resp.JSON200)
		assert.Equal(t, 1, *resp.JSON200.TotalCount)

		got := rec.seen()
		require.Len(t, got, 1)
		assert.Equal(t, "/applications/"+appID+"/devices", got[0].URL.Path)
		assert.Equal(t, "10", got[0].URL.Query().Get("perPage"))
		assert.Equal(t, []string{"Bearer " + token}, got[0].Header.Values("Authorization"))
		assert.Equal(t, []string{domain}, got[0].Header.Values("Losantdomain"))
		assert.True(t, strings.HasPrefix(got[0].Header.Get("User-Agent"), "losant-go/"), "User-Agent %q", got[0].Header.Get("User-Agent"))
		assert.Equal(t, []string{losant.DefaultAcceptVersion}, got[0].Header.Values("Accept-Version"))
		assert.Equal(t, []string{"application/json"}, got[0].Header.Values("Accept"))
	})

	t.Run("HTTPDoer, the call's own losantdomain", func(t *testing.T) {
		srv, rec := serve(t)
		dc, err := example.NewDeviceClient(newLosantClient(t, srv, losant.WithDomain(domain)), srv.URL)
		require.NoError(t, err)

		other := "other.example.com"
		resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, &devices.GetDeviceParams{Losantdomain: &other})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode())
		require.NotNil(t, resp.JSON200)
		assert.Equal(t, devices.Standalone, *resp.JSON200.DeviceClass)

		got := rec.seen()
		require.Len(t, got, 1)
		assert.Equal(t, "/applications/"+appID+"/devices/"+deviceID, got[0].URL.Path)
		assert.Equal(t, []string{other}, got[0].Header.Values("Losantdomain"), "the request's own, and only it")
	})
}

// A losantdomain that is not a host name, and a token the editor refuses,
// fail the call before anything is sent, in either wiring, and their
// errors do not quote them.
func TestRefusedHeadersSendNothing(t *testing.T) {
	ctx := context.Background()
	notADomain := token + " pasted here"

	t.Run("HTTPDoer, a losantdomain that is not a host name", func(t *testing.T) {
		srv, rec := serve(t)
		dc, err := example.NewDeviceClient(newLosantClient(t, srv), srv.URL)
		require.NoError(t, err)
		_, err = dc.GetDeviceWithResponse(ctx, appID, deviceID, &devices.GetDeviceParams{Losantdomain: &notADomain})
		assert.ErrorIs(t, err, losant.ErrInvalidArgument)
		assertNoSecret(t, err, token)
		assert.Empty(t, rec.seen())
	})

	t.Run("DomainScope, a losantdomain that is not a host name", func(t *testing.T) {
		srv, rec := serve(t)
		dc, err := example.NewPlainDeviceClient(srv.Client(), srv.URL, staticToken(token), notADomain)
		require.NoError(t, err)
		_, err = dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
		assert.ErrorIs(t, err, losant.ErrInvalidArgument)
		assertNoSecret(t, err, token)
		assert.Empty(t, rec.seen())
	})

	for name, bad := range map[string]string{
		"empty":            "",
		"a control":        token + "\r\nX-Injected: 1",
		"already prefixed": "Bearer " + token,
	} {
		t.Run("BearerAuth, a token that is "+name, func(t *testing.T) {
			srv, rec := serve(t)
			dc, err := example.NewPlainDeviceClient(srv.Client(), srv.URL, staticToken(bad), "")
			require.NoError(t, err)
			_, err = dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
			assertNoSecret(t, err, token)
			assert.Empty(t, rec.seen())
		})
	}
}
