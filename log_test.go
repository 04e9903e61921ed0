package losant_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// The logger, built on the hooks, sees every call and every attempt's
// outcome, and never a header or the token.
func TestLoggerRedactsTheToken(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	for name, handler := range map[string]func(*bytes.Buffer) slog.Handler{
		"JSON": func(b *bytes.Buffer) slog.Handler {
			return slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})
		},
		"text": func(b *bytes.Buffer) slog.Handler {
			return slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})
		},
	} {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			var logs bytes.Buffer
			client := retryingClient(t, w, losant.WithLogger(slog.New(handler(&logs))))
			w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(1))
			w.Server.Inject(losanttest.Fault{Drop: true}, losanttest.Times(1))
			_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
			require.NoError(t, err)
			out := logs.String()
			assert.NotContains(t, out, w.UserBearer.Secret, name)
			assert.NotContains(t, out, "Authorization", name)
			assert.Equal(t, 1, strings.Count(out, "losant: request"), "%s: the call is logged once:\n%s", name, out)
			// net/http itself resends a request whose reused connection
			// dropped: the client makes 2 or 3 attempts, each logged.
			assert.GreaterOrEqual(t, strings.Count(out, "attempt"), 2, "%s: every attempt is logged:\n%s", name, out)
			assert.Contains(t, out, "losant: retrying", name)
			assert.Contains(t, out, "losant: response", name)
			assert.Contains(t, out, fmt.Sprint(http.StatusServiceUnavailable), name)
		})
	}
}
