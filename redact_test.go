package losant_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
)

// A redirect to a host named after the token fails to resolve: neither
// the URL nor the resolver's own message keeps the token, in the error,
// the hooks or the log.
func TestATokenInARedirectsHostIsInNoError(t *testing.T) {
	const token = "lsnt_supersecret_abc123"
	srv := serveLoopback(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+token+".invalid/x", http.StatusTemporaryRedirect)
	}))
	var rec recorder
	client, err := losant.NewClient(token, losant.WithBaseURL(srv), losant.WithoutRetries(), losant.WithHooks(rec.hooks()), losant.WithInsecureHTTP())
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), token)
	assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), "supersecret")
	assert.Contains(t, err.Error(), "[REDACTED]")
	assert.NotContains(t, rec.everything(), token)
}

// A transport wrapper whose error quotes the Authorization header does
// not put the token into the call's error.
func TestAWrappersErrorIsRedacted(t *testing.T) {
	const token = "lsnt_wrapper_secret_42"
	boom := errors.New("proxy down")
	wrap := func(http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return nil, fmt.Errorf("proxy failed for %s: %w", r.Header.Get("Authorization"), boom)
		})
	}
	client, err := losant.NewClient(token, losant.WithTransportWrapper(wrap), losant.WithoutRetries())
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), token)
	assert.ErrorIs(t, err, boom, "the wrapper's error is still in the chain")
}

// A short token is redacted only where it stands as a word: the headers
// and messages around it stay whole.
func TestAShortTokenDoesNotCutUpTheAnswer(t *testing.T) {
	for _, token := range []string{"0", "1", "req"} {
		t.Run(token, func(t *testing.T) {
			srv := serveLoopback(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "req-1001")
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Echo", r.Header.Get("Authorization"))
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprint(w, `{"type":"NotFound","message":"API Token 1001 was not found"}`)
			}))
			client, err := losant.NewClient(token, losant.WithBaseURL(srv), losant.WithoutRetries())
			require.NoError(t, err)
			var resp losant.Response
			_, err = client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95", losant.ReadResponse(&resp))
			var apiErr *losant.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "req-1001", resp.Header.Get("X-Request-Id"))
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			assert.Equal(t, "Bearer [REDACTED]", resp.Header.Get("X-Echo"), "the token itself is")
			assert.Equal(t, "API Token 1001 was not found", apiErr.Message)
		})
	}
}

// A wrapper that returns a nil pointer as its transport is refused when
// the client is made, not at the first call.
func TestATypedNilTransportIsRefused(t *testing.T) {
	_, err := losant.NewClient("token", losant.WithTransportWrapper(func(http.RoundTripper) http.RoundTripper {
		var none *http.Transport
		return none
	}))
	assert.ErrorContains(t, err, "WithTransportWrapper: the wrapper returned a nil transport")
}

// A token pasted with its "Bearer " is refused: it would be sent twice.
func TestATokenWithItsBearerIsRefused(t *testing.T) {
	_, err := losant.NewClient("Bearer lsnt_abc")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `starts with "Bearer "`)
	assert.NotContains(t, err.Error(), "lsnt_abc")
}
