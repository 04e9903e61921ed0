package example_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/specdriven/losant"
	example "github.com/specdriven/losant/examples/devices"
	"github.com/specdriven/losant/tokenfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const rotated = "lsnt_devices_example_secret_2"

// onlyToken answers deviceJSON to a request with tok, and a Losant 401 to
// any other.
func onlyToken(tok string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+tok {
			status(http.StatusUnauthorized, losantError("Unauthorized", "Invalid access token"))(w, r)
			return
		}
		status(http.StatusOK, deviceJSON)(w, r)
	}
}

// writeTokenFile puts tok in the file at path as a secrets agent does: a
// new file renamed over the old one.
func writeTokenFile(t *testing.T, path, tok string) {
	t.Helper()
	next := path + ".next"
	require.NoError(t, os.WriteFile(next, []byte(tok+"\n"), 0o600))
	require.NoError(t, os.Rename(next, path))
}

// The token file is rewritten while the client runs; the API refuses the
// old token. The doer reads the file again after the 401 and sends the
// request once more with the new token, and the call gets the device. The
// check interval is an hour, so only the 401 can have made it look.
func TestTheDoerRereadsTheTokenFileAfterA401(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "token")
	writeTokenFile(t, path, token)
	src, err := tokenfile.New(path, tokenfile.WithCheckInterval(time.Hour))
	require.NoError(t, err)
	srv, rec := serve(t, onlyToken(rotated))
	c, err := losant.NewClient("", losant.WithBaseURL(srv.URL), losant.WithTokenSource(src))
	require.NoError(t, err)
	dc, err := example.NewDeviceClient(c, srv.URL)
	require.NoError(t, err)

	// The file unchanged: the 401 is the answer, and the token is not sent twice.
	resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode())
	require.Len(t, rec.seen(), 1)

	writeTokenFile(t, path, rotated)
	resp, err = dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode())
	require.NotNil(t, resp.JSON200)
	assert.Equal(t, "Boiler 7", *resp.JSON200.Name)

	var sent []string
	for _, r := range rec.seen() {
		sent = append(sent, r.Header.Get("Authorization"))
	}
	assert.Equal(t, []string{"Bearer " + token, "Bearer " + token, "Bearer " + rotated}, sent)

	// The next call starts with the new token.
	resp, err = dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode())
	assert.Len(t, rec.seen(), 4)
}

// The same rewrite under the editors alone: BearerAuth cannot send a
// request again, so the 401 is the caller's, and the old token stays in
// use until the source's check interval has gone by.
func TestBearerAuthLeavesA401ToTheCaller(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "token")
	writeTokenFile(t, path, token)
	src, err := tokenfile.New(path, tokenfile.WithCheckInterval(time.Hour))
	require.NoError(t, err)
	srv, rec := serve(t, onlyToken(rotated))
	dc, err := example.NewPlainDeviceClient(srv.Client(), srv.URL, src, "")
	require.NoError(t, err)

	writeTokenFile(t, path, rotated)
	resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode())
	got := rec.seen()
	require.Len(t, got, 1)
	assert.Equal(t, "Bearer "+token, got[0].Header.Get("Authorization"))

	// The caller's remedy: read the file now, and call again.
	require.NoError(t, src.Refresh())
	resp, err = dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode())
}
