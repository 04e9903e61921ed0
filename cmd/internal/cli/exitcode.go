package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"syscall"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/rotation"
)

// Exit statuses, so that a script can tell what to do next.
const (
	exitOK             = 0
	exitFailure        = 1
	exitBadInput       = 2
	exitNotFound       = 3
	exitDenied         = 4
	exitTransient      = 5
	exitFindings       = 6
	exitUnknownOutcome = 7
	exitLocalWrite     = 8
	exitSomeOwners     = 9
	exitRolledBack     = 10
	exitInterrupted    = 130
	exitClosedPipe     = 141 // as a shell reports a process SIGPIPE ended
)

// exitStatus is one exit status and what it tells the caller to do.
type exitStatus struct {
	code    int
	meaning string
}

// exitStatuses are every status the command exits with, for the root help
// and README's table (a test holds both to this list).
func exitStatuses() []exitStatus {
	return []exitStatus{
		{exitOK, "done"},
		{exitFailure, "another failure, such as an answer the API should not send"},
		{exitBadInput, "bad input: fix the command line or the configuration (an unknown command or flag, a malformed argument, pattern or duration, no access token, a refused redirect, an https:// base URL whose server speaks plain HTTP, a 400); nothing was sent, or the API refused it"},
		{exitNotFound, "not found (404)"},
		{exitDenied, "unauthorized or forbidden (401, 403)"},
		{exitTransient, "transient (429, 5xx, a network error, a timeout) and nothing was changed: the same command again is safe"},
		{exitFindings, "audit found tokens that break the policy"},
		{exitUnknownOutcome, "a change may or may not have been made (its answer was lost), or a rotation was begun and not finished: check with get or list, or finish as the message says, before running it again"},
		{exitLocalWrite, "the API acted, but writing the result here failed (a full disk, a closed pipe): the message names what now exists; do not run it again"},
		{exitSomeOwners, "a sweep of every owner could not read some of them, or a list of owners (each named on stderr, with why); the output is whole for the owners read, and audit's findings among them are counted in the message. When it read none, the status is the cause's (4 for a 401 or 403)"},
		{exitRolledBack, "rotate's delivery or check failed, and it rolled back: the old token is active and its file holds what it held, the successor is deleted; fix the cause the message names, then rotate again"},
		{exitInterrupted, "interrupted: a change under way may or may not have been made; the message says which"},
		{exitClosedPipe, "stdout was closed before a read's output was written (a pipeline's reader stopped early): nothing was changed"},
	}
}

// exitStatusHelp is the exit statuses as the root help lists them.
func exitStatusHelp() string {
	var b strings.Builder
	b.WriteString("Exit status:\n")
	for _, s := range exitStatuses() {
		fmt.Fprintf(&b, "  %3d  %s\n", s.code, s.meaning)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// partialFailure is the error of a command on several tokens some of which
// failed (each reported as it failed); its exit status is the highest of
// theirs.
type partialFailure struct {
	verb string
	of   int
	errs []error
}

func (e *partialFailure) Error() string {
	return fmt.Sprintf("%s failed for %d of %d tokens", e.verb, len(e.errs), e.of)
}

func (e *partialFailure) Unwrap() []error { return e.errs }

// errFindings is the error of an audit that found tokens breaking the
// policy: they are printed, and the exit status says so.
var errFindings = errors.New("the audit found tokens that break the policy")

// usageError is an error of the command line itself.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// localWriteError is a write to stdout or a file that failed here, not a
// call to the API.
type localWriteError struct{ err error }

func (e *localWriteError) Error() string { return "writing the output: " + e.err.Error() }

func (e *localWriteError) Unwrap() error { return e.err }

// actedError is the error of a command whose API call acted but whose
// output failed: its text names what now exists.
type actedError struct{ err error }

func (e *actedError) Error() string { return e.err.Error() }

func (e *actedError) Unwrap() error { return e.err }

// unfinishedError is the error of a run that made something and then
// failed: running the same command again would make it again, so the text
// says how to finish instead.
type unfinishedError struct{ err error }

func (e *unfinishedError) Error() string { return e.err.Error() }

func (e *unfinishedError) Unwrap() error { return e.err }

// exitCode maps an error to the exit status that says what to do next.
// Only an error of the API call, known to have changed nothing, is
// transient: a failed local write is not (every OS error would pass for a
// net.Error), nor a write whose outcome is unknown.
func exitCode(err error) int {
	var (
		usage   usageError
		partial *partialFailure
		owners  *someOwnersFailed
		none    *nothingRead
		undone  *rolledBackError
		local   *localWriteError
		acted   *actedError
		started *unfinishedError
		apiErr  *losant.Error
		urlErr  *url.Error
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &owners):
		return exitSomeOwners
	case errors.As(err, &none): // as reading one owner would exit for the cause
		worst := exitOK
		for _, e := range none.Unwrap() {
			worst = max(worst, exitCode(e))
		}
		return worst
	case errors.As(err, &partial):
		worst := exitOK
		for _, e := range partial.errs {
			worst = max(worst, exitCode(e))
		}
		return worst
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.As(err, &undone):
		return exitRolledBack
	case errors.As(err, &acted):
		return exitLocalWrite
	case errors.As(err, &started):
		return exitUnknownOutcome
	case errors.As(err, &local) && errors.Is(err, syscall.EPIPE): // a read: nothing changed
		return exitClosedPipe
	case errors.As(err, &local): // a read whose output failed: nothing changed
		return exitFailure
	case errors.As(err, &usage), errors.Is(err, losant.ErrInvalidArgument), losant.StatusCode(err)/100 == 3, // a refused redirect: the base URL is wrong
		errors.Is(err, rotation.ErrPredecessorInactive), errors.Is(err, rotation.ErrNotASuccessor), errors.Is(err, losant.ErrServerNotTLS):
		return exitBadInput
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.Is(err, losant.ErrMayHaveActed):
		return exitUnknownOutcome
	case errors.As(err, &apiErr) && apiErr.Err == nil:
		switch s := apiErr.StatusCode; {
		case s == http.StatusBadRequest:
			return exitBadInput
		case s == http.StatusNotFound:
			return exitNotFound
		case s == http.StatusUnauthorized || s == http.StatusForbidden:
			return exitDenied
		case s == http.StatusTooManyRequests || s >= 500:
			return exitTransient
		}
		return exitFailure
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &urlErr), apiErr != nil:
		return exitTransient // a timeout, a network error, an answer cut short
	}
	return exitFailure
}

// errNotConfirmed is the error of a delete the user did not confirm.
var errNotConfirmed = errors.New("not confirmed: nothing was deleted")
