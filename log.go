package losant

import (
	"log/slog"
	"net/http"
	"time"
)

// redacted replaces the value of a secret header in logs.
const redacted = "[REDACTED]"

// logAttempt logs an attempt at debug level, with its headers redacted.
func (d *doer) logAttempt(req *http.Request, attempt int) {
	if d.log == nil {
		return
	}
	d.log.LogAttrs(req.Context(), slog.LevelDebug, "losant: request",
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("attempt", attempt+1),
		slog.Any("header", redactHeader(req.Header)))
}

// logOutcome logs a response at debug level, or a failed attempt at error
// level. A transport error names the URL, never a header.
func (d *doer) logOutcome(req *http.Request, resp *http.Response, err error) {
	if d.log == nil {
		return
	}
	if err != nil {
		d.log.LogAttrs(req.Context(), slog.LevelError, "losant: request failed",
			slog.String("method", req.Method), slog.String("path", req.URL.Path), slog.Any("error", err))
		return
	}
	d.log.LogAttrs(req.Context(), slog.LevelDebug, "losant: response",
		slog.String("method", req.Method), slog.String("path", req.URL.Path), slog.Int("status", resp.StatusCode))
}

// logRetry logs the wait before the next attempt at debug level.
func (d *doer) logRetry(req *http.Request, wait time.Duration, attempt int) {
	if d.log == nil {
		return
	}
	d.log.LogAttrs(req.Context(), slog.LevelDebug, "losant: retrying",
		slog.String("method", req.Method), slog.String("path", req.URL.Path),
		slog.Duration("wait", wait), slog.Int("next_attempt", attempt+2))
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
