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
	"github.com/specdriven/losant/gen"
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
					_, err := tokens.Patch(ctx, o.Target.ID, gen.APITokenPatch{Description: losant.Ptr(fault.String())})
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
				_, err := proxyClient(t, w, o.Bearer).APITokens(o.Owner).Create(ctx, gen.APITokenPost{Name: name, Scope: o.Target.Scope})
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
				made, err := direct(t, w, o).Create(ctx, gen.APITokenPost{Name: "to delete", Scope: o.Target.Scope})
				require.NoError(t, err)
				w.Proxy.Set(faultproxy.Sequence(fault))
				require.NoError(t, proxyClient(t, w, o.Bearer, losant.WithTimeout(stallTimeout)).APITokens(o.Owner).Delete(ctx, made.ID))
				_, err = direct(t, w, o).Get(ctx, made.ID)
				assert.True(t, losant.StatusCode(err) == http.StatusNotFound, "deleted")

				err = proxyClient(t, w, o.Bearer).APITokens(o.Owner).Delete(ctx, made.ID)
				assert.True(t, losant.StatusCode(err) == http.StatusNotFound, "a first-attempt 404 is an error: %v", err)
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
	patch := gen.APITokenPatch{Description: losant.Ptr("unknown")}

	w.Proxy.Set(faultproxy.Always(faultproxy.DropAfter))
	_, err := proxyClient(t, w, o.Bearer).APITokens(o.Owner).Patch(ctx, o.Target.ID, patch)
	require.ErrorIs(t, err, losant.ErrMayHaveActed)
	got, gerr := direct(t, w, o).Get(ctx, o.Target.ID)
	require.NoError(t, gerr)
	assert.Equal(t, "unknown", got.Description, "it had acted")

	// The first attempt acts and its answer is lost; the fake then
	// answers 429 to every retry.
	w.Proxy.Set(faultproxy.Sequence(faultproxy.DropAfter))
	w.Server.Inject(losanttest.Fault{}, losanttest.Times(1))
	w.Server.Inject(losanttest.Fault{Status: http.StatusTooManyRequests}, losanttest.Times(0))
	defer w.Server.ClearFaults()
	_, err = proxyClient(t, w, o.Bearer).APITokens(o.Owner).Patch(ctx, o.Target.ID, gen.APITokenPatch{Description: losant.Ptr("again")})
	assert.True(t, losant.StatusCode(err) == http.StatusTooManyRequests, "the last attempt's error: %v", err)
	assert.ErrorIs(t, err, losant.ErrMayHaveActed)
	assert.Contains(t, err.Error(), "may have reached the API")

	w.Proxy.Set(faultproxy.Always(faultproxy.Pass))
	_, err = proxyClient(t, w, o.Bearer).APITokens(o.Owner).Patch(ctx, o.Target.ID, patch)
	assert.True(t, losant.StatusCode(err) == http.StatusTooManyRequests)
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
