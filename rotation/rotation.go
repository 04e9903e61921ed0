package rotation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
)

// Options change how Start makes the successor of a token. By default the
// successor keeps the predecessor's validity window: the same lifetime from
// now, never longer, or none if the predecessor never expires.
type Options struct {
	// ExpirationDate, when set, is the successor's expiry in place of the
	// predecessor's lifetime.
	ExpirationDate *time.Time
	// NeverExpires asks, explicitly, for a successor that never expires,
	// whatever the predecessor's expiry. It cannot be set with
	// ExpirationDate.
	NeverExpires bool
}

// MinSuccessorLifetime is the shortest lifetime Start gives a successor:
// an expiry sooner than this from now (asked for in Options, or kept from
// the predecessor's) is refused before anything is made, since the
// successor would expire before its secret could be put in place, and
// Complete would then leave no working token.
const MinSuccessorLifetime = time.Hour

// successorExpiry is the expiry of old's successor made at now, as opts
// ask: the same lifetime from now (now + its expiry - its creation date).
func successorExpiry(old *gen.APIToken, opts Options, now time.Time) *time.Time {
	switch {
	case opts.NeverExpires:
		return nil
	case opts.ExpirationDate != nil:
		return opts.ExpirationDate
	case old.ExpirationDate == nil:
		return nil
	case old.CreationDate.IsZero() || !old.ExpirationDate.After(old.CreationDate):
		return old.ExpirationDate // no lifetime to keep: no later than the predecessor
	}
	expiry := now.Add(old.ExpirationDate.Sub(old.CreationDate)).UTC().Truncate(time.Second)
	return &expiry
}

// Rotation is a token rotation under way: the successor exists and is
// active, and so is the predecessor, until Complete deactivates it. Put the
// successor's secret in place between the two.
type Rotation struct {
	// Predecessor is the token being replaced, as it was read before the
	// successor was made (and as it is after Complete).
	Predecessor *gen.APIToken
	// Successor is the new token. Successor.Token is its secret, the only
	// copy there is: no later call returns it.
	Successor *gen.APIToken

	tokens  losant.APITokenService // the owner's token actions
	opts    []losant.CallOption
	refused error // Resume's IDs failed the check: Complete returns this
}

// Start starts the rotation of one of the API tokens of tokens' owner: it
// makes its successor, with the same name, description, scopes and roles,
// and returns it with its secret. The old token stays active until the
// returned Rotation's Complete. An error is an *Error that says which
// tokens exist and which are active; when the create's answer is lost, its
// Candidates name every token that may be the successor (none is deleted).
func Start(ctx context.Context, tokens losant.APITokenService, apiTokenID string, rotate Options, opts ...losant.CallOption) (*Rotation, error) {
	fail := func(step Step, state string, err error) *Error {
		return &Error{Step: step, PredecessorID: validID(apiTokenID), State: state, Err: err}
	}
	id := printableID(apiTokenID)
	unchanged := fmt.Sprintf("No successor was made; %s is unchanged.", id)
	if rotate.NeverExpires && rotate.ExpirationDate != nil {
		return nil, fail(OptionsStep, unchanged, invalid("expirationDate", "rotation.Options sets both ExpirationDate and NeverExpires"))
	}
	if err := checkSuccessorLifetime(rotate.ExpirationDate, time.Now(), "rotation.Options.ExpirationDate"); err != nil {
		return nil, fail(OptionsStep, unchanged, err)
	}
	old, err := tokens.Get(ctx, apiTokenID, opts...)
	if err != nil {
		return nil, fail(ReadTokenStep, unchanged, err)
	}
	if old.Status != gen.APITokenStatusActive {
		return nil, fail(ReadTokenStep, fmt.Sprintf("No successor was made; %s is unchanged (status %q).", id, old.Status), ErrPredecessorInactive)
	}
	expiry := successorExpiry(old, rotate, time.Now())
	if err := checkSuccessorLifetime(expiry, time.Now(), "the predecessor's expiry"); err != nil {
		return nil, fail(ReadTokenStep, unchanged+" Give rotation.Options.ExpirationDate or NeverExpires.", err)
	}
	body := gen.APITokenPost{
		Name: old.Name, Scope: old.Scope, OrgRoles: old.OrgRoles,
		ExpirationDate: expiry, Status: losant.Ptr(gen.APITokenStatusActive),
	}
	if old.Description != "" {
		body.Description = losant.Ptr(old.Description)
	}
	if old.DefaultRole != "" {
		body.DefaultRole = losant.Ptr(old.DefaultRole)
	}
	began := time.Now()
	successor, err := tokens.Create(ctx, body, opts...)
	if err != nil {
		if surelyDidNothing(err) {
			return nil, fail(CreateSuccessorStep, fmt.Sprintf("No successor was made; %s is still active.", apiTokenID), err)
		}
		candidates, state := settleLostCreate(ctx, tokens, old, began, opts)
		rerr := fail(CreateSuccessorStep, state, err)
		rerr.Candidates = candidates
		return nil, rerr
	}
	return &Rotation{Predecessor: old, Successor: successor, tokens: tokens, opts: opts}, nil
}

// checkSuccessorLifetime refuses a successor expiry (from, for the error)
// that has passed or passes within MinSuccessorLifetime of now.
func checkSuccessorLifetime(expiry *time.Time, now time.Time, from string) error {
	if expiry == nil || expiry.Sub(now) >= MinSuccessorLifetime {
		return nil
	}
	return invalid("expirationDate", "%s, %s, is less than MinSuccessorLifetime (%s) away: the successor would expire before its secret is in place",
		from, expiry.UTC().Format(time.RFC3339), MinSuccessorLifetime)
}

// clockSkew is how far the API's clock may be behind this one: a token
// made that long before the rotation began may still be its successor.
const clockSkew = time.Minute

// settleLostCreate finds out what a create whose answer was lost may have
// done. The successor it may have made has old's name and scopes and was
// made after the rotation began; it returns every such token, and the
// state of the tokens. It deletes none: without the create's answer it
// cannot tell its own successor from one another rotation made.
func settleLostCreate(ctx context.Context, tokens losant.APITokenService, old *gen.APIToken, began time.Time, opts []losant.CallOption) (candidates []string, state string) {
	since := began.Add(-clockSkew)
	if old.CreationDate.After(since) {
		since = old.CreationDate
	}
	unknown := fmt.Sprintf("A successor may have been made, and its secret is lost: look for tokens named %q "+
		"made since %s, other than %s, and delete those whose secret no one holds; %s is still active.", old.Name, since.UTC().Format(time.RFC3339), old.ID, old.ID)
	for token, err := range tokens.All(ctx, losant.APITokenListOptions{FilterField: gen.APITokenFilterFieldName, Filter: old.Name}, opts...) {
		if err != nil {
			return nil, unknown
		}
		if token.ID != old.ID && token.Name == old.Name && slices.Equal(token.Scope, old.Scope) && !token.CreationDate.Before(since) {
			if validID(token.ID) == "" {
				return nil, unknown // a token the API names by what is not an ID
			}
			candidates = append(candidates, token.ID)
		}
	}
	if len(candidates) == 0 {
		return nil, fmt.Sprintf("No successor was made (no token named %q was made since the rotation began); %s is still active.", old.Name, old.ID)
	}
	return candidates, fmt.Sprintf("A successor may have been made, and its secret is lost: it may be %s "+
		"(named %q, made since the rotation began). None was deleted, since another rotation may have made it: "+
		"delete those whose secret no one holds. %s is still active.", strings.Join(candidates, ", "), old.Name, old.ID)
}

// Resume returns the Rotation of one of the tokens of tokens' owner by a
// successor made earlier (by Start, in this process or another), so that
// its Complete can be called: Predecessor and Successor hold only their
// IDs until then, and both tokens as read once Complete has checked them.
// An ID that is not one is not kept (a secret may have been passed in its
// place): its field is empty, and Complete refuses it, naming the argument.
func Resume(tokens losant.APITokenService, predecessorID, successorID string, opts ...losant.CallOption) *Rotation {
	r := &Rotation{Predecessor: &gen.APIToken{ID: validID(predecessorID)}, Successor: &gen.APIToken{ID: validID(successorID)}, tokens: tokens, opts: opts}
	r.refused = errors.Join(checkObjectID("predecessorID", predecessorID), checkObjectID("successorID", successorID))
	return r
}

// surelyDidNothing reports whether a write that failed with err did
// nothing: the call was refused before it was sent, or the API answered
// that it did nothing (4xx, 503) and no earlier attempt may have acted.
func surelyDidNothing(err error) bool {
	var apiErr *losant.Error
	switch {
	case errors.Is(err, losant.ErrInvalidArgument):
		return true
	case errors.Is(err, losant.ErrMayHaveActed):
		return false
	case errors.As(err, &apiErr):
		return apiErr.Err == nil && (apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 || apiErr.StatusCode == http.StatusServiceUnavailable)
	}
	return false
}

// Complete deactivates the predecessor, once the caller has put the
// successor's secret in place. It first reads both tokens and refuses a
// successor that is not one (ErrNotASuccessor: the predecessor itself, of
// another owner, name or scopes, or older), inactive or expired, so that a
// rotation never leaves no working token. An error says whether the
// predecessor may already be inactive; Complete can be called again. After
// it, Predecessor and Successor hold the tokens as read.
func (r *Rotation) Complete(ctx context.Context) error {
	if r == nil || r.Predecessor == nil || r.Successor == nil {
		return errNoRotation
	}
	oldID, newID := r.Predecessor.ID, r.Successor.ID
	fail := func(step Step, state string, err error) error {
		return &Error{Step: step, PredecessorID: validID(oldID), SuccessorID: validID(newID), State: state, Err: err}
	}
	left := fmt.Sprintf("%s was left as it was.", printableID(oldID))
	if r.refused != nil {
		step := CheckSuccessorStep
		if oldID == "" {
			step = ReadPredecessorStep
		}
		return fail(step, "Nothing was sent: "+left, r.refused)
	}
	if err := checkObjectID("apiTokenId", newID); err != nil {
		return fail(CheckSuccessorStep, left, err)
	}
	if newID == oldID {
		return fail(CheckSuccessorStep, left, fmt.Errorf("%w: it is the predecessor itself", ErrNotASuccessor))
	}
	old, err := r.tokens.Get(ctx, oldID, r.opts...)
	if err != nil {
		return fail(ReadPredecessorStep, left, err)
	}
	successor, err := r.tokens.Get(ctx, newID, r.opts...)
	if losant.StatusCode(err) == http.StatusNotFound {
		err = fmt.Errorf("%w: %s is not a token of %s (%w)", ErrNotASuccessor, newID, r.tokens.Owner(), err)
	}
	if err == nil {
		err = checkSuccessor(old, successor)
	}
	if err != nil {
		return fail(CheckSuccessorStep, left+fmt.Sprintf(" Successor %s is not active, not its successor, or could not be read.", newID), err)
	}
	patched, err := r.tokens.Patch(ctx, oldID, gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)}, r.opts...)
	if err != nil {
		state := fmt.Sprintf("%s is active; %s may already be inactive (the request may have reached the API): "+
			"read it with Get to know, and call Complete again if it is still active.", newID, oldID)
		if surelyDidNothing(err) {
			state = fmt.Sprintf("Both %s and %s are active; call Complete again.", oldID, newID)
		}
		return fail(DeactivatePredecessorStep, state, err)
	}
	r.Predecessor, r.Successor = patched, mergeSecret(successor, r.Successor)
	return nil
}

// checkSuccessor refuses a successor that Start did not make of old: the
// same name and scopes, created no earlier, active and not expired.
func checkSuccessor(old, successor *gen.APIToken) error {
	switch {
	case successor.Name != old.Name || !slices.Equal(successor.Scope, old.Scope):
		return fmt.Errorf("%w: its name or scopes differ from the predecessor's", ErrNotASuccessor)
	case successor.CreationDate.Before(old.CreationDate):
		return fmt.Errorf("%w: it is older than the predecessor", ErrNotASuccessor)
	case successor.Status != gen.APITokenStatusActive:
		return fmt.Errorf("its status is %q", successor.Status)
	case successor.ExpirationDate != nil && !successor.ExpirationDate.After(time.Now()):
		return fmt.Errorf("it expired at %s", successor.ExpirationDate.UTC().Format(time.RFC3339))
	}
	return nil
}

// mergeSecret returns read with the secret Start returned, if any: the
// successor as read, without losing the one copy of its secret.
func mergeSecret(read, made *gen.APIToken) *gen.APIToken {
	if made != nil && made.Token != "" {
		read.Token = made.Token
	}
	return read
}
