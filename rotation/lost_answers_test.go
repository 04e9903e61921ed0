package rotation_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/faultproxy"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
	"github.com/specdriven/losant/rotation"
)

// A rotation whose create acted but whose answer was lost finds the
// successor it may have made, by name, scopes and time, names it as a
// candidate, and deletes nothing: it cannot prove the token is its own.
// Another token of the same name made before the rotation is not named.
func TestRotationWhoseCreateAnswerIsLostLeavesNoUnnamedOrphan(t *testing.T) {
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	isPost := faultproxy.Method(http.MethodPost)
	for _, o := range w.Owners(t) {
		direct := direct(t, w, o)
		old, err := direct.Create(ctx, gen.APITokenPost{Name: "rotated", Scope: o.Target.Scope})
		require.NoError(t, err)
		twin := w.Server.AddToken(losanttest.Token{Name: "rotated", Scope: o.Target.Scope, OwnerType: o.Target.OwnerType,
			OwnerID: o.Target.OwnerID, CreationDate: time.Now().Add(-time.Hour)})
		tokens := proxyClient(t, w, o.Bearer).APITokens(o.Owner)

		t.Run(o.Name()+"/named", func(t *testing.T) {
			w.Proxy.Set(faultproxy.Only(isPost, faultproxy.Sequence(faultproxy.CutBody)))
			_, err := rotation.Start(ctx, tokens, old.ID, rotation.Options{})
			var rerr *rotation.Error
			require.ErrorAs(t, err, &rerr)
			assert.ErrorIs(t, err, losant.ErrMayHaveActed)
			require.Len(t, rerr.Candidates, 1)
			candidate := rerr.Candidates[0]
			assert.NotEqual(t, twin.ID, candidate)
			assert.Contains(t, rerr.State, "it may be "+candidate+` (named "rotated", made since the rotation began). None was deleted`)
			assert.Contains(t, rerr.State, old.ID+" is still active.")
			made, err := direct.Get(ctx, candidate)
			require.NoError(t, err, "the candidate named is the one that exists")
			assert.Equal(t, "rotated", made.Name)
			require.NoError(t, direct.Delete(ctx, candidate))
		})
		t.Run(o.Name()+"/unknown", func(t *testing.T) {
			w.Proxy.Set(func(r *http.Request) faultproxy.Fault {
				if isPost(r) {
					return faultproxy.DropBefore
				}
				if r.URL.Query().Has("filter") {
					return faultproxy.DropBefore // the list that would find out
				}
				return faultproxy.Pass
			})
			_, err := rotation.Start(ctx, tokens, old.ID, rotation.Options{})
			var rerr *rotation.Error
			require.ErrorAs(t, err, &rerr)
			assert.Empty(t, rerr.Candidates)
			assert.Contains(t, rerr.State, `A successor may have been made, and its secret is lost: look for tokens named "rotated" made since`)
			assert.Contains(t, rerr.State, "other than "+old.ID+", and delete those whose secret no one holds; "+old.ID+" is still active.")
		})
		w.Proxy.Set(faultproxy.Always(faultproxy.Pass))
		got, err := direct.Get(ctx, old.ID)
		require.NoError(t, err)
		assert.Equal(t, gen.APITokenStatusActive, got.Status)
	}
}

// A colleague's rotation of another token of the same name and scopes is
// in flight when this rotation's create is lost before the API saw it: the
// colleague's live successor is the one token that matches. It is named,
// never deleted, and the colleague's service keeps its working token.
func TestLostCreateNeverDeletesAColleaguesSuccessor(t *testing.T) {
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	o := w.Owners(t)[0]
	direct := direct(t, w, o)
	mine, err := direct.Create(ctx, gen.APITokenPost{Name: "service", Scope: o.Target.Scope})
	require.NoError(t, err)
	theirs := w.Server.AddToken(losanttest.Token{Name: "service", Scope: o.Target.Scope, OwnerType: o.Target.OwnerType,
		OwnerID: o.Target.OwnerID, CreationDate: time.Now().Add(-time.Hour)})
	theirRotation, err := rotation.Start(ctx, direct, theirs.ID, rotation.Options{})
	require.NoError(t, err)
	require.NoError(t, theirRotation.Complete(ctx))
	theirSuccessor := theirRotation.Successor

	w.Proxy.Set(faultproxy.Only(faultproxy.Method(http.MethodPost), faultproxy.Sequence(faultproxy.DropBefore)))
	_, err = rotation.Start(ctx, proxyClient(t, w, o.Bearer).APITokens(o.Owner), mine.ID, rotation.Options{})
	w.Proxy.Set(faultproxy.Always(faultproxy.Pass))
	var rerr *rotation.Error
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, []string{theirSuccessor.ID}, rerr.Candidates)
	got, err := w.Server.Client(theirSuccessor.Token).APITokens(o.Owner).Get(ctx, theirSuccessor.ID)
	require.NoError(t, err, "the colleague's successor still exists and its secret still works")
	assert.Equal(t, gen.APITokenStatusActive, got.Status)
}

// A deactivation that reached the API on some attempt but whose answers
// were all lost, or whose last attempt was refused, says the predecessor
// may already be inactive, and Complete again finishes the rotation.
func TestCompleteWhoseDeactivationIsAmbiguousSaysSo(t *testing.T) {
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	isPatch := faultproxy.Method(http.MethodPatch)
	for _, o := range w.Owners(t) {
		for name, setup := range map[string]func(){
			"every answer lost": func() { w.Proxy.Set(faultproxy.Only(isPatch, faultproxy.Always(faultproxy.DropAfter))) },
			"lost, then 429": func() {
				w.Proxy.Set(faultproxy.Only(isPatch, faultproxy.Sequence(faultproxy.DropAfter)))
				w.Server.Inject(losanttest.Fault{}, losanttest.Times(3)) // two reads and the first patch go through
				w.Server.Inject(losanttest.Fault{Status: http.StatusTooManyRequests}, losanttest.Times(0))
			},
		} {
			t.Run(o.Name()+"/"+name, func(t *testing.T) {
				defer w.Server.ClearFaults()
				tokens := proxyClient(t, w, o.Bearer).APITokens(o.Owner)
				old, err := direct(t, w, o).Create(ctx, gen.APITokenPost{Name: "ambiguous", Scope: o.Target.Scope})
				require.NoError(t, err)
				r, err := rotation.Start(ctx, tokens, old.ID, rotation.Options{})
				require.NoError(t, err)
				setup()
				err = r.Complete(ctx)
				var rerr *rotation.Error
				require.ErrorAs(t, err, &rerr)
				assert.Equal(t, r.Successor.ID+" is active; "+old.ID+" may already be inactive (the request may have reached the API): "+
					"read it with Get to know, and call Complete again if it is still active.", rerr.State)
				w.Server.ClearFaults()
				w.Proxy.Set(faultproxy.Always(faultproxy.Pass))
				got, err := direct(t, w, o).Get(ctx, old.ID)
				require.NoError(t, err)
				assert.Equal(t, gen.APITokenStatusInactive, got.Status, "it was deactivated")

				require.NoError(t, r.Complete(ctx), "completing again is safe")
				assert.Equal(t, gen.APITokenStatusInactive, r.Predecessor.Status)
			})
		}
	}
}

// When other tokens of the same name and scopes were made since the
// rotation began (other rotations of same-named tokens, say), Rotate
// cannot tell which one it made: it deletes none and names them all.
func TestRotationThatCannotTellItsSuccessorNamesEveryCandidate(t *testing.T) {
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	o := w.Owners(t)[0]
	direct := direct(t, w, o)
	old, err := direct.Create(ctx, gen.APITokenPost{Name: "twins", Scope: o.Target.Scope})
	require.NoError(t, err)
	twin, err := direct.Create(ctx, gen.APITokenPost{Name: "twins", Scope: o.Target.Scope})
	require.NoError(t, err)
	w.Proxy.Set(faultproxy.Only(faultproxy.Method(http.MethodPost), faultproxy.Sequence(faultproxy.DropAfter)))
	_, err = rotation.Start(ctx, proxyClient(t, w, o.Bearer).APITokens(o.Owner), old.ID, rotation.Options{})
	var rerr *rotation.Error
	require.ErrorAs(t, err, &rerr)
	assert.Contains(t, rerr.State, "A successor may have been made, and its secret is lost: it may be "+twin.ID+", ")
	assert.Contains(t, rerr.State, `(named "twins", made since the rotation began). None was deleted`)
	assert.Len(t, rerr.Candidates, 2, "the twin and the successor")
	assert.Contains(t, rerr.Candidates, twin.ID)
	assert.Equal(t, 3, countNamed(t, direct, "twins"), "none was deleted")
}
