package example_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/specdriven/losant"
	example "github.com/specdriven/losant/examples/devices"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A server that echoes the Authorization header, in the body of a 401 and
// in a header, does not get the token back to the caller through the
// doer: the response the generated client parses has it redacted.
func TestTheDoerRedactsTheTokenFromWhatComesBack(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		status(http.StatusUnauthorized, losantError("Unauthorized", "refused "+r.Header.Get("Authorization")))(w, r)
	})
	dc, err := example.NewDeviceClient(newLosantClient(t, srv), srv.URL)
	require.NoError(t, err)
	resp, err := dc.GetDeviceWithResponse(context.Background(), appID, deviceID, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode())
	require.Len(t, rec.seen(), 1)
	assert.Equal(t, "Bearer "+token, rec.seen()[0].Header.Get("Authorization"), "the token was sent, and echoed")
	assert.Contains(t, string(resp.Body), "refused", "the body is the server's")
	assert.NotContains(t, string(resp.Body), token)
	for name, values := range resp.HTTPResponse.Header {
		for _, v := range values {
			assert.NotContains(t, v, token, "header %s", name)
		}
	}
	assert.NotContains(t, resp.HTTPResponse.Request.Header.Get("Authorization"), token,
		"the response's Request is the caller's, not the one sent")
}

// However the server ends a call (the connection cut, an attempt that
// times out) after redirecting it to a URL that holds the token, the
// doer's error does not hold the token.
func TestNoErrorOfTheDoerHoldsTheToken(t *testing.T) {
	ctx := context.Background()
	leaky := "/applications/" + appID + "/devices/" + token + "?access_token=" + token

	for name, tc := range map[string]struct {
		end  func(w http.ResponseWriter, r *http.Request)
		opts []losant.Option
	}{
		"the connection cut": {end: func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		}},
		"an attempt timed out": {
			end: func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
			// Long enough for the redirect's first leg on a loaded machine.
			opts: []losant.Option{losant.WithTimeout(500 * time.Millisecond), losant.WithoutRetries()},
		},
		"a body cut short": {end: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "1000")
			_, _ = io.WriteString(w, `{"id":"`+token)
		}},
	} {
		t.Run(name, func(t *testing.T) {
			srv, rec := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if strings.Contains(r.URL.Path, token) {
					tc.end(w, r)
					return
				}
				http.Redirect(w, r, leaky, http.StatusFound)
			})
			dc, err := example.NewDeviceClient(newLosantClient(t, srv, tc.opts...), srv.URL)
			require.NoError(t, err)
			resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
			assert.Nil(t, resp)
			assertFromLosant(t, err)
			assertNoSecret(t, err, token)
			assert.GreaterOrEqual(t, len(rec.seen()), 2, "the redirect was followed")
		})
	}
}
