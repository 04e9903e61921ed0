// Package clock holds the one wait that the shipped packages share: a
// sleep that a context ends early.
package clock

import (
	"context"
	"time"
)

// Sleep waits for d, or until ctx is done, and returns ctx's error then.
func Sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
