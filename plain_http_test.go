package losant_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/harness/testworld"
)

// An https base URL whose server does not speak TLS (it serves plain HTTP,
// or something else) fails with an error that matches ErrServerNotTLS, so
// that a caller can tell a wrong URL from a network that may recover; a
// server that speaks TLS, whatever else fails, does not match.
func TestAnHTTPSURLToAServerWithoutTLSIsErrServerNotTLS(t *testing.T) {
	t.Parallel()
	plain := testworld.Stub(t, http.NotFoundHandler())
	garbage := testworld.Raw(t, func(conn net.Conn) { _, _ = conn.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n")) })
	tlsServer := testworld.StubTLS(t, http.NotFoundHandler()) // its certificate is not trusted

	get := func(baseURL string) error {
		client, err := losant.NewClient("lsnt_t", losant.WithBaseURL(baseURL), losant.WithoutRetries())
		require.NoError(t, err)
		_, err = client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95")
		require.Error(t, err)
		return err
	}
	for _, baseURL := range []string{strings.Replace(plain.URL, "http://", "https://", 1), "https://" + garbage} {
		err := get(baseURL)
		assert.ErrorIs(t, err, losant.ErrServerNotTLS, baseURL)
		assert.True(t, strings.HasPrefix(err.Error(), "losant: "), err.Error())
	}
	err := get(tlsServer.URL)
	assert.False(t, errors.Is(err, losant.ErrServerNotTLS), "a TLS server with an untrusted certificate: %v", err)
	err = get(plain.URL)
	assert.False(t, errors.Is(err, losant.ErrServerNotTLS), "plain http to a plain server: %v", err)
}

// HTTPDoer's errors are the typed calls': an https URL whose server speaks
// plain HTTP is ErrServerNotTLS through the doer too.
func TestHTTPDoerSaysAServerWithoutTLSIsOne(t *testing.T) {
	t.Parallel()
	plain := testworld.Stub(t, http.NotFoundHandler())
	base := strings.Replace(plain.URL, "http:", "https:", 1)
	client, err := losant.NewClient("lsnt_t", losant.WithBaseURL(base), losant.WithoutRetries())
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodGet, base+"/me", nil)
	require.NoError(t, err)
	_, err = client.HTTPDoer().Do(req)
	assert.ErrorIs(t, err, losant.ErrServerNotTLS)
}
