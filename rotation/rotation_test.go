package rotation_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
	"github.com/specdriven/losant/rotation"
)

func TestRotationMakesASuccessorThenRetiresTheToken(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, appOld := rotatable(t, w)
	ctx := context.Background()
	expiry := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	r, err := rotation.Start(ctx, client.APITokens(losant.User()), userOld.ID, rotation.Options{ExpirationDate: &expiry})
	require.NoError(t, err)
	s := r.Successor
	assert.NotEqual(t, userOld.ID, s.ID)
	assert.NotEmpty(t, s.Token, "the successor's secret")
	assert.Equal(t, []any{userOld.Name, userOld.Description, userOld.Scope, userOld.DefaultRole, userOld.OrgRoles},
		[]any{s.Name, s.Description, s.Scope, s.DefaultRole, s.OrgRoles}, "the successor is the predecessor's copy")
	assert.Equal(t, expiry, *s.ExpirationDate)
	assert.Equal(t, gen.APITokenStatusActive, tokenStatus(t, client, userOld.ID), "the predecessor works until Complete")

	_, err = w.Server.Client(s.Token).APITokens(losant.User()).Get(ctx, s.ID)
	require.NoError(t, err, "the new secret works")
	require.NoError(t, r.Complete(ctx))
	assert.Equal(t, gen.APITokenStatusInactive, r.Predecessor.Status)
	assert.Equal(t, gen.APITokenStatusInactive, tokenStatus(t, client, userOld.ID))
	assert.Equal(t, gen.APITokenStatusActive, tokenStatus(t, client, s.ID))

	app, err := rotation.Start(ctx, client.APITokens(losant.Application(w.App.ID)), appOld.ID, rotation.Options{})
	require.NoError(t, err)
	assert.Nil(t, app.Successor.ExpirationDate, "no expiry unless given")
	require.NoError(t, app.Complete(ctx))
	old, err := client.APITokens(losant.Application(w.App.ID)).Get(ctx, appOld.ID)
	require.NoError(t, err)
	assert.Equal(t, gen.APITokenStatusInactive, old.Status)
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
			w.Server.Inject(losanttest.Fault{}, losanttest.Times(1)) // the read goes through
			w.Server.Inject(tc.fault, losanttest.Times(1))
			r, err := rotation.Start(ctx, client.APITokens(losant.User()), userOld.ID, rotation.Options{})
			assert.Nil(t, r)
			var rerr *rotation.Error
			require.ErrorAs(t, err, &rerr)
			assert.Equal(t, rotation.CreateSuccessorStep, rerr.Step)
			assert.Equal(t, tc.state, rerr.State)
			assert.Empty(t, rerr.SuccessorID)
			assert.Contains(t, err.Error(), tc.state)
			assert.Equal(t, gen.APITokenStatusActive, tokenStatus(t, client, userOld.ID))
		})
	}
	assert.Equal(t, before, userTokens(t, client), "no successor exists")

	_, err := rotation.Start(ctx, client.APITokens(losant.User()), "000000000000000000000000", rotation.Options{})
	var rerr *rotation.Error
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, rotation.ReadTokenStep, rerr.Step)
	assert.True(t, losant.StatusCode(err) == http.StatusNotFound, "the step's error is reachable: %v", err)
}

// A deactivation that fails after the create leaves both tokens active,
// never neither, keeps the secret, and can be completed again.
func TestRotationWhoseDeactivationFailsLeavesBothActive(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	ctx := context.Background()
	r, err := rotation.Start(ctx, client.APITokens(losant.User()), userOld.ID, rotation.Options{})
	require.NoError(t, err)
	secret := r.Successor.Token

	w.Server.Inject(losanttest.Fault{}, losanttest.Times(2)) // reading both tokens goes through
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(1))
	err = r.Complete(ctx)
	var rerr *rotation.Error
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, rotation.DeactivatePredecessorStep, rerr.Step)
	assert.Equal(t, r.Successor.ID, rerr.SuccessorID)
	assert.Contains(t, rerr.State, "Both "+userOld.ID+" and "+r.Successor.ID+" are active")
	assert.NotContains(t, err.Error(), secret)
	assert.Equal(t, gen.APITokenStatusActive, tokenStatus(t, client, userOld.ID))
	assert.Equal(t, gen.APITokenStatusActive, tokenStatus(t, client, r.Successor.ID))
	assert.Equal(t, secret, r.Successor.Token, "the secret is kept")

	require.NoError(t, r.Complete(ctx), "completed again")
	assert.Equal(t, gen.APITokenStatusInactive, tokenStatus(t, client, userOld.ID))
}

// A successor deactivated (or deleted) before Complete stops it: the
// predecessor stays active, so that no rotation leaves neither working.
func TestRotationNeverLeavesBothInactive(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	ctx := context.Background()
	r, err := rotation.Start(ctx, client.APITokens(losant.User()), userOld.ID, rotation.Options{})
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Patch(ctx, r.Successor.ID, gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)})
	require.NoError(t, err)
	err = r.Complete(ctx)
	var rerr *rotation.Error
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, rotation.CheckSuccessorStep, rerr.Step)
	assert.Equal(t, gen.APITokenStatusActive, tokenStatus(t, client, userOld.ID))

	require.NoError(t, client.APITokens(losant.User()).Delete(ctx, r.Successor.ID))
	err = r.Complete(ctx)
	require.ErrorAs(t, err, &rerr)
	assert.True(t, losant.StatusCode(errors.Unwrap(err)) == http.StatusNotFound)
	assert.Equal(t, gen.APITokenStatusActive, tokenStatus(t, client, userOld.ID))
}

// A rotation started in one process can be completed in another, from the
// two IDs.
func TestResumedRotationCompletes(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, appOld := rotatable(t, w)
	ctx := context.Background()
	r, err := rotation.Start(ctx, client.APITokens(losant.Application(w.App.ID)), appOld.ID, rotation.Options{})
	require.NoError(t, err)
	resumed := rotation.Resume(client.APITokens(losant.Application(w.App.ID)), appOld.ID, r.Successor.ID)
	require.NoError(t, resumed.Complete(ctx))
	assert.Equal(t, gen.APITokenStatusInactive, resumed.Predecessor.Status)

	u, err := rotation.Start(ctx, client.APITokens(losant.User()), userOld.ID, rotation.Options{})
	require.NoError(t, err)
	require.NoError(t, rotation.Resume(client.APITokens(losant.User()), userOld.ID, u.Successor.ID).Complete(ctx))
	assert.Equal(t, gen.APITokenStatusInactive, tokenStatus(t, client, userOld.ID))
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
	old, err := tokens.Create(ctx, gen.APITokenPost{Name: "short-lived", Scope: []string{"all.User.read"}, ExpirationDate: &expires})
	require.NoError(t, err)
	lifetime := old.ExpirationDate.Sub(old.CreationDate)

	before := time.Now()
	r, err := rotation.Start(ctx, tokens, old.ID, rotation.Options{})
	require.NoError(t, err)
	require.NotNil(t, r.Successor.ExpirationDate, "a token that expires is not replaced by one that never does")
	got := r.Successor.ExpirationDate.Sub(before)
	assert.InDelta(t, lifetime.Seconds(), got.Seconds(), 5, "the same lifetime from now")

	never, err := rotation.Start(ctx, tokens, old.ID, rotation.Options{NeverExpires: true})
	require.NoError(t, err)
	assert.Nil(t, never.Successor.ExpirationDate, "none, when asked explicitly")

	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	given, err := rotation.Start(ctx, tokens, old.ID, rotation.Options{ExpirationDate: &at})
	require.NoError(t, err)
	assert.Equal(t, at, *given.Successor.ExpirationDate)

	_, err = rotation.Start(ctx, tokens, old.ID, rotation.Options{ExpirationDate: &at, NeverExpires: true})
	assert.ErrorIs(t, err, losant.ErrInvalidArgument)
}

// An inactive token is not rotated: nothing is made.
func TestRotationRefusesAnInactiveToken(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	ctx := context.Background()
	tokens := client.APITokens(losant.User())
	_, err := tokens.Patch(ctx, userOld.ID, gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)})
	require.NoError(t, err)
	before := userTokens(t, client)
	_, err = rotation.Start(ctx, tokens, userOld.ID, rotation.Options{})
	assert.ErrorIs(t, err, rotation.ErrPredecessorInactive)
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
	unrelated, err := tokens.Create(ctx, gen.APITokenPost{Name: "other", Scope: []string{"all.User.read"}})
	require.NoError(t, err)
	for name, successor := range map[string]string{
		"itself":          userOld.ID,
		"unrelated":       unrelated.ID,
		"another owner's": appOld.ID,
		"a secret":        "lsnt_not_an_id_but_a_secret",
	} {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			err := rotation.Resume(tokens, userOld.ID, successor).Complete(ctx)
			require.Error(t, err, name)
			if name != "a secret" {
				assert.ErrorIs(t, err, rotation.ErrNotASuccessor, name)
			}
			assert.NotContains(t, err.Error(), "lsnt_", name)
			assert.Equal(t, gen.APITokenStatusActive, tokenStatus(t, client, userOld.ID), "%s: nothing was deactivated", name)
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
	r, err := rotation.Start(ctx, tokens, userOld.ID, rotation.Options{})
	require.NoError(t, err)
	resumed := rotation.Resume(tokens, userOld.ID, r.Successor.ID)
	require.NoError(t, resumed.Complete(ctx))
	assert.Equal(t, userOld.Name, resumed.Successor.Name)
	assert.False(t, resumed.Successor.CreationDate.IsZero())
	assert.Equal(t, gen.APITokenStatusInactive, resumed.Predecessor.Status)
	assert.Equal(t, userOld.Name, resumed.Predecessor.Name)
}

// No rotation error quotes what is not an ID: a caller who passed the
// access token in its place does not see it printed.
func TestRotationErrorsNeverQuoteASecret(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, _, _ := rotatable(t, w)
	secret := w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"all.User"}}).Secret
	_, err := rotation.Start(context.Background(), client.APITokens(losant.User()), secret, rotation.Options{})
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
	r, err := rotation.Start(ctx, client.APITokens(losant.User()), userOld.ID, rotation.Options{})
	require.NoError(t, err)
	w.Server.Inject(losanttest.Fault{}, losanttest.Times(2)) // reading both tokens goes through
	w.Server.Inject(losanttest.Fault{Drop: true}, losanttest.Times(1))
	err = r.Complete(ctx)
	var rerr *rotation.Error
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, rotation.DeactivatePredecessorStep, rerr.Step)
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
	soon := time.Now().Add(rotation.MinSuccessorLifetime - time.Minute)
	past := time.Now().Add(-time.Hour)
	shortLived := w.Server.AddToken(losanttest.Token{Name: "short", OwnerType: gen.APITokenOwnerTypeUser, OwnerID: owner,
		Scope: []string{"all.User.read"}, CreationDate: time.Now().Add(-time.Minute), ExpirationDate: losant.Ptr(time.Now().Add(10 * time.Minute))})
	for _, tc := range []struct {
		name string
		id   string
		opts rotation.Options
		step rotation.Step
	}{
		{"an expiry that has passed", userOld.ID, rotation.Options{ExpirationDate: &past}, rotation.OptionsStep},
		{"an expiry minutes away", userOld.ID, rotation.Options{ExpirationDate: &soon}, rotation.OptionsStep},
		{"a predecessor whose lifetime is ten minutes", shortLived.ID, rotation.Options{}, rotation.ReadTokenStep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := userTokens(t, client)
			_, err := rotation.Start(ctx, tokens, tc.id, tc.opts)
			require.ErrorIs(t, err, losant.ErrInvalidArgument)
			var rerr *rotation.Error
			require.ErrorAs(t, err, &rerr)
			assert.Equal(t, tc.step, rerr.Step)
			assert.Contains(t, err.Error(), "MinSuccessorLifetime")
			assert.Equal(t, before, userTokens(t, client), "nothing was made")
		})
	}
	never, err := rotation.Start(ctx, tokens, shortLived.ID, rotation.Options{NeverExpires: true})
	require.NoError(t, err, "the short-lived token rotates once a lifetime is given")
	require.NoError(t, never.Complete(ctx))

	t.Run("Complete refuses an expired successor", func(t *testing.T) {
		expired := w.Server.AddToken(losanttest.Token{Name: userOld.Name, OwnerType: gen.APITokenOwnerTypeUser, OwnerID: owner,
			Scope: userOld.Scope, ExpirationDate: &past})
		err := rotation.Resume(tokens, userOld.ID, expired.ID).Complete(ctx)
		var rerr *rotation.Error
		require.ErrorAs(t, err, &rerr)
		assert.Equal(t, rotation.CheckSuccessorStep, rerr.Step)
		assert.Contains(t, err.Error(), "expired")
		assert.Equal(t, gen.APITokenStatusActive, tokenStatus(t, client, userOld.ID), "the predecessor still works")
	})
}
