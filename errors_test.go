package losant_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// serveStatus serves every request with status, the headers given and the
// API's Error JSON, and counts the requests.
func serveStatus(t *testing.T, status int, header map[string]string) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	url := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", jsonType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"type": "RateLimit", "message": "slow down"}`)
	})).URL
	return url, &n
}

// A 429 keeps what the caller acts on: the status, Retry-After parsed, and
// the response's headers.
func TestRateLimitErrorSaysWhenToRetry(t *testing.T) {
	t.Parallel()
	url, _ := serveStatus(t, http.StatusTooManyRequests, map[string]string{"Retry-After": "120", "X-Request-Id": "req-42"})
	client, err := losant.NewClient(testToken, losant.WithBaseURL(url), losant.WithoutRetries())
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)

	assert.True(t, losant.StatusCode(err) == http.StatusTooManyRequests, "%v", err)
	assert.False(t, losant.StatusCode(err) == http.StatusNotFound)
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 120*time.Second, apiErr.RetryAfter)
	assert.Equal(t, "req-42", apiErr.Header.Get("X-Request-Id"))
	assert.Equal(t, "losant: GET /me/tokens/"+apiTokenID+": 429 Too Many Requests: RateLimit: slow down (retry after 2m0s)", err.Error())
}

// A Retry-After too long for a time.Duration is longer than any MaxWait:
// it is not waited out, and the call is not retried.
func TestHugeRetryAfterIsNotRetried(t *testing.T) {
	t.Parallel()
	for _, header := range []string{"99999999999999999999", "9223372037"} {
		t.Run(fmt.Sprint(header), func(t *testing.T) {
			url, requests := serveStatus(t, http.StatusServiceUnavailable, map[string]string{"Retry-After": header})
			client, err := losant.NewClient(testToken, losant.WithBaseURL(url), losant.WithRetry(fastRetries))
			require.NoError(t, err)
			_, err = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
			var apiErr *losant.Error
			require.ErrorAs(t, err, &apiErr, header)
			assert.Equal(t, time.Duration(math.MaxInt64), apiErr.RetryAfter, header)
			assert.EqualValues(t, 1, requests.Load(), "%s: sent once", header)
		})
	}
}

func TestErrorMessagesReadCleanly(t *testing.T) {
	t.Parallel()
	prefix := "losant: GET /me/tokens/x: "
	for want, e := range map[string]losant.Error{
		prefix + "404 Not Found: NotFound: API Token was not found":     {StatusCode: 404, Type: "NotFound", Message: "API Token was not found"},
		prefix + "400 Bad Request: name is too long":                    {StatusCode: 400, Message: "name is too long"},
		prefix + "403 Forbidden: Forbidden":                             {StatusCode: 403, Type: "Forbidden"},
		prefix + "502 Bad Gateway: unexpected body (6 bytes)":           {StatusCode: 502, Body: []byte("<html>")},
		prefix + "503 Service Unavailable: empty body (retry after 1s)": {StatusCode: 503, RetryAfter: time.Second},
		prefix + "200 OK: losant: response body too large":              {StatusCode: 200, Err: losant.ErrResponseTooLarge},
	} {
		e.Method, e.Path = "GET", "/me/tokens/x"
		assert.Equal(t, want, e.Error())
		assert.NotContains(t, e.Error(), ": :", "no empty part")
	}
}

// StatusCode reads the status through any wrapping, and is 0, never a
// panic, for nil, a nil *Error (plain or wrapped) and errors that are no
// answer of the API (a tryout's finding: a typed nil panicked).
func TestStatusCodeIsZeroForNoAnswer(t *testing.T) {
	t.Parallel()
	var typedNil *losant.Error
	for name, err := range map[string]error{
		"nil": nil, "a nil *Error": typedNil, "a wrapped nil *Error": fmt.Errorf("w: %w", typedNil),
		"another error": errors.New("dial tcp: refused"), "an argument": &losant.ArgumentError{Field: "name", Reason: "empty"},
	} {
		assert.NotPanics(t, func() { assert.Zero(t, losant.StatusCode(err), name) }, name)
	}
	assert.Equal(t, http.StatusConflict, losant.StatusCode(fmt.Errorf("w: %w", &losant.Error{StatusCode: http.StatusConflict})))
}

func TestEverySentinelSaysLosant(t *testing.T) {
	t.Parallel()
	for _, err := range []error{losant.ErrInvalidArgument, losant.ErrResponseTooLarge, losant.ErrEndlessPages, losant.ErrPlainHTTP,
		losant.ErrMayHaveActed} {
		assert.True(t, strings.HasPrefix(err.Error(), "losant: "), err.Error())
	}
	arg := &losant.ArgumentError{Field: "name", Reason: "empty"}
	for _, err := range []error{arg} {
		assert.True(t, strings.HasPrefix(err.Error(), "losant: "), err.Error())
	}
	assert.True(t, errors.Is(arg, losant.ErrInvalidArgument))
}

// Every way a call can fail makes an error without the token in it.
func TestErrorsNeverHoldTheToken(t *testing.T) {
	t.Parallel()
	const secret = "lsnt_s3cr3t_0123456789"
	var errs []error
	collect := func(_ any, err error) { errs = append(errs, err) }

	_, err := losant.NewClient(secret + "\n")
	errs = append(errs, err)
	_, err = losant.NewClient(secret, losant.WithBaseURL("http://api.losant.com"))
	errs = append(errs, err)
	_, err = losant.NewClient(secret, losant.WithBaseURL("::"))
	errs = append(errs, err)

	w := testworld.New(t, testworld.WithFaults())
	client := w.Server.Client(secret, losant.WithRetry(losant.RetryPolicy{MaxAttempts: 2, MaxWait: time.Millisecond}), losant.WithMaxResponseBytes(10))
	ctx := context.Background()
	collect(client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)) // 401: the secret is no known token
	collect(client.APITokens(losant.User()).Get(ctx, "../"+secret))
	collect(client.APITokens(losant.User()).Patch(ctx, w.UserTarget.ID, gen.APITokenPatch{Name: losant.Ptr("")}))
	collect(client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID, losant.WithDomain(secret+"\r\n")))
	w.Server.Inject(losanttest.Fault{Drop: true}, losanttest.Times(2))
	collect(client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID))
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(2))
	collect(client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID))
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	collect(client.APITokens(losant.User()).Get(canceled, w.UserTarget.ID))

	require.Len(t, errs, 10)
	for i, err := range errs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			require.Error(t, err, i)
			assert.NotContains(t, err.Error(), secret, "error %d: %v", i, err)
			assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), secret, "error %d printed", i)
		})
	}
}

// A server that quotes the access token back in its error never puts it
// into the *Error: not in Message, Type, Body nor Error().
func TestServerTextNeverCarriesTheAccessToken(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"type":"Unauthorized","message":"Invalid access token: ` + testToken + `"}`,
		`{"type":"` + testToken + `","message":"x"}`,
		`<html>bad token ` + testToken + `</html>`,
	} {
		t.Run(fmt.Sprint(body), func(t *testing.T) {
			srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", token="`+testToken+`"`)
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, body)
			})).URL
			client, err := losant.NewClient(testToken, losant.WithBaseURL(srv))
			require.NoError(t, err)
			_, err = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
			var apiErr *losant.Error
			require.ErrorAs(t, err, &apiErr)
			for _, text := range []string{err.Error(), apiErr.Message, apiErr.Type, string(apiErr.Body), fmt.Sprintf("%+v", *apiErr)} {
				assert.NotContains(t, text, testToken, body)
			}
			assert.Equal(t, `Bearer error="invalid_token", token="[REDACTED]"`, apiErr.Header.Get("WWW-Authenticate"))
			assert.True(t, losant.StatusCode(err) == http.StatusUnauthorized)
		})
	}
}

// Response bodies are read into reused buffers; an *Error keeps its own
// copy, which later calls cannot change.
func TestErrorBodiesAreTheirOwn(t *testing.T) {
	t.Parallel()
	bodies := []string{`{"type":"NotFound","message":"first"}`, `{"type":"NotFound","message":"other text, longer than the first one"}`}
	n := 0
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, bodies[n%2])
		n++
	})).URL
	client, err := losant.NewClient(testToken, losant.WithBaseURL(srv))
	require.NoError(t, err)
	_, first := client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	var apiErr *losant.Error
	require.ErrorAs(t, first, &apiErr)
	for range 10 {
		_, _ = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	}
	assert.Equal(t, bodies[0], string(apiErr.Body))
	assert.Equal(t, "first", apiErr.Message)
}

// Every error a call returns or an iterator yields starts with "losant: ",
// and still matches the context's own error.
func TestEveryErrorSaysLosantAndKeepsItsCause(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	tokens := client.APITokens(losant.User())
	id := userOld.ID
	first := func(seq iter.Seq2[*gen.APIToken, error]) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	for cause, ctx := range map[error]context.Context{context.Canceled: canceledContext(), context.DeadlineExceeded: expiredContext(t)} {
		t.Run(fmt.Sprint(cause), func(t *testing.T) {
			calls := map[string]error{
				"Get":      second(tokens.Get(ctx, id)),
				"Patch":    second(tokens.Patch(ctx, id, gen.APITokenPatch{Name: losant.Ptr("x")})),
				"Delete":   tokens.Delete(ctx, id),
				"List":     second(tokens.List(ctx, losant.APITokenListOptions{})),
				"Create":   second(tokens.Create(ctx, gen.APITokenPost{Name: "x"})),
				"All":      first(tokens.All(ctx, losant.APITokenListOptions{})),
				"Expiring": first(tokens.Expiring(ctx, time.Now(), losant.APITokenListOptions{})),
				"Do":       client.Do(ctx, http.MethodGet, "me/tokens", nil, nil),
			}
			for name, err := range calls {
				require.Error(t, err, name)
				assert.True(t, strings.HasPrefix(err.Error(), "losant: "), "%s: %v", name, err)
				assert.ErrorIs(t, err, cause, name)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

func canceledContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

func expiredContext(t *testing.T) context.Context {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	t.Cleanup(cancel)
	return ctx
}

// An argument that fails the ID check (a secret pasted as an ID, say) is
// kept by no Owner and no error: no fmt verb can print it.
func TestNoOwnerOrErrorKeepsARefusedID(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, _, appOld := rotatable(t, w)
	secret := w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"all.User"}}).Secret
	ctx := context.Background()
	user := client.APITokens(losant.User())
	values := map[string]any{
		"Application": losant.Application(secret),
		"Instance":    losant.Instance(secret),
		"service":     client.APITokens(losant.Application(secret)),
		"owner's Get": second(client.APITokens(losant.Application(secret)).Get(ctx, appOld.ID)),
		"Get":         second(user.Get(ctx, secret)),
		"Patch":       second(user.Patch(ctx, secret, gen.APITokenPatch{})),
		"Delete":      user.Delete(ctx, secret),
	}
	for name, v := range values {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			require.NotNil(t, v, name)
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
				assert.NotContains(t, fmt.Sprintf(verb, v), secret, "%s printed with %s", name, verb)
			}
		})
	}
	owner := losant.Application(secret)
	assert.Empty(t, owner.ID(), "the refused ID is not kept")
	assert.Equal(t, "application (invalid ID)", owner.String())
	_, err := client.APITokens(owner).Get(ctx, appOld.ID)
	assertArgumentError(t, err, "applicationId")
}
