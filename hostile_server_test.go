package losant_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"iter"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/harness/testworld"
)

// The tests in this file put the client against a server that lies: it
// redirects where the caller did not point, crafts URLs that carry the
// token, or claims what it is not.

// An https API that redirects a GET to plain http on another host is not
// followed: the answer could be forged on the way. WithInsecureHTTP
// allows it, as it allows a plain-http base URL.
func TestRedirectsFromHTTPSToPlainHTTPAreRefused(t *testing.T) {
	t.Parallel()
	var forgedReads int
	forger := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		forgedReads++
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id": %q, "name": "forged", "status": "active"}`, apiTokenID)
	}))
	api := testworld.StubTLS(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://plain.example"+r.URL.Path, http.StatusFound)
	}))
	// Every host dials the forger, so that plain.example is reachable here.
	transport := api.Client().Transport.(*http.Transport).Clone()
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if strings.HasPrefix(addr, "plain.example") {
			addr = forger.Listener.Addr().String()
		} else {
			addr = api.Listener.Addr().String()
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the test server's own certificate

	for _, insecure := range []bool{false, true} {
		opts := []losant.Option{losant.WithBaseURL("https://api.example"), losant.WithHTTPClient(&http.Client{Transport: transport}), losant.WithoutRetries()}
		if insecure {
			opts = append(opts, losant.WithInsecureHTTP())
		}
		client, err := losant.NewClient(testToken, opts...)
		require.NoError(t, err)
		forgedReads = 0
		tok, err := client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
		if insecure {
			require.NoError(t, err, "WithInsecureHTTP follows it")
			assert.Equal(t, "forged", tok.Name)
			continue
		}
		require.ErrorIs(t, err, losant.ErrPlainHTTP)
		assert.True(t, strings.HasPrefix(err.Error(), "losant: "), err.Error())
		assert.Zero(t, forgedReads, "the plain-http answer was never read")
	}
}

// However a server crafts a redirect's URL, the token is in no error: the
// error's Path is the call's own, and text quoting the token is redacted,
// after a redirect to the same origin or to another.
func TestRedirectsNeverPutTheTokenInAnError(t *testing.T) {
	t.Parallel()
	other := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"type": "NotFound", "message": "no %s here"}`, r.URL.Path)
	})).URL
	for name, target := range map[string]string{"same origin": "", "another origin": other} {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			base := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/x/") {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusNotFound)
					fmt.Fprintf(w, `{"type": "NotFound", "message": "no %s here"}`, r.URL.Path)
					return
				}
				http.Redirect(w, r, target+"/x/"+testToken+"/gone?t="+testToken, http.StatusTemporaryRedirect)
			})).URL
			client, err := losant.NewClient(testToken, losant.WithBaseURL(base), losant.WithoutRetries())
			require.NoError(t, err)
			_, err = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
			var apiErr *losant.Error
			require.ErrorAs(t, err, &apiErr, name)
			assert.Equal(t, "/me/tokens/"+apiTokenID, apiErr.Path, "%s: the call's own path", name)
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v %s", err, err, err, apiErr.Body), testToken, name)
		})
	}
}

// A base URL that is not one is refused without being quoted: it may be
// the access token set in its place, or hold a password.
func TestBaseURLErrorsNeverQuoteTheURL(t *testing.T) {
	t.Parallel()
	for _, baseURL := range []string{
		"lsnt_0123456789abcdef_hunter2",
		"https:/ops:hunter2@host",
		"https//ops:hunter2@host",
		"https://host?key=hunter2",
		"https://host/#hunter2",
		"ftp://hunter2.example",
		"http://hunter2.example",
		"https://ops:hunter2@host",
		"https://host:hunter2/",
	} {
		t.Run(fmt.Sprint(baseURL), func(t *testing.T) {
			_, err := losant.NewClient(testToken, losant.WithBaseURL(baseURL))
			require.Error(t, err, baseURL)
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), "hunter2", baseURL)
		})
	}
}

// An answer that came from another origin after a redirect says so: a 401
// there is not the access token's fault (it is not sent there).
func TestAnErrorAfterARedirectSaysWhoAnswered(t *testing.T) {
	t.Parallel()
	other := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"type": "Unauthorized", "message": "Invalid, inactive or expired access token"}`)
	})).URL
	base := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other+r.URL.Path, http.StatusFound)
	})).URL
	client, err := losant.NewClient(testToken, losant.WithBaseURL(base))
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	require.True(t, losant.StatusCode(err) == http.StatusUnauthorized, "%v", err)
	assert.Contains(t, err.Error(), "answered by "+strings.TrimPrefix(other, "http://")+", where a redirect led")
}

// A 2xx answer that decodes but is not what its call answers ({} for a
// token or a page) is an error, not "nothing there"; a Content-Type that
// quotes the token is redacted from the error (red-team findings).
func TestAnEmptyAnswerIsNotTakenForNothing(t *testing.T) {
	for _, body := range []string{`{}`, `{"items": null}`} {
		srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, body)
		}))
		client, err := losant.NewClient(testToken, losant.WithBaseURL(srv.URL))
		require.NoError(t, err)
		user := client.APITokens(losant.User())
		_, err = user.Get(context.Background(), apiTokenID)
		assert.Error(t, err, "get %s", body)
		_, err = user.List(context.Background(), losant.APITokenListOptions{})
		assert.Error(t, err, "list %s", body)
		assert.Error(t, firstError(user.All(context.Background(), losant.APITokenListOptions{})), "all %s", body)
		assert.Error(t, firstError(client.Applications(context.Background())), "applications %s", body)
		assert.Error(t, firstError(client.Instances(context.Background())), "instances %s", body)
		srv.Close()
	}
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/"+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		fmt.Fprint(w, `{}`)
	}))
	client, err := losant.NewClient(testToken, losant.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	require.Error(t, err)
	assert.NotContains(t, fmt.Sprintf("%v %#v", err, err), testToken)
}

func TestABaseURLWithAnEscapedControlCharacterIsRefused(t *testing.T) {
	_, err := losant.NewClient(testToken, losant.WithBaseURL("http://127.0.0.1:1/lsnt_pasted_secret%0a"))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "lsnt_pasted_secret")
}

// firstError is the first error seq yields; nil when it yields none, as
// an empty list would.
func firstError[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}
