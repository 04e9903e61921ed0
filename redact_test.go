package losant_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/harness/testworld"
)

// A redirect to a host named after the token fails to resolve: neither
// the URL nor the resolver's own message keeps the token, in the error,
// the hooks or the log.
func TestATokenInARedirectsHostIsInNoError(t *testing.T) {
	t.Parallel()
	const token = "lsnt_supersecret_abc123"
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+token+".invalid/x", http.StatusTemporaryRedirect)
	})).URL
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
	t.Parallel()
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
	t.Parallel()
	for _, token := range []string{"0", "1", "req"} {
		t.Run(token, func(t *testing.T) {
			srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "req-1001")
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Echo", r.Header.Get("Authorization"))
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprint(w, `{"type":"NotFound","message":"API Token 1001 was not found"}`)
			})).URL
			client, err := losant.NewClient(token, losant.WithBaseURL(srv), losant.WithoutRetries())
			require.NoError(t, err)
			var resp losant.CallResult
			_, err = client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95", lastResult(&resp))
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
	t.Parallel()
	_, err := losant.NewClient("token", losant.WithTransportWrapper(func(http.RoundTripper) http.RoundTripper {
		var none *http.Transport
		return none
	}))
	assert.ErrorContains(t, err, "WithTransportWrapper: the wrapper returned a nil transport")
}

// A token pasted with its "Bearer " is refused: it would be sent twice.
func TestATokenWithItsBearerIsRefused(t *testing.T) {
	t.Parallel()
	_, err := losant.NewClient("Bearer lsnt_abc")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `starts with "Bearer "`)
	assert.NotContains(t, err.Error(), "lsnt_abc")
}

// A lying server that quotes the access token JSON-escaped ("\u0065yJ...")
// or glued to other text ("req-<token>", in a header's name and value)
// gets it into nothing the caller sees: the error (any verb), the hooks,
// the log, a hook's CallResult.Header, or HTTPDoer's answer.
func TestALyingServerCannotQuoteTheTokenBack(t *testing.T) {
	t.Parallel()
	const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsaWFyIn0.c2lnbmF0dXJl"
	escaped := `\u0065` + token[1:]                        // the JSON spelling of the same string
	escapedAll := strings.ReplaceAll(token, "J", `\u004a`) // every J escaped
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-"+token)
		w.Header().Set("X-"+token[:20], "named after it")
		w.Header().Set("X-Glued", "a"+token+"z")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"type":"Unauthorized%s","message":"token %s is bad; so is x%sx","%s":1}`, escapedAll, escaped, token, escaped)
	})).URL
	var rec recorder
	var logged strings.Builder
	logger := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, err := losant.NewClient(token, losant.WithBaseURL(srv), losant.WithoutRetries(), losant.WithHooks(rec.hooks()), losant.WithLogger(logger))
	require.NoError(t, err)
	var resp losant.CallResult
	_, err = client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95", lastResult(&resp))
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr)

	parts := []string{err.Error(), fmt.Sprintf("%v %+v %#v %s", err, err, apiErr, apiErr.Body), apiErr.Message, apiErr.Type,
		fmt.Sprint(apiErr.Header), fmt.Sprint(resp.Header), rec.everything(), logged.String()}
	doerReq, _ := http.NewRequest(http.MethodGet, srv+"/me", nil)
	doerResp, err := client.HTTPDoer().Do(doerReq)
	require.NoError(t, err)
	body, _ := io.ReadAll(doerResp.Body)
	parts = append(parts, string(body), fmt.Sprint(doerResp.Header))
	for i, part := range parts {
		for _, form := range []string{token, token[1:], escaped[6:]} {
			assert.NotContains(t, part, form, "part %d", i)
		}
		assert.NotContains(t, unescapeJSON(part), token[1:], "part %d, once its JSON escapes are read", i)
	}
	assert.Contains(t, apiErr.Message, "[REDACTED]")
	assert.Equal(t, "req-[REDACTED]", resp.Header.Get("X-Request-Id"), "the text around it stays")
	assert.Equal(t, "a[REDACTED]z", resp.Header.Get("X-Glued"))
	assert.True(t, json.Valid(apiErr.Body), "the body is still JSON")
}

// unescapeJSON reads s as the inside of a JSON string where it can, so
// that a \u escape in it shows what it spells.
func unescapeJSON(s string) string {
	var out string
	if json.Unmarshal([]byte(`"`+strings.ReplaceAll(s, `"`, `\"`)+`"`), &out) != nil {
		return s
	}
	return out
}
