package losant_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"strings"
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

// recorder keeps what a client's hooks receive.
type recorder struct {
	mu       sync.Mutex
	starts   []losant.CallInfo
	attempts []losant.Attempt
	dones    []losant.CallResult
	infos    []losant.CallInfo // of the attempts and the ends
}

func (r *recorder) hooks() losant.Hooks {
	return losant.Hooks{
		CallStart: func(ctx context.Context, call losant.CallInfo) context.Context {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.starts = append(r.starts, call)
			return ctx
		},
		AttemptDone: func(_ context.Context, call losant.CallInfo, a losant.Attempt) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.attempts, r.infos = append(r.attempts, a), append(r.infos, call)
		},
		CallDone: func(_ context.Context, call losant.CallInfo, res losant.CallResult) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.dones, r.infos = append(r.dones, res), append(r.infos, call)
		},
	}
}

// everything is what the hooks received, printed every way a hook might.
func (r *recorder) everything() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("%#v %+v %#v %+v %#v %v", r.starts, r.attempts, r.attempts, r.dones, r.dones, r.infos)
}

// A call's options apply to that call only, over the client's: the same
// option functions as NewClient's.
func TestCallOptionsOverrideTheClientForOneCall(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	ctx := context.Background()
	patient := losant.WithRetry(losant.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: time.Second})

	once := w.Client(t, w.UserBearer, losant.WithoutRetries())
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Times(1))
	_, err := once.APITokens(losant.User()).Get(ctx, w.UserTarget.ID, patient)
	require.NoError(t, err, "the call's retry policy retried the 503")

	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Times(1))
	_, err = once.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	requireStatus(t, err, http.StatusServiceUnavailable, "the client's own policy is unchanged")

	retrying := w.Client(t, w.UserBearer, patient)
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Times(1))
	_, err = retrying.APITokens(losant.User()).Get(ctx, w.UserTarget.ID, losant.WithoutRetries())
	requireStatus(t, err, http.StatusServiceUnavailable, "WithoutRetries on the call")

	w.Server.ResetRequests()
	_, err = retrying.APITokens(losant.User()).Get(ctx, w.UserTarget.ID, losant.WithDomain("example.com"))
	require.NoError(t, err)
	_, err = retrying.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	require.NoError(t, err)
	reqs := w.Server.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "example.com", reqs[0].Domain)
	assert.Empty(t, reqs[1].Domain, "the next call has the client's domain again")
}

// A call's timeout bounds each of its attempts.
func TestACallsTimeoutBoundsItsAttempts(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer, losant.WithoutRetries())
	w.Server.Inject(losanttest.Fault{Latency: 5 * time.Second}, losanttest.Times(1))
	_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID, losant.WithTimeout(50*time.Millisecond))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	_, err = client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.NoError(t, err, "the next call has the client's timeout")
}

// A call's options are checked like a client's, before anything is sent.
func TestCallOptionsAreChecked(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer)
	for name, opt := range map[string]losant.CallOption{
		"WithTimeout":          losant.WithTimeout(-time.Second),
		"WithRetry":            losant.WithRetry(losant.RetryPolicy{MinWait: time.Second, MaxWait: time.Millisecond}),
		"WithMaxResponseBytes": losant.WithMaxResponseBytes(0),
		"losantdomain":         losant.WithDomain("a\nb"),
	} {
		t.Run(name, func(t *testing.T) {
			w.Server.ResetRequests()
			_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID, opt)
			require.ErrorIs(t, err, losant.ErrInvalidArgument)
			assertArgumentError(t, err, name)
			assert.Empty(t, w.Server.Requests(), "nothing was sent")
		})
	}
	_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.NoError(t, err, "the client is unchanged")
}

// The hooks see the call begin, each attempt with its cause and wait, and
// the call end with what its caller got; none of it holds the token.
func TestHooksSeeEachAttemptAndTheOutcome(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	var rec recorder
	client := w.Client(t, w.UserBearer, losant.WithRetry(fastRetries), losant.WithHooks(rec.hooks()))
	w.Server.Inject(losanttest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0"}, losanttest.Times(1))
	w.Server.Inject(losanttest.Fault{Status: http.StatusBadGateway}, losanttest.Times(1))
	_, err := client.APITokens(losant.Application(w.App.ID)).Get(context.Background(), w.AppTarget.ID)
	require.NoError(t, err)

	want := losant.CallInfo{Operation: "getApplicationApiToken", Method: http.MethodGet,
		Path: "/applications/" + w.App.ID + "/tokens/" + w.AppTarget.ID}
	assert.Equal(t, []losant.CallInfo{want}, rec.starts)
	require.Len(t, rec.attempts, 3, "the 429, the 502 and the answer")
	first, last := rec.attempts[0], rec.attempts[len(rec.attempts)-1]
	assert.Equal(t, 1, first.Number)
	assert.Equal(t, http.StatusTooManyRequests, first.StatusCode)
	assert.NoError(t, first.Err)
	assert.True(t, first.Retry)
	assert.Zero(t, first.Wait, "Retry-After: 0")
	assert.Equal(t, losant.Attempt{Number: 2, StatusCode: http.StatusBadGateway, Retry: true,
		Duration: rec.attempts[1].Duration, Wait: rec.attempts[1].Wait}, rec.attempts[1])
	assert.Positive(t, rec.attempts[1].Wait, "the backoff")
	assert.Equal(t, 3, last.Number)
	assert.Equal(t, http.StatusOK, last.StatusCode)
	assert.False(t, last.Retry)
	for _, a := range rec.attempts {
		assert.Positive(t, a.Duration)
	}
	require.Len(t, rec.dones, 1)
	assert.Equal(t, losant.CallResult{StatusCode: http.StatusOK, Header: rec.dones[0].Header, Attempts: len(rec.attempts), Duration: rec.dones[0].Duration}, rec.dones[0])
	assert.Contains(t, rec.dones[0].Header.Get("Content-Type"), "application/json", "the last answer's header")
	assert.GreaterOrEqual(t, rec.dones[0].Duration, first.Duration+last.Duration)
	for _, info := range rec.infos {
		assert.Equal(t, want, info)
	}
	assert.NotContains(t, rec.everything(), w.UserBearer.Secret)
}

// CallDone gets the error the caller gets, whatever its kind: an API
// error, a write that may have acted, an argument refused before any
// attempt is not a call and reaches no hook.
func TestCallDoneGetsTheCallersError(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	var rec recorder
	client := w.Client(t, w.UserBearer, losant.WithoutRetries(), losant.WithHooks(rec.hooks()))
	tokens := client.APITokens(losant.User())
	ctx := context.Background()

	_, err := tokens.Get(ctx, "575ec7417ae143cd83dc4a99")
	require.True(t, losant.StatusCode(err) == http.StatusNotFound)
	w.Server.Inject(losanttest.Fault{Drop: true}, losanttest.Times(0))
	_, patchErr := tokens.Patch(ctx, w.UserTarget.ID, gen.APITokenPatch{Name: losant.Ptr("n")})
	require.ErrorIs(t, patchErr, losant.ErrMayHaveActed)
	w.Server.ClearFaults()
	_, err2 := tokens.Get(ctx, "not an ID")
	require.ErrorIs(t, err2, losant.ErrInvalidArgument)

	require.Len(t, rec.dones, 2, "the refused call never began")
	assert.Equal(t, err, rec.dones[0].Err)
	assert.Equal(t, http.StatusNotFound, rec.dones[0].StatusCode)
	assert.Equal(t, patchErr, rec.dones[1].Err)
	assert.Zero(t, rec.dones[1].StatusCode)
	require.Len(t, rec.attempts, 2)
	assert.Zero(t, rec.attempts[1].StatusCode)
	assert.Error(t, rec.attempts[1].Err, "a dropped connection's cause is its error")
	assert.Len(t, rec.starts, 2)
	assert.NotContains(t, rec.everything(), w.UserBearer.Secret)
}

// The context CallStart returns is the one the transport gets, with the
// call's name in it; a transport wrapper sees every attempt and keeps the
// client's own defaults.
func TestTheTransportSeesTheCallAndTheHooksContext(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	type spanKey struct{}
	var mu sync.Mutex
	var seen []string
	wrap := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			span, _ := r.Context().Value(spanKey{}).(string)
			mu.Lock()
			seen = append(seen, span)
			mu.Unlock()
			return next.RoundTrip(r)
		})
	}
	hooks := losant.Hooks{CallStart: func(ctx context.Context, call losant.CallInfo) context.Context {
		return context.WithValue(ctx, spanKey{}, "span of "+call.Operation)
	}}
	client := w.Client(t, w.UserBearer, losant.WithTransportWrapper(wrap), losant.WithHooks(hooks), losant.WithRetry(fastRetries))
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Times(1))
	_, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"span of listUserApiTokens", "span of listUserApiTokens"}, seen, "each attempt carries the hook's context")

	require.NoError(t, client.Do(context.Background(), http.MethodGet, "me/tokens/"+w.UserTarget.ID, nil, nil))
	assert.Equal(t, "span of GET /me/tokens/{id}", seen[len(seen)-1], "Do's calls are named by method and route, IDs as {id}")
}

// requireStatus fails t unless err is an *Error of the given status.
func requireStatus(t *testing.T, err error, status int, why string) {
	t.Helper()
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr, why)
	require.Equal(t, status, apiErr.StatusCode, why)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A wrapper that returns no transport, or none at all, is refused.
func TestATransportWrapperMustWrap(t *testing.T) {
	t.Parallel()
	for name, wrap := range map[string]func(http.RoundTripper) http.RoundTripper{
		"nil wrapper": nil,
		"nil result":  func(http.RoundTripper) http.RoundTripper { return nil },
	} {
		t.Run(name, func(t *testing.T) {
			_, err := losant.NewClient("token", losant.WithTransportWrapper(wrap))
			assert.ErrorContains(t, err, "losant: NewClient: WithTransportWrapper")
		})
	}
}

// lastResult is a per-call hook that keeps the call's CallResult.
func lastResult(r *losant.CallResult) losant.ClientOrCallOption {
	return losant.WithHooks(losant.Hooks{CallDone: func(_ context.Context, _ losant.CallInfo, res losant.CallResult) { *r = res }})
}

// Hooks given to one call report its last answer's status and headers,
// whatever the outcome; a copy of the token a server puts in a header is
// cut out. The client's own hooks run too, before them.
func TestACallsOwnHooksReportTheLastAnswer(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	var clientCalls int
	client := w.Client(t, w.UserBearer, losant.WithRetry(fastRetries),
		losant.WithHooks(losant.Hooks{CallDone: func(context.Context, losant.CallInfo, losant.CallResult) { clientCalls++ }}))
	var res losant.CallResult
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Times(1))
	_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID, lastResult(&res))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, 2, res.Attempts)
	assert.Contains(t, res.Header.Get("Content-Type"), "application/json")
	assert.Equal(t, 1, clientCalls, "the client's hooks ran as well")

	_, err = client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a99", lastResult(&res))
	require.True(t, losant.StatusCode(err) == http.StatusNotFound)
	assert.Equal(t, http.StatusNotFound, res.StatusCode, "an error's answer is reported too")
	assert.Equal(t, 1, res.Attempts)
	assert.ErrorIs(t, res.Err, err)

	_, err = client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, res.StatusCode, "a call without the hook reports nothing to it")
	assert.Equal(t, 3, clientCalls)

	echo := testworld.Stub(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("X-Request-Id", "req-1")
		rw.Header().Set("X-Echo", "you sent "+r.Header.Get("Authorization"))
		rw.Header().Set("Content-Type", "application/json")
		fmt.Fprint(rw, `{"id":"575ec7417ae143cd83dc4a95"}`)
	})).URL
	const secret = "a-secret-access-token"
	echoing, err := losant.NewClient(secret, losant.WithBaseURL(echo))
	require.NoError(t, err)
	_, err = echoing.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95", lastResult(&res))
	require.NoError(t, err)
	assert.Equal(t, "req-1", res.Header.Get("X-Request-Id"))
	assert.NotContains(t, fmt.Sprint(res.Header), secret)
	assert.Contains(t, res.Header.Get("X-Echo"), "[REDACTED]")
}

// A call with no answer reports StatusCode 0 and no header.
func TestACallWithoutAnswerReportsNoStatus(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer, losant.WithoutRetries())
	w.Server.Inject(losanttest.Fault{Drop: true}, losanttest.Times(0))
	res := losant.CallResult{StatusCode: 999}
	_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID, lastResult(&res))
	require.Error(t, err)
	assert.Equal(t, 0, res.StatusCode)
	assert.Nil(t, res.Header)
	assert.Equal(t, 1, res.Attempts)
	w.Server.ClearFaults()
	_, err = client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID, lastResult(&res))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode, "the next call reports its own answer")
}

// Hooks given to calls that run at once are each call's own: one call's
// hook never sees another's answer, and the client's hooks are not
// changed by them.
func TestACallsHooksAreItsOwn(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	var seen atomic.Int64
	client := w.Client(t, w.UserBearer, losant.WithHooks(losant.Hooks{CallDone: func(context.Context, losant.CallInfo, losant.CallResult) { seen.Add(1) }}))
	inParallel(t, 8, func(g int) error {
		id := w.UserTarget.ID
		want := http.StatusOK
		if g%2 == 1 {
			id, want = "575ec7417ae143cd83dc4a99", http.StatusNotFound
		}
		var got []int
		_, _ = client.APITokens(losant.User()).Get(context.Background(), id, losant.WithHooks(losant.Hooks{
			CallDone: func(_ context.Context, _ losant.CallInfo, r losant.CallResult) { got = append(got, r.StatusCode) },
		}))
		if len(got) != 1 || got[0] != want {
			return fmt.Errorf("call %d: its hook saw %v, want [%d]", g, got, want)
		}
		return nil
	})
	assert.Equal(t, int64(8), seen.Load(), "the client's hook ran once a call")
}

// An attempt that a retry recovers is logged at info level, never as an
// error; an unanswered last attempt is an error.
func TestLogLevelsMatchOutcomes(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client := w.Client(t, w.UserBearer, losant.WithRetry(fastRetries), losant.WithLogger(logger))
	w.Server.Inject(losanttest.Fault{Drop: true}, losanttest.Times(1))
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Times(1))
	_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.NoError(t, err)
	out := logs.String()
	assert.NotContains(t, out, `"level":"ERROR"`, "a recovered call logs no error:\n%s", out)
	assert.Regexp(t, `"level":"INFO","msg":"losant: retrying".*"status":503`, out)
	assert.Regexp(t, `"level":"INFO","msg":"losant: retrying".*"error":`, out)

	logs.Reset()
	w.Server.Inject(losanttest.Fault{Drop: true}, losanttest.Times(0))
	_, err = client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.Error(t, err)
	assert.Equal(t, 1, strings.Count(logs.String(), `"level":"ERROR"`), "the last attempt only:\n%s", logs.String())
	assert.NotContains(t, logs.String(), w.UserBearer.Secret)
}

// A hook that panics is the caller's bug, not hidden: it reaches the caller.
func TestHooksRunOnTheCallersGoroutine(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	boom := errors.New("boom")
	client := w.Client(t, w.UserBearer, losant.WithHooks(losant.Hooks{
		CallDone: func(context.Context, losant.CallInfo, losant.CallResult) { panic(boom) },
	}))
	assert.PanicsWithValue(t, boom, func() {
		_, _ = client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	})
}

// A client with patient retries for background work; one call, from an
// endpoint with a deadline, that wants a single short attempt, and the
// answer's headers.
func ExampleClientOrCallOption() {
	api := exampleAPI()
	client, err := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL),
		losant.WithRetry(losant.RetryPolicy{MaxAttempts: 8, MinWait: time.Second, MaxWait: 30 * time.Second}))
	if err != nil {
		log.Fatal(err)
	}
	var answer losant.CallResult
	token, err := client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95",
		losant.WithoutRetries(), losant.WithTimeout(2*time.Second),
		losant.WithHooks(losant.Hooks{CallDone: func(_ context.Context, _ losant.CallInfo, r losant.CallResult) { answer = r }}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(token.Name, answer.StatusCode, answer.Attempts, answer.Header.Get("Content-Type"))
	// Output: My API Token 200 1 application/json
}

// Hooks that count each call's attempts by operation and outcome, as a
// metrics library would.
func ExampleHooks() {
	api := exampleAPI()
	hooks := losant.Hooks{
		AttemptDone: func(_ context.Context, call losant.CallInfo, a losant.Attempt) {
			fmt.Println("attempt", a.Number, call.Operation, a.StatusCode, "retry:", a.Retry)
		},
		CallDone: func(_ context.Context, call losant.CallInfo, r losant.CallResult) {
			fmt.Println("call", call.Operation, r.StatusCode, "attempts:", r.Attempts, "error:", r.Err != nil)
		},
	}
	client, err := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL), losant.WithHooks(hooks))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.APITokens(losant.Application("575ec8687ae143cd83dc4a97")).Get(context.Background(), "575ec7417ae143cd83dc4a96")
	fmt.Println(losant.StatusCode(err) == http.StatusNotFound)
	// Output:
	// attempt 1 getApplicationApiToken 404 retry: false
	// call getApplicationApiToken 404 attempts: 1 error: true
	// true
}

// A transport wrapper that names each request after its operation, as a
// tracing or metrics transport would, keeping the client's own transport
// and defaults beneath it.
func ExampleWithTransportWrapper() {
	api := exampleAPI()
	type operationKey struct{}
	named := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if op, ok := r.Context().Value(operationKey{}).(string); ok { // put there by the hook below
				fmt.Println(op, r.Method, r.URL.Path)
			}
			return next.RoundTrip(r)
		})
	}
	hooks := losant.Hooks{CallStart: func(ctx context.Context, call losant.CallInfo) context.Context {
		return context.WithValue(ctx, operationKey{}, call.Operation)
	}}
	client, err := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL), losant.WithTransportWrapper(named), losant.WithHooks(hooks))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95")
	fmt.Println(err)
	// Output:
	// getUserApiToken GET /me/tokens/575ec7417ae143cd83dc4a95
	// <nil>
}

// A call refused before it is sent calls none of its hooks.
func TestARefusedCallCallsNoHook(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer)
	res := losant.CallResult{StatusCode: 999, Attempts: 7}
	_, err := client.APITokens(losant.User()).Get(context.Background(), "not an ID", lastResult(&res))
	require.ErrorIs(t, err, losant.ErrInvalidArgument)
	assert.Equal(t, losant.CallResult{StatusCode: 999, Attempts: 7}, res)
	_, err = client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID, lastResult(&res))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode, "a call that is sent calls them")
}

// A call that runs out of retries on a 503 says so at warn level, once.
func TestGivingUpIsAWarning(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	client := w.Client(t, w.UserBearer, losant.WithRetry(losant.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: time.Second}), losant.WithLogger(logger))
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Times(0))
	_, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.Error(t, err)
	assert.Equal(t, 2, strings.Count(logs.String(), `"msg":"losant: retrying"`), logs.String())
	assert.Equal(t, 1, strings.Count(logs.String(), `"level":"WARN","msg":"losant: giving up"`), logs.String())
	assert.NotContains(t, logs.String(), `"level":"ERROR"`)
}

// A hook that takes the time a retry's wait had leaves the call the
// answer it has, not a deadline. (The hook waits for the deadline itself,
// rather than sleeping past it, so that a slow machine cannot make the
// attempt miss it.)
func TestASlowHookDoesNotLoseTheAnswer(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	var hookSaw error
	client := w.Client(t, w.UserBearer, losant.WithRetry(losant.RetryPolicy{MaxAttempts: 3, MinWait: 50 * time.Millisecond, MaxWait: time.Second}),
		losant.WithHooks(losant.Hooks{AttemptDone: func(ctx context.Context, _ losant.CallInfo, at losant.Attempt) {
			if at.Retry { // the 503: hold the call until its deadline has passed
				<-ctx.Done()
				hookSaw = ctx.Err()
			}
		}}))
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Times(1))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err := client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	require.ErrorIs(t, hookSaw, context.DeadlineExceeded, "the deadline passed in the hook")
	requireStatus(t, err, http.StatusServiceUnavailable, "the 503, not the deadline")
	_, err = client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.NoError(t, err)
}

// A listing of every page makes one call per page read: a call's own
// hooks run for each, with that page's answer, and as many times as the
// fake was asked.
func TestAListingsHooksRunOncePerPage(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	for range 40 {
		w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"all.User.read"}})
	}
	client := w.Client(t, w.UserBearer)
	w.Server.ResetRequests()
	var results []losant.CallResult
	tokens := 0
	for _, err := range client.APITokens(losant.User()).All(context.Background(), losant.APITokenListOptions{PerPage: 16},
		lastPages(&results)) {
		require.NoError(t, err)
		tokens++
	}
	require.Greater(t, tokens, 40)
	assert.Len(t, results, len(w.Server.Requests()), "one CallDone per request the fake got")
	assert.GreaterOrEqual(t, len(results), 3, "%d tokens, 16 a page", tokens)
	for i, r := range results {
		assert.Equal(t, http.StatusOK, r.StatusCode, "page %d", i)
		assert.Contains(t, r.Header.Get("Content-Type"), "application/json", "page %d has its own answer", i)
	}
}

// lastPages is a per-call hook that keeps every CallResult of the call's
// pages.
func lastPages(rs *[]losant.CallResult) losant.ClientOrCallOption {
	return losant.WithHooks(losant.Hooks{CallDone: func(_ context.Context, _ losant.CallInfo, r losant.CallResult) { *rs = append(*rs, r) }})
}
