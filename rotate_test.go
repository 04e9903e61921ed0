package losant_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

func TestRotationMakesASuccessorThenRetiresTheToken(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, appOld := rotatable(t, w)
	ctx := context.Background()
	expiry := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	r, err := client.APITokens(losant.User()).Rotate(ctx, userOld.ID, losant.RotateOptions{ExpirationDate: &expiry})
	require.NoError(t, err)
	s := r.Successor
	assert.NotEqual(t, userOld.ID, s.ID)
	assert.NotEmpty(t, s.Token, "the successor's secret")
	assert.Equal(t, []any{userOld.Name, userOld.Description, userOld.Scope, userOld.DefaultRole, userOld.OrgRoles},
		[]any{s.Name, s.Description, s.Scope, s.DefaultRole, s.OrgRoles}, "the successor is the predecessor's copy")
	assert.Equal(t, expiry, *s.ExpirationDate)
	assert.Equal(t, losant.APITokenStatusActive, tokenStatus(t, client, userOld.ID), "the predecessor works until Complete")

	_, err = w.Server.Client(s.Token).APITokens(losant.User()).Get(ctx, s.ID)
	require.NoError(t, err, "the new secret works")
	require.NoError(t, r.Complete(ctx))
	assert.Equal(t, losant.APITokenStatusInactive, r.Predecessor.Status)
	assert.Equal(t, losant.APITokenStatusInactive, tokenStatus(t, client, userOld.ID))
	assert.Equal(t, losant.APITokenStatusActive, tokenStatus(t, client, s.ID))

	app, err := client.APITokens(losant.Application(w.App.ID)).Rotate(ctx, appOld.ID, losant.RotateOptions{})
	require.NoError(t, err)
	assert.Nil(t, app.Successor.ExpirationDate, "no expiry unless given")
	require.NoError(t, app.Complete(ctx))
	old, err := client.APITokens(losant.Application(w.App.ID)).Get(ctx, appOld.ID)
	require.NoError(t, err)
	assert.Equal(t, losant.APITokenStatusInactive, old.Status)
}

// A create that fails leaves the token as it was, and says whether a
// successor may exist.
func TestRotationWhoseCreateFailsLeavesTheTokenActive(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	ctx := context.Background()
	before := userTokens(t, client)
	for _, tc := range []struct {
		fault losanttest.Fault
		state string
	}{
		{losanttest.Fault{Status: 503}, "No successor was made; " + userOld.ID + " is still active."},
		{losanttest.Fault{Status: 403}, "No successor was made; " + userOld.ID + " is still active."},
		// The fake drops the request before acting; Rotate lists to know.
		{losanttest.Fault{Drop: true}, `No successor was made (no token named "ci" was made since the rotation began); ` + userOld.ID + " is still active."},
	} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			w.Server.Inject(losanttest.Fault{}, 1) // the read goes through
			w.Server.Inject(tc.fault, 1)
			r, err := client.APITokens(losant.User()).Rotate(ctx, userOld.ID, losant.RotateOptions{})
			assert.Nil(t, r)
			var rerr *losant.RotationError
			require.ErrorAs(t, err, &rerr)
			assert.Equal(t, losant.CreateSuccessorStep, rerr.Step)
			assert.Equal(t, tc.state, rerr.State)
			assert.Empty(t, rerr.SuccessorID)
			assert.Contains(t, err.Error(), tc.state)
			assert.Equal(t, losant.APITokenStatusActive, tokenStatus(t, client, userOld.ID))
		})
	}
	assert.Equal(t, before, userTokens(t, client), "no successor exists")

	_, err := client.APITokens(losant.User()).Rotate(ctx, "000000000000000000000000", losant.RotateOptions{})
	var rerr *losant.RotationError
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, losant.ReadTokenStep, rerr.Step)
	assert.True(t, losant.IsNotFound(err), "the step's error is reachable: %v", err)
}

// A deactivation that fails after the create leaves both tokens active,
// never neither, keeps the secret, and can be completed again.
func TestRotationWhoseDeactivationFailsLeavesBothActive(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	ctx := context.Background()
	r, err := client.APITokens(losant.User()).Rotate(ctx, userOld.ID, losant.RotateOptions{})
	require.NoError(t, err)
	secret := r.Successor.Token

	w.Server.Inject(losanttest.Fault{}, 2) // reading both tokens goes through
	w.Server.Inject(losanttest.Fault{Status: 503}, 1)
	err = r.Complete(ctx)
	var rerr *losant.RotationError
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, losant.DeactivatePredecessorStep, rerr.Step)
	assert.Equal(t, r.Successor.ID, rerr.SuccessorID)
	assert.Contains(t, rerr.State, "Both "+userOld.ID+" and "+r.Successor.ID+" are active")
	assert.NotContains(t, err.Error(), secret)
	assert.Equal(t, losant.APITokenStatusActive, tokenStatus(t, client, userOld.ID))
	assert.Equal(t, losant.APITokenStatusActive, tokenStatus(t, client, r.Successor.ID))
	assert.Equal(t, secret, r.Successor.Token, "the secret is kept")

	require.NoError(t, r.Complete(ctx), "completed again")
	assert.Equal(t, losant.APITokenStatusInactive, tokenStatus(t, client, userOld.ID))
}

// A successor deactivated (or deleted) before Complete stops it: the
// predecessor stays active, so that no rotation leaves neither working.
func TestRotationNeverLeavesBothInactive(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	ctx := context.Background()
	r, err := client.APITokens(losant.User()).Rotate(ctx, userOld.ID, losant.RotateOptions{})
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Patch(ctx, r.Successor.ID, losant.APITokenPatch{Status: losant.Ptr(losant.APITokenStatusInactive)})
	require.NoError(t, err)
	err = r.Complete(ctx)
	var rerr *losant.RotationError
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, losant.CheckSuccessorStep, rerr.Step)
	assert.Equal(t, losant.APITokenStatusActive, tokenStatus(t, client, userOld.ID))

	require.NoError(t, client.APITokens(losant.User()).Delete(ctx, r.Successor.ID))
	err = r.Complete(ctx)
	require.ErrorAs(t, err, &rerr)
	assert.True(t, losant.IsNotFound(errors.Unwrap(err)))
	assert.Equal(t, losant.APITokenStatusActive, tokenStatus(t, client, userOld.ID))
}

// A rotation started in one process can be completed in another, from the
// two IDs.
func TestResumedRotationCompletes(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, appOld := rotatable(t, w)
	ctx := context.Background()
	r, err := client.APITokens(losant.Application(w.App.ID)).Rotate(ctx, appOld.ID, losant.RotateOptions{})
	require.NoError(t, err)
	resumed := client.APITokens(losant.Application(w.App.ID)).ResumeRotation(appOld.ID, r.Successor.ID)
	require.NoError(t, resumed.Complete(ctx))
	assert.Equal(t, losant.APITokenStatusInactive, resumed.Predecessor.Status)

	u, err := client.APITokens(losant.User()).Rotate(ctx, userOld.ID, losant.RotateOptions{})
	require.NoError(t, err)
	require.NoError(t, client.APITokens(losant.User()).ResumeRotation(userOld.ID, u.Successor.ID).Complete(ctx))
	assert.Equal(t, losant.APITokenStatusInactive, tokenStatus(t, client, userOld.ID))
}

// A successor keeps its predecessor's validity window: the same lifetime
// from now, never longer; an explicit expiry or NeverExpires overrides it.
func TestRotationKeepsTheValidityWindow(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, _, _ := rotatable(t, w)
	ctx := context.Background()
	tokens := client.APITokens(losant.User())
	created := time.Now()
	expires := created.Add(10 * 24 * time.Hour)
	old, err := tokens.Create(ctx, losant.APITokenPost{Name: "short-lived", Scope: []string{"all.User.read"}, ExpirationDate: &expires})
	require.NoError(t, err)
	lifetime := old.ExpirationDate.Sub(old.CreationDate)

	before := time.Now()
	r, err := tokens.Rotate(ctx, old.ID, losant.RotateOptions{})
	require.NoError(t, err)
	require.NotNil(t, r.Successor.ExpirationDate, "a token that expires is not replaced by one that never does")
	got := r.Successor.ExpirationDate.Sub(before)
	assert.InDelta(t, lifetime.Seconds(), got.Seconds(), 5, "the same lifetime from now")

	never, err := tokens.Rotate(ctx, old.ID, losant.RotateOptions{NeverExpires: true})
	require.NoError(t, err)
	assert.Nil(t, never.Successor.ExpirationDate, "none, when asked explicitly")

	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	given, err := tokens.Rotate(ctx, old.ID, losant.RotateOptions{ExpirationDate: &at})
	require.NoError(t, err)
	assert.Equal(t, at, *given.Successor.ExpirationDate)

	_, err = tokens.Rotate(ctx, old.ID, losant.RotateOptions{ExpirationDate: &at, NeverExpires: true})
	assert.ErrorIs(t, err, losant.ErrInvalidArgument)
}

// An inactive token is not rotated: nothing is made.
func TestRotationRefusesAnInactiveToken(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	ctx := context.Background()
	tokens := client.APITokens(losant.User())
	_, err := tokens.Patch(ctx, userOld.ID, losant.APITokenPatch{Status: losant.Ptr(losant.APITokenStatusInactive)})
	require.NoError(t, err)
	before := userTokens(t, client)
	_, err = tokens.Rotate(ctx, userOld.ID, losant.RotateOptions{})
	assert.ErrorIs(t, err, losant.ErrPredecessorInactive)
	assert.Equal(t, before, userTokens(t, client), "nothing was made")
}

// Complete refuses a successor Rotate did not make, before it deactivates
// anything: the predecessor itself, an unrelated token, a token of another
// owner, or an ID that is not one (never quoted: it may be a secret).
func TestCompleteRefusesWhatIsNotASuccessor(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, appOld := rotatable(t, w)
	ctx := context.Background()
	tokens := client.APITokens(losant.User())
	unrelated, err := tokens.Create(ctx, losant.APITokenPost{Name: "other", Scope: []string{"all.User.read"}})
	require.NoError(t, err)
	for name, successor := range map[string]string{
		"itself":          userOld.ID,
		"unrelated":       unrelated.ID,
		"another owner's": appOld.ID,
		"a secret":        "lsnt_not_an_id_but_a_secret",
	} {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			err := tokens.ResumeRotation(userOld.ID, successor).Complete(ctx)
			require.Error(t, err, name)
			if name != "a secret" {
				assert.ErrorIs(t, err, losant.ErrNotASuccessor, name)
			}
			assert.NotContains(t, err.Error(), "lsnt_", name)
			assert.Equal(t, losant.APITokenStatusActive, tokenStatus(t, client, userOld.ID), "%s: nothing was deactivated", name)
		})
	}
}

// A resumed rotation's Complete fills in both tokens as read.
func TestResumedCompleteReadsBothTokens(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	ctx := context.Background()
	tokens := client.APITokens(losant.User())
	r, err := tokens.Rotate(ctx, userOld.ID, losant.RotateOptions{})
	require.NoError(t, err)
	resumed := tokens.ResumeRotation(userOld.ID, r.Successor.ID)
	require.NoError(t, resumed.Complete(ctx))
	assert.Equal(t, userOld.Name, resumed.Successor.Name)
	assert.False(t, resumed.Successor.CreationDate.IsZero())
	assert.Equal(t, losant.APITokenStatusInactive, resumed.Predecessor.Status)
	assert.Equal(t, userOld.Name, resumed.Predecessor.Name)
}

// No rotation error quotes what is not an ID: a caller who passed the
// access token in its place does not see it printed.
func TestRotationErrorsNeverQuoteASecret(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, _, _ := rotatable(t, w)
	secret := w.Server.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"all.User"}}).Secret
	_, err := client.APITokens(losant.User()).Rotate(context.Background(), secret, losant.RotateOptions{})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret)
}

// A deactivation whose answer is lost may have reached the API: Complete
// says so, and how to find out, rather than that both tokens are active.
func TestCompleteWhoseAnswerIsLostSaysThePredecessorMayBeInactive(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	ctx := context.Background()
	r, err := client.APITokens(losant.User()).Rotate(ctx, userOld.ID, losant.RotateOptions{})
	require.NoError(t, err)
	w.Server.Inject(losanttest.Fault{}, 2) // reading both tokens goes through
	w.Server.Inject(losanttest.Fault{Drop: true}, 1)
	err = r.Complete(ctx)
	var rerr *losant.RotationError
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, losant.DeactivatePredecessorStep, rerr.Step)
	assert.Contains(t, rerr.State, userOld.ID+" may already be inactive")
	assert.Contains(t, rerr.State, "read it with Get")
	assert.NotContains(t, rerr.State, "Both")
}

// A rotation never leaves no working token: a successor expiry that has
// passed, or that is less than MinSuccessorLifetime away, is refused
// before anything is made, whether it was asked for or kept from the
// predecessor; and Complete refuses a successor that has expired.
func TestRotationNeverMakesASuccessorThatExpiresTooSoon(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	ctx := context.Background()
	tokens := client.APITokens(losant.User())
	owner := w.User.ID
	soon := time.Now().Add(losant.MinSuccessorLifetime - time.Minute)
	past := time.Now().Add(-time.Hour)
	shortLived := w.Server.AddToken(losanttest.Token{Name: "short", OwnerType: losant.APITokenOwnerTypeUser, OwnerID: owner,
		Scope: []string{"all.User.read"}, CreationDate: time.Now().Add(-time.Minute), ExpirationDate: losant.Ptr(time.Now().Add(10 * time.Minute))})
	for _, tc := range []struct {
		name string
		id   string
		opts losant.RotateOptions
		step losant.RotationStep
	}{
		{"an expiry that has passed", userOld.ID, losant.RotateOptions{ExpirationDate: &past}, losant.RotateOptionsStep},
		{"an expiry minutes away", userOld.ID, losant.RotateOptions{ExpirationDate: &soon}, losant.RotateOptionsStep},
		{"a predecessor whose lifetime is ten minutes", shortLived.ID, losant.RotateOptions{}, losant.ReadTokenStep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := userTokens(t, client)
			_, err := tokens.Rotate(ctx, tc.id, tc.opts)
			require.ErrorIs(t, err, losant.ErrInvalidArgument)
			var rerr *losant.RotationError
			require.ErrorAs(t, err, &rerr)
			assert.Equal(t, tc.step, rerr.Step)
			assert.Contains(t, err.Error(), "MinSuccessorLifetime")
			assert.Equal(t, before, userTokens(t, client), "nothing was made")
		})
	}
	never, err := tokens.Rotate(ctx, shortLived.ID, losant.RotateOptions{NeverExpires: true})
	require.NoError(t, err, "the short-lived token rotates once a lifetime is given")
	require.NoError(t, never.Complete(ctx))

	t.Run("Complete refuses an expired successor", func(t *testing.T) {
		expired := w.Server.AddToken(losanttest.Token{Name: userOld.Name, OwnerType: losant.APITokenOwnerTypeUser, OwnerID: owner,
			Scope: userOld.Scope, ExpirationDate: &past})
		err := tokens.ResumeRotation(userOld.ID, expired.ID).Complete(ctx)
		var rerr *losant.RotationError
		require.ErrorAs(t, err, &rerr)
		assert.Equal(t, losant.CheckSuccessorStep, rerr.Step)
		assert.Contains(t, err.Error(), "expired")
		assert.Equal(t, losant.APITokenStatusActive, tokenStatus(t, client, userOld.ID), "the predecessor still works")
	})
}
