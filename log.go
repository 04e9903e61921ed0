package losant

import (
	"log/slog"
	"net/http"

	"github.com/hashicorp/go-retryablehttp"
)

// redacted replaces the value of a secret header in logs.
const redacted = "[REDACTED]"

// logTo makes rc log every attempt and response to l at debug level, and
// its retries and failures as the retry library does. Headers are logged
// with Authorization redacted.
func logTo(rc *retryablehttp.Client, l *slog.Logger) {
	rc.Logger = l
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, retry int) {
		l.LogAttrs(req.Context(), slog.LevelDebug, "losant: request",
			slog.String("method", req.Method),
			slog.String("path", req.URL.Path),
			slog.Int("attempt", retry+1),
			slog.Any("header", redactHeader(req.Header)))
	}
	rc.ResponseLogHook = func(_ retryablehttp.Logger, resp *http.Response) {
		l.LogAttrs(resp.Request.Context(), slog.LevelDebug, "losant: response",
			slog.String("method", resp.Request.Method),
			slog.String("path", resp.Request.URL.Path),
			slog.Int("status", resp.StatusCode))
	}
}

// redactHeader returns a copy of h fit for a log: the Authorization value
// is replaced.
func redactHeader(h http.Header) http.Header {
	c := h.Clone()
	if _, ok := c["Authorization"]; ok {
		c["Authorization"] = []string{redacted}
	}
	return c
}
