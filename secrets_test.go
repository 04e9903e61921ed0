package losant_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/losanttest"
)

func TestPrintingAClientOrItsOptionsHidesTheToken(t *testing.T) {
	opts := []losant.Option{losant.WithDomain("example.com"), losant.WithRetry(fastRetries), losant.WithBaseURL("http://127.0.0.1:1")}
	client, err := losant.NewClient(testToken, opts...)
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		for _, v := range []any{client, *client, opts, client.UserAPIToken, client.ApplicationAPIToken} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, testToken, verb)
		}
	}
	assert.Equal(t, `losant.Client{BaseURL: "http://127.0.0.1:1", Domain: "example.com"}`, client.String())
}

// Every way a call can fail makes an error without the token in it.
func TestErrorsNeverHoldTheToken(t *testing.T) {
	const secret = "lsnt_s3cr3t_0123456789"
	var errs []error
	collect := func(_ any, err error) { errs = append(errs, err) }

	_, err := losant.NewClient(secret + "\n")
	errs = append(errs, err)
	_, err = losant.NewClient(secret, losant.WithBaseURL("http://api.losant.com"))
	errs = append(errs, err)
	_, err = losant.NewClient(secret, losant.WithBaseURL("::"))
	errs = append(errs, err)

	f := newFaultyFake(t)
	client := f.srv.Client(secret, losant.WithRetry(losant.RetryPolicy{MaxAttempts: 2, MaxWait: time.Millisecond}), losant.WithMaxResponseBytes(10))
	ctx := context.Background()
	collect(client.UserAPIToken.Get(ctx, f.target.ID)) // 401: the secret is no known token
	collect(client.UserAPIToken.Get(ctx, "../"+secret))
	collect(client.UserAPIToken.Patch(ctx, f.target.ID, losant.APITokenPatch{Name: losant.Ptr("")}))
	collect(client.UserAPIToken.Get(ctx, f.target.ID, losant.Domain(secret+"\r\n")))
	f.srv.Inject(losanttest.Fault{Drop: true}, 2)
	collect(client.UserAPIToken.Get(ctx, f.target.ID))
	f.srv.Inject(losanttest.Fault{Status: 503}, 2)
	collect(client.UserAPIToken.Get(ctx, f.target.ID))
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	collect(client.UserAPIToken.Get(canceled, f.target.ID))

	require.Len(t, errs, 10)
	for i, err := range errs {
		require.Error(t, err, i)
		assert.NotContains(t, err.Error(), secret, "error %d: %v", i, err)
		assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), secret, "error %d printed", i)
	}
}

// The logger sees every attempt, with the Authorization header redacted.
func TestLoggerRedactsTheToken(t *testing.T) {
	f := newFaultyFake(t)
	for name, handler := range map[string]func(*bytes.Buffer) slog.Handler{
		"JSON": func(b *bytes.Buffer) slog.Handler {
			return slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})
		},
		"text": func(b *bytes.Buffer) slog.Handler {
			return slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})
		},
	} {
		var logs bytes.Buffer
		client := f.client(t, losant.WithLogger(slog.New(handler(&logs))))
		f.srv.Inject(losanttest.Fault{Status: 503}, 1)
		f.srv.Inject(losanttest.Fault{Drop: true}, 1)
		_, err := client.UserAPIToken.Get(context.Background(), f.target.ID)
		require.NoError(t, err)
		out := logs.String()
		assert.NotContains(t, out, f.secret, name)
		assert.Contains(t, out, "[REDACTED]", name)
		assert.Contains(t, out, "Authorization", name)
		// 3 requests reach the fake, but net/http itself resends a request
		// whose reused connection dropped: the client makes 2 or 3 attempts.
		assert.GreaterOrEqual(t, strings.Count(out, "losant: request"), 2, "%s: every attempt is logged:\n%s", name, out)
		assert.Contains(t, out, "losant: retrying", name)
		assert.Contains(t, out, "losant: response", name)
		assert.Contains(t, out, fmt.Sprint(http.StatusServiceUnavailable), name)
	}
}
