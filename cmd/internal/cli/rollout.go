package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/shipped/clock"
	"github.com/specdriven/losant/rotation"
)

// rollout is how rotate puts a successor's secret where the services read
// it, and when it completes: the file and the command that deliver it,
// how long it waits, and the check that must pass.
type rollout struct {
	file, command  string
	deliverTimeout time.Duration
	grace          time.Duration
	check          string
	checkTries     int
	checkTimeout   time.Duration
	checkInterval  time.Duration
}

// The defaults and bounds of the rollout's flags.
const (
	defaultDeliverTimeout = time.Minute
	defaultCheckTimeout   = 30 * time.Second
	defaultCheckInterval  = 10 * time.Second
	defaultCheckTries     = 3
	maxCheckTries         = 100
	maxCommandTimeout     = time.Hour
	// undoTimeout bounds a rollback rotate runs on its own, interrupted
	// or not: a second Ctrl-C does not stop it, this does.
	undoTimeout = 30 * time.Second
)

// rolloutFlags are the flags that need a delivery to apply.
var rolloutFlags = []string{"deliver-timeout", "grace", "check", "check-tries", "check-timeout", "check-interval"}

func (r *rollout) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&r.file, "deliver-file", "", "write the successor's secret over this file, the one the services read (keeping its owner, group and mode; what it held is kept in FILE.previous)")
	f.StringVar(&r.command, "deliver-command", "", "run this with sh -c, the successor's secret and a newline on its stdin (nowhere else); exit 0 means delivered")
	r.deliverTimeout = defaultDeliverTimeout
	f.Var(durationFlag{&r.deliverTimeout}, "deliver-timeout", "kill --deliver-command after this long, and roll back")
	f.Var(durationFlag{&r.grace}, "grace", "after delivering, wait this long for the services to read the new secret before --check and completing")
	f.StringVar(&r.check, "check", "", "after --grace, run this with sh -c until it exits 0 (--check-tries times at most); if it never does, roll back")
	f.IntVar(&r.checkTries, "check-tries", defaultCheckTries, fmt.Sprintf("how many times to run --check before rolling back (1 to %d)", maxCheckTries))
	r.checkTimeout = defaultCheckTimeout
	f.Var(durationFlag{&r.checkTimeout}, "check-timeout", "kill a run of --check after this long, and count it as failed")
	r.checkInterval = defaultCheckInterval
	f.Var(durationFlag{&r.checkInterval}, "check-interval", "the wait between runs of --check")
}

// delivers reports whether the flags deliver the secret.
func (r *rollout) delivers() bool { return r.file != "" || r.command != "" }

// checkFlags refuses, before anything is sent, a rollout flag given
// without a delivery or with a flag it excludes, and a bound out of range.
func (r *rollout) checkFlags(cmd *cobra.Command) error {
	if err := refuseEmpty(cmd, "deliver-file"); err != nil {
		return err
	}
	if err := errors.Join(refuseEmpty(cmd, "deliver-command"), refuseEmpty(cmd, "check")); err != nil {
		return err
	}
	if !r.delivers() {
		if err := notFor(cmd, rolloutFlags...); err != nil {
			return usageError{fmt.Errorf("%w: it applies only with --deliver-file or --deliver-command", err)}
		}
		return nil
	}
	if err := notFor(cmd, "secret-file", "yes"); err != nil {
		return usageError{fmt.Errorf("%w: a delivered secret goes where it is delivered, and rotate completes once it is in place", err)}
	}
	switch {
	case r.checkTries < 1 || r.checkTries > maxCheckTries:
		return usageError{fmt.Errorf("--check-tries %d: want 1 to %d", r.checkTries, maxCheckTries)}
	case r.deliverTimeout <= 0 || r.deliverTimeout > maxCommandTimeout, r.checkTimeout <= 0 || r.checkTimeout > maxCommandTimeout:
		return usageError{fmt.Errorf("--deliver-timeout and --check-timeout: want more than 0 and at most %s", maxCommandTimeout)}
	}
	return nil
}

// rolloutEnd is how a rollout ended, for its report.
type rolloutEnd struct {
	delivered    []string // the flags the secret went to
	completed    bool
	rolledBack   bool
	fileRestored bool
	next, undo   string // the commands that finish it and that undo it, while it is open
}

// completable is the command that completes the rotation, or empty when
// completing would break the services: the --deliver-file was restored to
// the predecessor's secret, which completing deactivates.
func (e rolloutEnd) completable() string {
	if e.fileRestored {
		return ""
	}
	return e.next
}

// rollOut rotates the token id and delivers its successor's secret as r
// says, then completes the rotation, or rolls it back when a step fails.
func (c *commands) rollOut(ctx context.Context, s session, id string, opts rotation.Options, r *rollout) error {
	file, err := prepareDeliveryFile(r.file, id)
	if open := (*openRotationError)(nil); errors.As(err, &open) {
		return c.openRotation(open)
	} else if err != nil {
		return err
	}
	if err := c.refuseOpenRotation(ctx, s.tokens(), id); err != nil {
		file.abandon()
		return err
	}
	rot, err := rotation.Start(ctx, s.tokens(), id, opts)
	if err != nil {
		file.abandon()
		return c.rotateFailed(err)
	}
	if problem := c.secretProblem(rot.Successor.Token); problem != "" {
		file.abandon()
		return c.untokenlikeSecret(rot.Successor, problem, "rotate again ("+safe(rot.Predecessor.ID)+" is still active)")
	}
	if err := c.checkSuccessorID(s.out, rot); err != nil {
		file.abandon()
		return err
	}
	if err := c.yieldToConcurrent(ctx, s.tokens(), rot); err != nil {
		file.abandon()
		return err
	}
	secret := rot.Successor.Token
	rot.Successor.Token = "" // delivered, and printed nowhere
	end := rolloutEnd{
		next: c.rerun("rotate", rot.Predecessor.ID, "--complete", rot.Successor.ID),
		undo: c.rerun("rotate", rot.Predecessor.ID, "--rollback", rot.Successor.ID),
	}
	if file != nil {
		end.next += " --deliver-file FILE" // which removes the copy and record kept beside it
		end.undo += " --deliver-file FILE"
		err := file.record.successor(rot.Successor.ID)
		if err != nil {
			err = fmt.Errorf("recording the rotation beside --deliver-file: %w", err)
		} else {
			err = file.deliver(secret)
		}
		if err != nil {
			file.abandon()
			return c.undo(ctx, s, rot, file, secret, end, err)
		}
		end.delivered = append(end.delivered, "--deliver-file")
	}
	if r.command != "" {
		if err := runShell(ctx, r.command, secret+"\n", r.deliverTimeout, nil); err != nil {
			return c.undo(ctx, s, rot, file, secret, end, fmt.Errorf("--deliver-command %w", err))
		}
		end.delivered = append(end.delivered, "--deliver-command")
	}
	if err := r.settle(ctx, secret); err != nil {
		return c.undo(ctx, s, rot, file, secret, end, err)
	}
	if err := rot.Complete(ctx); err != nil {
		if ctx.Err() != nil && !errors.Is(err, losant.ErrMayHaveActed) {
			// Interrupted before the deactivation reached the API: the
			// predecessor is active, and rotate rolls back as it would
			// before the check passed.
			return c.undo(ctx, s, rot, file, secret, end, fmt.Errorf("interrupted before completing: %w", err))
		}
		finish := fmt.Sprintf("to finish, run: %s; to undo instead: %s", end.next, end.undo)
		if ctx.Err() != nil {
			// Interrupted with the deactivation sent: finishing is the way on,
			// and the one command given.
			finish, end.undo = "to finish, run: "+end.next, ""
		}
		err = fmt.Errorf("%w (successor %s has the secret that was delivered and checked; %s)", err, safe(rot.Successor.ID), finish)
		if perr := s.out.rollout(rot, end); perr != nil {
			err = errors.Join(err, &localWriteError{perr})
		}
		if ctx.Err() != nil {
			return err // interrupted: 130, and the message says what may have been done
		}
		return &unfinishedError{err}
	}
	end.completed = true
	if file != nil {
		c.endDeliveryFile(file.path)
	}
	if err := s.out.rollout(rot, end); err != nil {
		return c.outputLost(err, false, fmt.Sprintf("the rotation is complete: %s is inactive and %s active",
			safe(rot.Predecessor.ID), safe(rot.Successor.ID)), "nothing is left to do")
	}
	return nil
}

// settle waits --grace, then runs --check until it passes, --check-tries
// times at most. The error of the last try holds the end of its output
// (checkOutput), secret cut out.
func (r *rollout) settle(ctx context.Context, secret string) error {
	if err := clock.Sleep(ctx, r.grace); err != nil {
		return fmt.Errorf("interrupted during --grace: %w", err)
	}
	if r.check == "" {
		return nil
	}
	for try := 1; ; try++ {
		output := newOutputTail(secret)
		err := runShell(ctx, r.check, "", r.checkTimeout, output)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || try == r.checkTries {
			return fmt.Errorf("--check %w (try %d of %d)%s", err, try, r.checkTries, checkOutput(output))
		}
		if err := clock.Sleep(ctx, r.checkInterval); err != nil {
			return fmt.Errorf("interrupted between runs of --check: %w", err)
		}
	}
}

// undo rolls back a rollout whose step failed with cause: it puts the
// file's old content back, then deletes the successor, so that the
// predecessor, still active, is what the services hold again. It runs to
// its end even when ctx was interrupted, within undoTimeout. What cannot
// be undone is left, and said: a successor that cannot be deleted has its
// secret printed, since it is the only copy.
func (c *commands) undo(ctx context.Context, s session, rot *rotation.Rotation, file *deliveryFile, secret string, end rolloutEnd, cause error) error {
	bg, cancel := context.WithTimeout(afterInterrupt(ctx), undoTimeout)
	defer cancel()
	if ctx.Err() != nil {
		c.env.warnf("interrupted: rolling back (a second signal stops the rollback, and says what is left)")
	} else {
		// A first signal during the rollback lets it run on, and is said.
		said := make(chan struct{})
		stop := context.AfterFunc(ctx, func() {
			defer close(said)
			c.env.warnf("interrupted while rolling back: the rollback runs on (a second signal stops it, and says what is left)")
		})
		defer func() {
			if !stop() {
				<-said
			}
		}()
	}
	pred, succ := safe(rot.Predecessor.ID), safe(rot.Successor.ID)
	if file != nil && file.delivered {
		if err := file.restore(); err != nil {
			// The file holds the successor's secret: deleting it would
			// break every service that read it.
			err = fmt.Errorf("%w; rolling back, %w: the file holds the secret of successor %s, which is left active, and %s is active too; "+
				"to finish, run: %s; to undo once the file can be written: %s", cause, err, succ, pred, end.next, end.undo)
			return c.openRollout(s.out, rot, end, err)
		}
		end.fileRestored = true
	}
	if err := s.tokens().Delete(bg, rot.Successor.ID); err != nil {
		rot.Successor.Token = secret // its only copy: printed rather than dropped
		err = fmt.Errorf("%w; rolling back, deleting successor %s failed (%w): its secret, in no file, is printed on stdout; %s is active; "+
			"to undo, run: %s%s", cause, succ, err, pred, end.undo, deletedIfNotFound(err))
		return c.openRollout(s.out.withSecret(), rot, end, err)
	}
	end.rolledBack = true
	if file != nil {
		c.endDeliveryFile(file.path)
	}
	restored := ""
	if end.fileRestored {
		restored = ", and the --deliver-file holds what it held before"
	}
	err := fmt.Errorf("%w; rolled back: successor %s was deleted and %s is active%s", cause, succ, pred, restored)
	if perr := s.out.rollout(rot, end); perr != nil {
		err = errors.Join(err, &localWriteError{perr})
	}
	if ctx.Err() != nil {
		if !errors.Is(err, context.Canceled) { // the signal came during the rollback
			err = fmt.Errorf("%w (interrupted while rolling back, which ran to its end: %w)", err, ctx.Err())
		}
		return err // interrupted: 130
	}
	return &rolledBackError{err}
}

// openRollout reports a rollout left open by a failed rollback: err says
// what exists and what to run; the output failing is said too, and then
// the secret, if it was printed, is lost.
func (c *commands) openRollout(p printer, rot *rotation.Rotation, end rolloutEnd, err error) error {
	if perr := p.rollout(rot, end); perr != nil {
		return c.outputLost(perr, rot.Successor.Token != "", err.Error(),
			"delete the successor ("+c.rerun("delete", "--yes", rot.Successor.ID)+")")
	}
	return &unfinishedError{err}
}
