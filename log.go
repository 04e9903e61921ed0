package losant

import (
	"context"
	"log/slog"

	"github.com/specdriven/losant/internal/shipped/retrying"
)

// logHooks are the hooks WithLogger installs: logging is built on the one
// entry point for observing calls. A call's start is logged at debug
// level; each attempt's outcome at the level it deserves: a retry at info
// level, with its cause and wait; an attempt that got no answer and is not
// retried at error level; an answer still failing after retries at warn
// level; any other answer at debug level (whatever its status, the caller
// gets it). Nothing a hook receives holds the token, so no record does.
func logHooks(l *slog.Logger) Hooks {
	return Hooks{
		CallStart: func(ctx context.Context, call CallInfo) context.Context {
			if l.Enabled(ctx, slog.LevelDebug) {
				l.LogAttrs(ctx, slog.LevelDebug, "losant: request", slog.String("operation", call.Operation),
					slog.String("method", call.Method), slog.String("path", call.Path))
			}
			return nil
		},
		AttemptDone: func(ctx context.Context, call CallInfo, at Attempt) {
			level, msg := slog.LevelDebug, "losant: response"
			switch {
			case at.Retry:
				level, msg = slog.LevelInfo, "losant: retrying"
			case at.Err != nil:
				level, msg = slog.LevelError, "losant: request failed"
			case at.Number > 1 && retrying.Transient(at.StatusCode): // retried, and still failing: given up
				level, msg = slog.LevelWarn, "losant: giving up"
			}
			if !l.Enabled(ctx, level) {
				return
			}
			attrs := []slog.Attr{slog.String("method", call.Method), slog.String("path", call.Path), slog.Int("attempt", at.Number)}
			if at.StatusCode != 0 {
				attrs = append(attrs, slog.Int("status", at.StatusCode))
			}
			if at.Err != nil {
				attrs = append(attrs, slog.Any("error", at.Err))
			}
			if at.Retry {
				attrs = append(attrs, slog.Duration("wait", at.Wait))
			}
			l.LogAttrs(ctx, level, msg, attrs...)
		},
	}
}
