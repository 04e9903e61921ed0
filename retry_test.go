package losant_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// retryingClient acts as w's user and retries as fastRetries says unless
// opts say otherwise; every exchange that completes is checked against the
// spec.
func retryingClient(t *testing.T, w *testworld.World, opts ...losant.Option) *losant.Client {
	t.Helper()
	return w.Client(t, w.UserBearer, append([]losant.Option{losant.WithRetry(fastRetries)}, opts...)...)
}

// attempts counts the requests the fake received, faulted or not.
func attempts(w *testworld.World) int { return len(w.Server.Requests()) }

func TestTransientFailuresAreRetried(t *testing.T) {
	t.Parallel()
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	for name, fault := range map[string]losanttest.Fault{
		"429":                            {Status: 429},
		"429 Retry-After 0":              {Status: 429, RetryAfter: "0"},
		"503 Retry-After past date":      {Status: 503, RetryAfter: past},
		"502":                            {Status: 502},
		"504":                            {Status: 504},
		"dropped connection":             {Drop: true},
		"503 after latency":              {Status: 503, Latency: 5 * time.Millisecond},
		"503 with unreadable RetryAfter": {Status: 503, RetryAfter: "soon"},
	} {
		t.Run(name, func(t *testing.T) {
			w := testworld.New(t, testworld.WithFaults())
			client := retryingClient(t, w)
			w.Server.Inject(fault, losanttest.Times(3))
			tok, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
			require.NoError(t, err, "the 4th attempt of 4 succeeds")
			assert.Equal(t, w.UserTarget.ID, tok.ID)
			assert.Equal(t, 4, attempts(w))
		})
	}
}

func TestOtherFailuresAreNotRetried(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 401, 403, 404, 405, 409, 422, 500, 501} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			w := testworld.New(t, testworld.WithFaults())
			client := retryingClient(t, w)
			w.Server.Inject(losanttest.Fault{Status: status}, losanttest.Times(3))
			_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
			var apiErr *losant.Error
			require.ErrorAs(t, err, &apiErr, "%d", status)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Equal(t, 1, attempts(w), "%d is not retried", status)
		})
	}
	w := testworld.New(t, testworld.WithFaults())
	w.Server.Inject(losanttest.Fault{Malformed: true}, losanttest.Times(3))
	// Unchecked: the malformed answer is off the spec on purpose.
	unchecked := w.Server.Client(w.UserBearer.Secret, losant.WithRetry(fastRetries))
	_, err := unchecked.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr, "a malformed 200")
	assert.Equal(t, 200, apiErr.StatusCode)
	assert.Equal(t, 1, attempts(w), "a malformed 200 is not retried")
}

func TestRetriesStopAtMaxAttempts(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	client := retryingClient(t, w, losant.WithRetry(losant.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond}))
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(0))
	_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr, "the last answer is returned, as an API error")
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, "Fault", apiErr.Type)
	assert.Equal(t, 3, attempts(w))

	// A fresh fake: no pooled connection that net/http would itself retry on.
	w = testworld.New(t, testworld.WithFaults())
	client = retryingClient(t, w, losant.WithRetry(losant.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond}))
	w.Server.Inject(losanttest.Fault{Drop: true}, losanttest.Times(0))
	_, err = client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.Error(t, err)
	assert.False(t, errors.As(err, &apiErr), "no answer is no API error")
	assert.Equal(t, 3, attempts(w))
}

func TestWithoutRetriesSendsOnce(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	client := retryingClient(t, w, losant.WithoutRetries())
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(1))
	_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	assert.Equal(t, 503, statusOf(err))
	assert.Equal(t, 1, attempts(w))
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	client := retryingClient(t, w)
	w.Server.Inject(losanttest.Fault{Status: 429, RetryAfter: "1"}, losanttest.Times(1))
	start := time.Now()
	_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), time.Second, "not retried before Retry-After")
	assert.Equal(t, 2, attempts(w))
}

// A Retry-After beyond MaxWait is not waited out: the call returns the
// answer that asked for it, whichever form the header takes.
func TestRetryAfterBeyondMaxWaitIsNotWaited(t *testing.T) {
	t.Parallel()
	for _, after := range []string{"3600", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)} {
		t.Run(after, func(t *testing.T) {
			w := testworld.New(t, testworld.WithFaults())
			client := retryingClient(t, w)
			w.Server.Inject(losanttest.Fault{Status: 503, RetryAfter: after}, losanttest.Times(1))
			_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
			assert.Equal(t, 503, statusOf(err), after)
			assert.Equal(t, 1, attempts(w), after)
		})
	}
}

func TestContextStopsRetriesAtOnce(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	client := retryingClient(t, w, losant.WithRetry(losant.RetryPolicy{MaxAttempts: 10, MinWait: time.Minute, MaxWait: time.Hour}))
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(0))
	ctx, cancel := context.WithCancel(context.Background()) // no deadline: the wait begins
	defer cancel()
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	assert.ErrorIs(t, err, context.Canceled, "the wait of a minute was cut short")
	assert.Equal(t, 1, attempts(w))
}

// A client timeout ends a slow attempt, and the next attempt is made.
func TestSlowAttemptIsRetried(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	client := w.Server.Client(w.UserBearer.Secret, losant.WithRetry(fastRetries), // the caller's http.Client, checked
		losant.WithHTTPClient(&http.Client{Timeout: 100 * time.Millisecond, Transport: w.Transport()}))
	w.Server.Inject(losanttest.Fault{Latency: 10 * time.Second}, losanttest.Times(1))
	_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.NoError(t, err)
	// The fake records the abandoned attempt once its handler sees the
	// client gone, which on a loaded machine may come after the retry.
	assert.Eventually(t, func() bool { return attempts(w) == 2 }, 5*time.Second, 10*time.Millisecond, "attempts: %d", attempts(w))
}

// Without an http.Client of the caller's, WithTimeout (DefaultTimeout
// unless given) ends a slow attempt, and the next attempt is made.
func TestSlowAttemptIsRetriedByTheDefaultTimeout(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	client := w.Server.Client(w.UserBearer.Secret, losant.WithRetry(fastRetries), losant.WithTimeout(200*time.Millisecond))
	w.Server.Inject(losanttest.Fault{Latency: 2 * time.Minute}, losanttest.Times(1))
	start := time.Now()
	_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.NoError(t, err)
	// A bound far from both: the attempt ends in 200 ms, and waited out
	// it would take two minutes; a loaded machine is slow, not that slow.
	assert.Less(t, time.Since(start), time.Minute, "the slow attempt was not waited out")
	// The abandoned attempt is recorded once the fake sees the client gone.
	assert.Eventually(t, func() bool { return attempts(w) == 2 }, 5*time.Second, 10*time.Millisecond, "attempts: %d", attempts(w))
}

// A response whose body stalls midway is ended by the attempt's timeout,
// with an error that says so.
func TestStalledBodyIsEnded(t *testing.T) {
	t.Parallel()
	url := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonType)
		w.Header().Set("Content-Length", "1000")
		_, _ = io.WriteString(w, `{"name": "`)
		w.(http.Flusher).Flush()
		<-r.Context().Done() // stall until the client gives up
	})).URL
	client, err := losant.NewClient(testToken, losant.WithBaseURL(url), losant.WithTimeout(200*time.Millisecond), losant.WithoutRetries())
	require.NoError(t, err)
	start := time.Now()
	_, err = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), time.Minute, "ended by the 200 ms timeout, not by the test's")
}

// Every attempt of a patch carries the whole body, and the patch is made.
func TestRetriedPatchResendsItsBody(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies []string
	var calls atomic.Int32
	url := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", jsonType)
		_, _ = io.WriteString(w, tokenJSON)
	})).URL
	client, err := losant.NewClient(testToken, losant.WithBaseURL(url), losant.WithRetry(fastRetries))
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Patch(context.Background(), apiTokenID, examplePatch)
	require.NoError(t, err)
	require.Len(t, bodies, 3)
	for _, b := range bodies {
		assert.JSONEq(t, patchJSON, b)
	}

	w := testworld.New(t, testworld.WithFaults())
	w.Server.Inject(losanttest.Fault{Status: 502}, losanttest.Times(2))
	_, err = retryingClient(t, w).APITokens(losant.User()).Patch(context.Background(), w.UserTarget.ID, gen.APITokenPatch{Name: losant.Ptr("renamed")})
	require.NoError(t, err)
	got, err := retryingClient(t, w).APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.NoError(t, err)
	assert.Equal(t, "renamed", got.Name, "the fake validated and applied the retried body")
}

// Many goroutines share one client while the fake fails a third of the
// time; every call succeeds through retries. Run with -race.
func TestConcurrentCallsRetryThroughFaults(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	client := retryingClient(t, w, losant.WithRetry(losant.RetryPolicy{MaxAttempts: 10, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}))
	const goroutines, calls = 32, 10
	for i := 0; i < goroutines*calls/3; i++ {
		w.Server.Inject([]losanttest.Fault{{Status: 503}, {Status: 429}, {Drop: true}}[i%3], losanttest.Times(1))
	}
	inParallel(t, goroutines, func(int) error {
		for i := 0; i < calls; i++ {
			if _, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID); err != nil {
				return err
			}
		}
		return nil
	})
	assert.Equal(t, goroutines*calls+goroutines*calls/3, attempts(w))
}

func statusOf(err error) int {
	var apiErr *losant.Error
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

// A create done twice makes two tokens: it is retried only when the answer
// says nothing was done (429, 503), never after a dropped connection, a
// 502 or a 504, which may come after the token was made.
func TestCreateIsRetriedOnlyWhenNothingWasDone(t *testing.T) {
	t.Parallel()
	create := func(client *losant.Client) error {
		_, err := client.APITokens(losant.User()).Create(context.Background(), gen.APITokenPost{Name: "once", Scope: []string{"all.User.read"}})
		return err
	}
	for _, fault := range []losanttest.Fault{{Status: 429}, {Status: 503}} {
		t.Run(fmt.Sprint(fault), func(t *testing.T) {
			w := testworld.New(t, testworld.WithFaults())
			w.Server.Inject(fault, losanttest.Times(2))
			require.NoError(t, create(retryingClient(t, w)), "%d", fault.Status)
			assert.Equal(t, 3, attempts(w), "%d is retried", fault.Status)
		})
	}
	for name, fault := range map[string]losanttest.Fault{"502": {Status: 502}, "504": {Status: 504}, "drop": {Drop: true}} {
		t.Run(name, func(t *testing.T) {
			w := testworld.New(t, testworld.WithFaults())
			w.Server.Inject(fault, losanttest.Times(1))
			assert.Error(t, create(retryingClient(t, w)), name)
			assert.Equal(t, 1, attempts(w), "%s is not retried", name)
		})
	}
}

// A call that runs out of attempts leaves the pooled connections of the
// other calls alone.
func TestGivingUpKeepsPooledConnections(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	client := retryingClient(t, w, losant.WithRetry(losant.RetryPolicy{MaxAttempts: 2, MaxWait: time.Millisecond}))
	ctx := context.Background()
	_, err := client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	require.NoError(t, err)
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(2))
	_, err = client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	assert.Equal(t, 503, statusOf(err))
	_, err = client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, w.Server.Connections(), "the one connection was kept")
}

// A 429 whose Retry-After would outlast the caller's deadline is returned
// at once, with its RetryAfter and the API's message, rather than waited
// on until the deadline turns it into context.DeadlineExceeded: a service
// can answer 503 with Retry-After.
func TestAWaitThatCannotFitTheDeadlineReturnsTheAnswer(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	client := retryingClient(t, w, losant.WithRetry(losant.RetryPolicy{MaxAttempts: 4, MinWait: time.Millisecond, MaxWait: time.Minute}))
	w.Server.Inject(losanttest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "30"}, losanttest.Times(0))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	require.True(t, losant.StatusCode(err) == http.StatusTooManyRequests, "the 429 itself, not a deadline: %v", err)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 30*time.Second, apiErr.RetryAfter)
	assert.Equal(t, 1, attempts(w), "no second attempt was waited for")
	assert.NoError(t, ctx.Err(), "returned before the deadline")
}

// An https URL whose server speaks plain HTTP fails the same way every
// time: one attempt, not a retry storm that ends in "try again later".
func TestHTTPSToAPlainServerIsNotRetried(t *testing.T) {
	t.Parallel()
	srv := testworld.Stub(t, http.NotFoundHandler())
	attempts := 0
	client, err := losant.NewClient("tok", losant.WithBaseURL("https://"+srv.Listener.Addr().String()),
		losant.WithHooks(losant.Hooks{AttemptDone: func(context.Context, losant.CallInfo, losant.Attempt) { attempts++ }}))
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Get(context.Background(), "5a1f0e3b7ae143cd83dc4b01")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "server gave HTTP response to HTTPS client")
	assert.Equal(t, 1, attempts)
}
