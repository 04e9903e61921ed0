package rotation

import (
	"errors"
	"fmt"
	"strings"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/shipped/limits"
	"github.com/specdriven/losant/internal/shipped/terminal"
)

// ErrPredecessorInactive is wrapped by the Error of a Start whose token is
// inactive: rotating it would bring a retired credential back.
var ErrPredecessorInactive = errors.New("losant: the token to rotate is inactive")

// ErrNotASuccessor is wrapped by the Error of a Complete whose successor
// was not made as the predecessor's successor: the predecessor itself, a
// token of another owner (not found), or one whose name or scopes differ
// or that is older than the predecessor.
var ErrNotASuccessor = errors.New("losant: not a successor of the token")

// errNoRotation is the error of Complete on a Rotation that neither Start
// nor Resume made.
var errNoRotation = errors.New("losant: the Rotation was not made by rotation.Start or rotation.Resume")

// Step is the step of a rotation that failed, for a program to branch on;
// its String is the text Error.Error prints.
type Step int

// The steps of Start (OptionsStep to CreateSuccessorStep) and of Complete
// (ReadPredecessorStep to DeactivatePredecessorStep).
const (
	// OptionsStep: the Options were refused; nothing was sent.
	OptionsStep Step = iota + 1
	// ReadTokenStep: reading the token to rotate failed, it is inactive, or
	// the expiry its successor would keep is less than MinSuccessorLifetime
	// away.
	ReadTokenStep
	// CreateSuccessorStep: creating its successor failed, or its answer
	// was lost (see Error.Candidates).
	CreateSuccessorStep
	// ReadPredecessorStep: Complete could not read the predecessor.
	ReadPredecessorStep
	// CheckSuccessorStep: Complete refused the successor (not one, inactive
	// or expired), or could not read it.
	CheckSuccessorStep
	// DeactivatePredecessorStep: deactivating the predecessor failed, or
	// its answer was lost.
	DeactivatePredecessorStep
)

// String describes the step: "creating its successor".
func (s Step) String() string {
	switch s {
	case OptionsStep:
		return "reading the options"
	case ReadTokenStep:
		return "reading the token"
	case CreateSuccessorStep:
		return "creating its successor"
	case ReadPredecessorStep:
		return "reading the predecessor"
	case CheckSuccessorStep:
		return "checking the successor"
	case DeactivatePredecessorStep:
		return "deactivating the predecessor"
	}
	return fmt.Sprintf("rotation.Step(%d)", int(s))
}

// Error is the error of a rotation step. It says what failed and, in
// State, which tokens exist and which are active, so that the caller
// knows what to do next. Unwrap gives the step's own error.
type Error struct {
	// Step is the step that failed.
	Step Step
	// PredecessorID is the token being rotated; SuccessorID its successor,
	// empty when none was made. Either is empty when the ID given was not
	// an ObjectId: it is not kept, since a secret may have been passed in
	// its place.
	PredecessorID, SuccessorID string
	// State says, in English, which tokens exist and which are active, and
	// what to do next.
	State string
	// Candidates are the tokens that may be the successor a create made
	// whose answer was lost (the predecessor's name and scopes, made since
	// the rotation began), whose secret is lost with it. Another rotation
	// may have made one of them, so Start deletes none: delete those whose
	// secret no one holds. Empty when none was found or the tokens could
	// not be listed (State says which).
	Candidates []string
	// Err is the step's error.
	Err error
}

// Error says what failed and what state the tokens are in. It holds no
// secret: an ID is quoted only once it is known to be one, since a caller
// may have passed a secret in its place.
func (e *Error) Error() string {
	cause := "<nil>"
	if e.Err != nil {
		cause = strings.TrimPrefix(e.Err.Error(), "losant: ") // said once, in front
	}
	return fmt.Sprintf("losant: rotating API token %s: %s: %s. %s", printableID(e.PredecessorID), e.Step, cause, terminal.Safe(e.State))
}

// Unwrap returns the step's error.
func (e *Error) Unwrap() error { return e.Err }

// printableID is id if it is an ObjectId, or says that it is not one.
func printableID(id string) string {
	if limits.ObjectIDProblem(id) != "" {
		return "(not an API token ID)"
	}
	return id
}

// validID is id if it is an ObjectId, or empty.
func validID(id string) string {
	if limits.ObjectIDProblem(id) != "" {
		return ""
	}
	return id
}

// checkObjectID refuses an id (the argument field) that is not an
// ObjectId, as the root package's calls do, without quoting it.
func checkObjectID(field, id string) error {
	if problem := limits.ObjectIDProblem(id); problem != "" {
		return invalid(field, "%s", problem)
	}
	return nil
}

// invalid is the *losant.ArgumentError of an argument refused before
// anything was sent: errors.Is(err, losant.ErrInvalidArgument) holds.
func invalid(field, format string, args ...any) error {
	return &losant.ArgumentError{Field: field, Reason: fmt.Sprintf(format, args...)}
}
