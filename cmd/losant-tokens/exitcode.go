package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/specdriven/losant"
)

// Exit statuses, so that a script can tell failures apart.
const (
	exitOK          = 0
	exitFailure     = 1 // anything not below, such as a response the API should not send
	exitBadInput    = 2 // bad flags or arguments, no access token, a 400 from the API
	exitNotFound    = 3 // 404: no such token or application
	exitDenied      = 4 // 401 or 403: the access token is bad or lacks a scope
	exitTransient   = 5 // 429, 5xx, a network error or a timeout: try again later
	exitFindings    = 6 // audit found tokens that break the policy
	exitInterrupted = 130
)

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

// exitCode maps an error to the exit status that says what kind it is.
func exitCode(err error) int {
	var (
		usage  usageError
		apiErr *losant.Error
		netErr net.Error
	)
	var partial *partialFailure
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &partial):
		worst := exitOK
		for _, e := range partial.errs {
			worst = max(worst, exitCode(e))
		}
		return worst
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.As(err, &usage), errors.Is(err, losant.ErrInvalidArgument):
		return exitBadInput
	case errors.Is(err, context.Canceled):
		return exitInterrupted
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
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr):
		return exitTransient
	}
	return exitFailure
}
