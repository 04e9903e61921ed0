package losant

import (
	"log/slog"
	"net/http"
	"time"
)

// logAttempt logs an attempt at debug level, with its headers redacted.
func (d *attempter) logAttempt(req *http.Request, attempt int) {
	if !d.logs(req, slog.LevelDebug) {
		return
	}
	d.log.LogAttrs(req.Context(), slog.LevelDebug, "losant: request",
		slog.String("method", req.Method),
		slog.String("path", redactToken(req.URL.Path, bearerToken(req))),
		slog.Int("attempt", attempt+1),
		slog.Any("header", redactHeader(req.Header)))
}

// logOutcome logs an attempt's outcome at the level it deserves: a retry
// at info level, with its cause and wait; an attempt that got no answer
// and is not retried at error level; an answer at debug level (whatever
// its status, the caller gets it). A transport error names the URL, never
// a header.
func (d *attempter) logOutcome(req *http.Request, a outcome, attempt int, retry bool, wait time.Duration) {
	level := slog.LevelDebug
	switch {
	case retry:
		level = slog.LevelInfo
	case a.err != nil:
		level = slog.LevelError
	case attempt > 0 && transient(a.resp.StatusCode): // retried, and still failing: given up
		level = slog.LevelWarn
	}
	if !d.logs(req, level) {
		return
	}
	attrs := []slog.Attr{slog.String("method", req.Method), slog.String("path", redactToken(req.URL.Path, bearerToken(req))), slog.Int("attempt", attempt+1)}
	if a.resp != nil {
		attrs = append(attrs, slog.Int("status", a.resp.StatusCode))
	}
	if a.err != nil {
		attrs = append(attrs, slog.Any("error", a.err))
	}
	msg := "losant: response"
	switch {
	case retry:
		msg = "losant: retrying"
		attrs = append(attrs, slog.Duration("wait", wait))
	case a.err != nil:
		msg = "losant: request failed"
	case level == slog.LevelWarn:
		msg = "losant: giving up"
	}
	d.log.LogAttrs(req.Context(), level, msg, attrs...)
}

// logs reports whether a record at level would be logged, so that nothing
// is built for a record that would not be, such as a copy of the headers.
func (d *attempter) logs(req *http.Request, level slog.Level) bool {
	return d.log != nil && d.log.Enabled(req.Context(), level)
}
