package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// stopSignals are the signals that stop a run: Ctrl-C, a kill, and a
// dropped terminal or SSH session (SIGHUP, unless the run was started
// with it ignored, as nohup does).
func stopSignals() []os.Signal {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	return sigs
}

// SignalContext returns a context that the first stop signal (SIGINT,
// SIGTERM, SIGHUP) cancels, and stop, which releases the signals. What a
// run does to undo its work once interrupted (rotate's rollback) runs on
// past the first signal, and a second one cancels that too, so that the
// run ends at once and says what is left.
func SignalContext(parent context.Context) (ctx context.Context, stop func()) {
	abort, hardStop := context.WithCancel(context.WithoutCancel(parent))
	ctx, interrupt := context.WithCancel(context.WithValue(parent, abortKey{}, abort))
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals()...)
	done := make(chan struct{})
	go func() {
		for n := 0; n < 2; n++ {
			select {
			case <-sigs:
			case <-done:
				return
			}
			if n == 0 {
				interrupt()
			} else {
				hardStop()
			}
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		interrupt()
		hardStop()
	}
}

type abortKey struct{}

// afterInterrupt is the context for undoing a run's work once ctx is
// interrupted: not canceled by the first signal, but by a second.
func afterInterrupt(ctx context.Context) context.Context {
	if abort, ok := ctx.Value(abortKey{}).(context.Context); ok {
		return abort
	}
	return context.WithoutCancel(ctx)
}
