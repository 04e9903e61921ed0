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
	if !d.logs(req, slog.LevelDebug) {
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
	if err != nil {
		if !d.logs(req, slog.LevelError) {
			return
		}
		d.log.LogAttrs(req.Context(), slog.LevelError, "losant: request failed",
			slog.String("method", req.Method), slog.String("path", req.URL.Path), slog.Any("error", err))
		return
	}
	if !d.logs(req, slog.LevelDebug) {
		return
	}
	d.log.LogAttrs(req.Context(), slog.LevelDebug, "losant: response",
		slog.String("method", req.Method), slog.String("path", req.URL.Path), slog.Int("status", resp.StatusCode))
}

// logRetry logs the wait before the next attempt at debug level.
func (d *doer) logRetry(req *http.Request, wait time.Duration, attempt int) {
	if !d.logs(req, slog.LevelDebug) {
		return
	}
	d.log.LogAttrs(req.Context(), slog.LevelDebug, "losant: retrying",
		slog.String("method", req.Method), slog.String("path", req.URL.Path),
		slog.Duration("wait", wait), slog.Int("next_attempt", attempt+2))
}

// logs reports whether a record at level would be logged, so that nothing
// is built for a record that would not be, such as a copy of the headers.
func (d *doer) logs(req *http.Request, level slog.Level) bool {
	return d.log != nil && d.log.Enabled(req.Context(), level)
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
