package losant_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
)

// requestEditorFn is oapi-codegen's RequestEditorFn, as every generated
// package declares it: the editors must be assignable to it.
type requestEditorFn func(ctx context.Context, req *http.Request) error

// jwtLike is shaped like a Losant API token, pasted where a domain goes.
const jwtLike = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1NzVlYzc0MTdhZTE0M2NkODNkYzRhOTUiLCJzY29wZSI6WyJhbGwuVXNlciJdfQ.c2lnbmF0dXJlX29mX3RoZV90b2tlbl9oZXJl"

func TestBearerAuthSetsTheTokenOfItsSourceOnEveryRequest(t *testing.T) {
	t.Parallel()
	current := "tok_first"
	var edit requestEditorFn = losant.BearerAuth(losant.TokenSourceFunc(func() (string, error) { return current, nil }))
	for _, want := range []string{"tok_first", "tok_second"} {
		current = want
		req, _ := http.NewRequest(http.MethodGet, "https://api.losant.com/me", nil)
		require.NoError(t, edit(context.Background(), req))
		assert.Equal(t, []string{"Bearer " + want}, req.Header["Authorization"])
	}
}

func TestBearerAuthRefusesABadTokenWithoutQuotingIt(t *testing.T) {
	t.Parallel()
	secret := "tok_secret_value"
	for name, src := range map[string]losant.TokenSource{
		"control character": losant.TokenSourceFunc(func() (string, error) { return secret + "\r\nX-Evil: 1", nil }),
		"Bearer prefix":     losant.TokenSourceFunc(func() (string, error) { return "Bearer " + secret, nil }),
		"empty":             losant.TokenSourceFunc(func() (string, error) { return "", nil }),
		"a space within":    losant.TokenSourceFunc(func() (string, error) { return secret + " x", nil }),
		"non-ASCII":         losant.TokenSourceFunc(func() (string, error) { return secret + "é", nil }),
		"source error":      losant.TokenSourceFunc(func() (string, error) { return "", errors.New("vault sealed") }),
		"nil source":        nil,
	} {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, "https://api.losant.com/me", nil)
			err := losant.BearerAuth(src)(context.Background(), req)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "losant: "), "%v", err)
			assert.NotContains(t, err.Error(), secret)
			assert.NotContains(t, fmt.Sprintf("%#v", err), secret)
			assert.Empty(t, req.Header.Get("Authorization"), "nothing is set when the token is refused")
		})
	}
}

func TestDomainScopeSetsAHostName(t *testing.T) {
	t.Parallel()
	for _, domain := range []string{"tenant-1.example.com", "xn--bcher-kva.example", "EXAMPLE.COM"} {
		var edit requestEditorFn = losant.DomainScope(domain)
		req, _ := http.NewRequest(http.MethodGet, "https://api.losant.com/me", nil)
		require.NoError(t, edit(context.Background(), req), domain)
		assert.Equal(t, domain, req.Header.Get("losantdomain"))
	}
}

func TestDomainScopeRefusesWhatIsNotAHostNameWithoutQuotingIt(t *testing.T) {
	t.Parallel()
	for _, domain := range []string{jwtLike, "tok_5d1c9e0a7b3f", "a.example.com\r\nX-Evil: 1", "exa mple.com", "-a.example.com", "a..b", "example.c0m", "localhost", "example.com.", "10.0.0.1", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1NzVlYzc0MTdhZTE0M2NkODNkYzRhOTUifQ.c2ln", "", strings.Repeat("a", 64) + ".com", strings.Repeat("a.", 127) + "com"} {
		req, _ := http.NewRequest(http.MethodGet, "https://api.losant.com/me", nil)
		err := losant.DomainScope(domain)(context.Background(), req)
		require.Error(t, err, "%q", domain)
		assert.ErrorIs(t, err, losant.ErrInvalidArgument)
		if domain != "" {
			assert.NotContains(t, err.Error(), domain)
		}
		assert.Empty(t, req.Header.Get("losantdomain"), "nothing is set when the domain is refused")
	}
}

func TestWithDomainRefusesATokenPastedInItsPlace(t *testing.T) {
	t.Parallel()
	_, err := losant.NewClient(testToken, losant.WithDomain(jwtLike))
	require.ErrorIs(t, err, losant.ErrInvalidArgument)
	assert.NotContains(t, err.Error(), jwtLike)
}
