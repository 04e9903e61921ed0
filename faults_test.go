package losant_test

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
	"github.com/specdriven/losant/internal/harness/faultproxy"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// proxyClient acts as bearer through w's fault proxy, retrying at once,
// each attempt bounded by a timeout long enough for a loaded machine (a
// test of stalled answers gives a shorter one).
func proxyClient(t *testing.T, w *testworld.World, bearer losanttest.Token, opts ...losant.Option) *losant.Client {
	t.Helper()
	return w.ProxyClient(t, bearer, append([]losant.Option{losant.WithRetry(fastRetries), losant.WithTimeout(2 * time.Second)}, opts...)...)
}

// stallTimeout bounds the attempts of the tests whose answers stall.
const stallTimeout = 300 * time.Millisecond

// direct reads what the fake holds, around the proxy.
func direct(t *testing.T, w *testworld.World, o testworld.Owner) losant.APITokenService {
	t.Helper()
	return w.Client(t, o.Bearer).APITokens(o.Owner)
}

// An idempotent call whose answer is cut or stalls midway is retried like
// a dropped connection, for every owner and action, and succeeds.
func TestCutAndStalledAnswersAreRetried(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	for _, o := range w.Owners(t) {
		for _, fault := range []faultproxy.Fault{faultproxy.CutBody, faultproxy.StallBody, faultproxy.DropAfter} {
			tokens := proxyClient(t, w, o.Bearer, losant.WithTimeout(stallTimeout)).APITokens(o.Owner)
			calls := map[string]func() error{
				"Get": func() error { _, err := tokens.Get(ctx, o.Target.ID); return err },
				"Patch": func() error {
					_, err := tokens.Patch(ctx, o.Target.ID, losant.APITokenPatch{Description: losant.Ptr(fault.String())})
					return err
				},
				"List": func() error { _, err := tokens.List(ctx, losant.APITokenListOptions{}); return err },
			}
			for name, call := range calls {
				t.Run(o.Name()+"/"+name+"/"+fault.String(), func(t *testing.T) {
					before := w.Proxy.Requests()
					w.Proxy.Set(faultproxy.Sequence(fault))
					require.NoError(t, call())
					// The faulted attempt, then one that went through (or more,
					// on a machine slow enough to time a fair attempt out).
					assert.GreaterOrEqual(t, w.Proxy.Requests()-before, 2)
				})
			}
			got, err := direct(t, w, o).Get(ctx, o.Target.ID)
			require.NoError(t, err)
			assert.Equal(t, fault.String(), got.Description)
		}
	}
}

// A create whose answer is cut is not retried: the API made the token,
// and the error says so.
func TestCreateWhoseAnswerIsLostSaysItMayHaveActed(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	for _, o := range w.Owners(t) {
		for _, fault := range []faultproxy.Fault{faultproxy.CutBody, faultproxy.DropAfter} {
			t.Run(o.Name()+"/"+fault.String(), func(t *testing.T) {
				name := "lost " + fault.String()
				before := w.Proxy.Requests()
				w.Proxy.Set(faultproxy.Sequence(fault))
				_, err := proxyClient(t, w, o.Bearer).APITokens(o.Owner).Create(ctx, losant.APITokenPost{Name: name, Scope: o.Target.Scope})
				require.ErrorIs(t, err, losant.ErrMayHaveActed)
				assert.Equal(t, 1, w.Proxy.Requests()-before, "not retried")
				assert.Equal(t, 1, countNamed(t, direct(t, w, o), name), "the token was made")
			})
		}
	}
}

// A Delete whose first attempt deleted the token but lost the answer
// succeeds on the retry's 404; a Delete of a token that was never there is
// still not found.
func TestDeleteIsIdempotentForTheCaller(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	for _, o := range w.Owners(t) {
		for _, fault := range []faultproxy.Fault{faultproxy.DropAfter, faultproxy.CutBody, faultproxy.StallBody} {
			t.Run(o.Name()+"/"+fault.String(), func(t *testing.T) {
				made, err := direct(t, w, o).Create(ctx, losant.APITokenPost{Name: "to delete", Scope: o.Target.Scope})
				require.NoError(t, err)
				w.Proxy.Set(faultproxy.Sequence(fault))
				require.NoError(t, proxyClient(t, w, o.Bearer, losant.WithTimeout(stallTimeout)).APITokens(o.Owner).Delete(ctx, made.ID))
				_, err = direct(t, w, o).Get(ctx, made.ID)
				assert.True(t, losant.IsNotFound(err), "deleted")

				err = proxyClient(t, w, o.Bearer).APITokens(o.Owner).Delete(ctx, made.ID)
				assert.True(t, losant.IsNotFound(err), "a first-attempt 404 is an error: %v", err)
				assert.False(t, errors.Is(err, losant.ErrMayHaveActed))
			})
		}
	}
}

// A write whose every attempt may have reached the API, or whose last
// attempt was refused after an earlier one may have, says so.
func TestWritesWhoseOutcomeIsUnknownSaySo(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	o := w.Owners(t)[0]
	patch := losant.APITokenPatch{Description: losant.Ptr("unknown")}

	w.Proxy.Set(faultproxy.Always(faultproxy.DropAfter))
	_, err := proxyClient(t, w, o.Bearer).APITokens(o.Owner).Patch(ctx, o.Target.ID, patch)
	require.ErrorIs(t, err, losant.ErrMayHaveActed)
	got, gerr := direct(t, w, o).Get(ctx, o.Target.ID)
	require.NoError(t, gerr)
	assert.Equal(t, "unknown", got.Description, "it had acted")

	// The first attempt acts and its answer is lost; the fake then
	// answers 429 to every retry.
	w.Proxy.Set(faultproxy.Sequence(faultproxy.DropAfter))
	w.Server.Inject(losanttest.Fault{}, 1)
	w.Server.Inject(losanttest.Fault{Status: http.StatusTooManyRequests}, 0)
	defer w.Server.ClearFaults()
	_, err = proxyClient(t, w, o.Bearer).APITokens(o.Owner).Patch(ctx, o.Target.ID, losant.APITokenPatch{Description: losant.Ptr("again")})
	assert.True(t, losant.IsRateLimited(err), "the last attempt's error: %v", err)
	assert.ErrorIs(t, err, losant.ErrMayHaveActed)
	assert.Contains(t, err.Error(), "may have reached the API")

	w.Proxy.Set(faultproxy.Always(faultproxy.Pass))
	_, err = proxyClient(t, w, o.Bearer).APITokens(o.Owner).Patch(ctx, o.Target.ID, patch)
	assert.True(t, losant.IsRateLimited(err))
	assert.False(t, errors.Is(err, losant.ErrMayHaveActed), "429 on every attempt: nothing was done")
}

// countNamed counts the owner's tokens named name.
func countNamed(t *testing.T, tokens losant.APITokenService, name string) int {
	t.Helper()
	n := 0
	for tok, err := range tokens.All(context.Background(), losant.APITokenListOptions{}) {
		t.Run(fmt.Sprint(tok), func(t *testing.T) {
			require.NoError(t, err)
			if tok.Name == name {
				n++
			}
		})
	}
	return n
}

// A rotation whose create acted but whose answer was lost finds the
// successor it may have made, by name, scopes and time, names it as a
// candidate, and deletes nothing: it cannot prove the token is its own.
// Another token of the same name made before the rotation is not named.
func TestRotationWhoseCreateAnswerIsLostLeavesNoUnnamedOrphan(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	isPost := faultproxy.Method(http.MethodPost)
	for _, o := range w.Owners(t) {
		direct := direct(t, w, o)
		old, err := direct.Create(ctx, losant.APITokenPost{Name: "rotated", Scope: o.Target.Scope})
		require.NoError(t, err)
		twin := w.Server.AddToken(losanttest.Token{Name: "rotated", Scope: o.Target.Scope, OwnerType: o.Target.OwnerType,
			OwnerID: o.Target.OwnerID, CreationDate: time.Now().Add(-time.Hour)})
		tokens := proxyClient(t, w, o.Bearer).APITokens(o.Owner)

		t.Run(o.Name()+"/named", func(t *testing.T) {
			w.Proxy.Set(faultproxy.Only(isPost, faultproxy.Sequence(faultproxy.CutBody)))
			_, err := tokens.Rotate(ctx, old.ID, losant.RotateOptions{})
			var rerr *losant.RotationError
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
			_, err := tokens.Rotate(ctx, old.ID, losant.RotateOptions{})
			var rerr *losant.RotationError
			require.ErrorAs(t, err, &rerr)
			assert.Empty(t, rerr.Candidates)
			assert.Contains(t, rerr.State, `A successor may have been made, and its secret is lost: look for tokens named "rotated" made since`)
			assert.Contains(t, rerr.State, "other than "+old.ID+", and delete those whose secret no one holds; "+old.ID+" is still active.")
		})
		w.Proxy.Set(faultproxy.Always(faultproxy.Pass))
		got, err := direct.Get(ctx, old.ID)
		require.NoError(t, err)
		assert.Equal(t, losant.APITokenStatusActive, got.Status)
	}
}

// A colleague's rotation of another token of the same name and scopes is
// in flight when this rotation's create is lost before the API saw it: the
// colleague's live successor is the one token that matches. It is named,
// never deleted, and the colleague's service keeps its working token.
func TestLostCreateNeverDeletesAColleaguesSuccessor(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	o := w.Owners(t)[0]
	direct := direct(t, w, o)
	mine, err := direct.Create(ctx, losant.APITokenPost{Name: "service", Scope: o.Target.Scope})
	require.NoError(t, err)
	theirs := w.Server.AddToken(losanttest.Token{Name: "service", Scope: o.Target.Scope, OwnerType: o.Target.OwnerType,
		OwnerID: o.Target.OwnerID, CreationDate: time.Now().Add(-time.Hour)})
	theirRotation, err := direct.Rotate(ctx, theirs.ID, losant.RotateOptions{})
	require.NoError(t, err)
	require.NoError(t, theirRotation.Complete(ctx))
	theirSuccessor := theirRotation.Successor

	w.Proxy.Set(faultproxy.Only(faultproxy.Method(http.MethodPost), faultproxy.Sequence(faultproxy.DropBefore)))
	_, err = proxyClient(t, w, o.Bearer).APITokens(o.Owner).Rotate(ctx, mine.ID, losant.RotateOptions{})
	w.Proxy.Set(faultproxy.Always(faultproxy.Pass))
	var rerr *losant.RotationError
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, []string{theirSuccessor.ID}, rerr.Candidates)
	got, err := w.Server.Client(theirSuccessor.Token).APITokens(o.Owner).Get(ctx, theirSuccessor.ID)
	require.NoError(t, err, "the colleague's successor still exists and its secret still works")
	assert.Equal(t, losant.APITokenStatusActive, got.Status)
}

// A deactivation that reached the API on some attempt but whose answers
// were all lost, or whose last attempt was refused, says the predecessor
// may already be inactive, and Complete again finishes the rotation.
func TestCompleteWhoseDeactivationIsAmbiguousSaysSo(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	isPatch := faultproxy.Method(http.MethodPatch)
	for _, o := range w.Owners(t) {
		for name, setup := range map[string]func(){
			"every answer lost": func() { w.Proxy.Set(faultproxy.Only(isPatch, faultproxy.Always(faultproxy.DropAfter))) },
			"lost, then 429": func() {
				w.Proxy.Set(faultproxy.Only(isPatch, faultproxy.Sequence(faultproxy.DropAfter)))
				w.Server.Inject(losanttest.Fault{}, 3) // two reads and the first patch go through
				w.Server.Inject(losanttest.Fault{Status: http.StatusTooManyRequests}, 0)
			},
		} {
			t.Run(o.Name()+"/"+name, func(t *testing.T) {
				defer w.Server.ClearFaults()
				tokens := proxyClient(t, w, o.Bearer).APITokens(o.Owner)
				old, err := direct(t, w, o).Create(ctx, losant.APITokenPost{Name: "ambiguous", Scope: o.Target.Scope})
				require.NoError(t, err)
				r, err := tokens.Rotate(ctx, old.ID, losant.RotateOptions{})
				require.NoError(t, err)
				setup()
				err = r.Complete(ctx)
				var rerr *losant.RotationError
				require.ErrorAs(t, err, &rerr)
				assert.Equal(t, r.Successor.ID+" is active; "+old.ID+" may already be inactive (the request may have reached the API): "+
					"read it with Get to know, and call Complete again if it is still active.", rerr.State)
				w.Server.ClearFaults()
				w.Proxy.Set(faultproxy.Always(faultproxy.Pass))
				got, err := direct(t, w, o).Get(ctx, old.ID)
				require.NoError(t, err)
				assert.Equal(t, losant.APITokenStatusInactive, got.Status, "it was deactivated")

				require.NoError(t, r.Complete(ctx), "completing again is safe")
				assert.Equal(t, losant.APITokenStatusInactive, r.Predecessor.Status)
			})
		}
	}
}

// When other tokens of the same name and scopes were made since the
// rotation began (other rotations of same-named tokens, say), Rotate
// cannot tell which one it made: it deletes none and names them all.
func TestRotationThatCannotTellItsSuccessorNamesEveryCandidate(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaultProxy())
	ctx := context.Background()
	o := w.Owners(t)[0]
	direct := direct(t, w, o)
	old, err := direct.Create(ctx, losant.APITokenPost{Name: "twins", Scope: o.Target.Scope})
	require.NoError(t, err)
	twin, err := direct.Create(ctx, losant.APITokenPost{Name: "twins", Scope: o.Target.Scope})
	require.NoError(t, err)
	w.Proxy.Set(faultproxy.Only(faultproxy.Method(http.MethodPost), faultproxy.Sequence(faultproxy.DropAfter)))
	_, err = proxyClient(t, w, o.Bearer).APITokens(o.Owner).Rotate(ctx, old.ID, losant.RotateOptions{})
	var rerr *losant.RotationError
	require.ErrorAs(t, err, &rerr)
	assert.Contains(t, rerr.State, "A successor may have been made, and its secret is lost: it may be "+twin.ID+", ")
	assert.Contains(t, rerr.State, `(named "twins", made since the rotation began). None was deleted`)
	assert.Len(t, rerr.Candidates, 2, "the twin and the successor")
	assert.Contains(t, rerr.Candidates, twin.ID)
	assert.Equal(t, 3, countNamed(t, direct, "twins"), "none was deleted")
}
