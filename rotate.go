package losant

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// RotateOptions change how Rotate makes the successor of a token.
type RotateOptions struct {
	// ExpirationDate is the successor's. Nil gives it none: the old token's
	// expiry has usually passed, or nearly, when it is rotated.
	ExpirationDate *time.Time
}

// Rotation is a token rotation under way: the successor exists and is
// active, and so is the predecessor, until Complete deactivates it. Put the
// successor's secret in place between the two.
type Rotation struct {
	// Predecessor is the token being replaced, as it was read before the
	// successor was made (and as it is after Complete).
	Predecessor *APIToken
	// Successor is the new token. Successor.Token is its secret, the only
	// copy there is: no later call returns it.
	Successor *APIToken

	tokens APITokenService // the owner's token actions
	opts   []CallOption
}

// RotationError is the error of a rotation step. It says what failed and,
// in State, which tokens exist and which are active, so that the caller
// knows what to do next. Unwrap gives the step's own error.
type RotationError struct {
	// Step is what failed: "reading the token", "creating its successor",
	// "checking the successor" or "deactivating the predecessor".
	Step string
	// PredecessorID is the token being rotated; SuccessorID its successor,
	// empty when none was made.
	PredecessorID, SuccessorID string
	// State says which tokens exist and which are active.
	State string
	// Err is the step's error.
	Err error
}

// Error says what failed and what state the tokens are in. It holds no
// secret.
func (e *RotationError) Error() string {
	return fmt.Sprintf("losant: rotating API token %s: %s: %v. %s", e.PredecessorID, e.Step, e.Err, e.State)
}

// Unwrap returns the step's error.
func (e *RotationError) Unwrap() error { return e.Err }

// Rotate starts the rotation of one of the owner's API tokens: it makes
// its successor, with the same name, description, scopes and roles, and
// returns it with its secret. The old token stays active until the
// returned Rotation's Complete. An error is a *RotationError that says
// which tokens exist and which are active.
func (s APITokenService) Rotate(ctx context.Context, apiTokenID string, rotate RotateOptions, opts ...CallOption) (*Rotation, error) {
	fail := func(step, state string, err error) error {
		return &RotationError{Step: step, PredecessorID: apiTokenID, State: state, Err: err}
	}
	old, err := s.Get(ctx, apiTokenID, opts...)
	if err != nil {
		return nil, fail("reading the token", fmt.Sprintf("No successor was made; %s is unchanged.", apiTokenID), err)
	}
	body := APITokenPost{
		Name: old.Name, Scope: old.Scope, OrgRoles: old.OrgRoles,
		ExpirationDate: rotate.ExpirationDate, Status: Ptr(APITokenStatusActive),
	}
	if old.Description != "" {
		body.Description = Ptr(old.Description)
	}
	if old.DefaultRole != "" {
		body.DefaultRole = Ptr(old.DefaultRole)
	}
	successor, err := s.Create(ctx, body, opts...)
	if err != nil {
		state := fmt.Sprintf("No successor was made; %s is still active.", apiTokenID)
		if !surelyNotCreated(err) {
			state = fmt.Sprintf("A successor may have been made (look for tokens named %q); %s is still active.", old.Name, apiTokenID)
		}
		return nil, fail("creating its successor", state, err)
	}
	return &Rotation{Predecessor: old, Successor: successor, tokens: s, opts: opts}, nil
}

// ResumeRotation returns the Rotation of one of the owner's tokens by a
// successor made earlier (by Rotate, in this process or another), so that
// its Complete can be called: Predecessor and Successor hold only their
// IDs until then.
func (s APITokenService) ResumeRotation(predecessorID, successorID string, opts ...CallOption) *Rotation {
	return &Rotation{Predecessor: &APIToken{ID: predecessorID}, Successor: &APIToken{ID: successorID}, tokens: s, opts: opts}
}

// surelyNotCreated reports whether a create that failed with err made
// nothing: the call was refused before it was sent, or the API answered
// that it did nothing (4xx, 503).
func surelyNotCreated(err error) bool {
	var apiErr *Error
	switch {
	case errors.Is(err, ErrInvalidArgument):
		return true
	case errors.As(err, &apiErr):
		return apiErr.Err == nil && (apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 || apiErr.StatusCode == http.StatusServiceUnavailable)
	}
	return false
}

// Complete deactivates the predecessor, once the caller has put the
// successor's secret in place. It first checks that the successor is still
// active, so that a rotation never leaves both tokens inactive. On an
// error, both tokens are left active, and Complete can be called again.
func (r *Rotation) Complete(ctx context.Context) error {
	oldID, newID := r.Predecessor.ID, r.Successor.ID
	fail := func(step, state string, err error) error {
		return &RotationError{Step: step, PredecessorID: oldID, SuccessorID: newID, State: state, Err: err}
	}
	current, err := r.tokens.Get(ctx, newID, r.opts...)
	if err == nil && current.Status != APITokenStatusActive {
		err = fmt.Errorf("its status is %q", current.Status)
	}
	if err != nil {
		return fail("checking the successor", fmt.Sprintf("%s was left active; successor %s is not active or could not be read.", oldID, newID), err)
	}
	old, err := r.tokens.Patch(ctx, oldID, APITokenPatch{Status: Ptr(APITokenStatusInactive)}, r.opts...)
	if err != nil {
		return fail("deactivating the predecessor", fmt.Sprintf("Both %s and %s are active; call Complete again.", oldID, newID), err)
	}
	r.Predecessor = old
	return nil
}
