package losanttest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// getTarget and patchTarget get and patch the world's UserTarget as its
// UserBearer, by hand (World.Send), and return the status: 0 for no answer.
func getTarget(t *testing.T, w *testworld.World) int {
	t.Helper()
	return w.Send(t, w.UserBearer, http.MethodGet, "/me/tokens/"+w.UserTarget.ID, nil).Status
}

func patchTarget(t *testing.T, w *testworld.World) int {
	t.Helper()
	return w.Send(t, w.UserBearer, http.MethodPatch, "/me/tokens/"+w.UserTarget.ID, strings.NewReader(`{"description":"patched"}`)).Status
}

func TestInjectForMeetsOnlyItsOperation(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.For(losanttest.PatchUserAPIToken))
	assert.Equal(t, 200, getTarget(t, w), "a get passes through untouched")
	assert.Equal(t, 503, patchTarget(t, w), "the patch meets the fault")
	assert.Equal(t, 200, patchTarget(t, w), "once: the next patch goes through")
	reqs := w.Server.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, losanttest.Request{Method: "GET", Operation: losanttest.GetUserAPIToken, Status: 200}, trim(reqs[0]))
	assert.Equal(t, losanttest.Request{Method: "PATCH", Operation: losanttest.PatchUserAPIToken, Status: 503, Fault: true}, trim(reqs[1]),
		"a faulted request names its operation")
	assert.False(t, reqs[2].Fault)
	got, _ := w.Server.Token(w.UserTarget.ID)
	assert.Equal(t, "patched", got.Description)
}

// The owner lists are operations like any other: a fault aimed at one
// meets its requests only, and the request log names them.
func TestInjectForMeetsTheOwnerLists(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	w.Server.Inject(losanttest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"}, losanttest.For(losanttest.ListApplications), losanttest.Nth(2))
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.For(losanttest.ListInstances))
	list := func(path string) int { return w.Send(t, w.UserBearer, http.MethodGet, path, nil).Status }
	got := []int{list("/applications"), list("/instances"), list("/applications"), list("/instances"), getTarget(t, w)}
	assert.Equal(t, []int{200, 503, 429, 200, 200}, got)
	var ops []losanttest.Operation
	for _, r := range w.Server.Requests() {
		ops = append(ops, r.Operation)
	}
	assert.Equal(t, []losanttest.Operation{losanttest.ListApplications, losanttest.ListInstances, losanttest.ListApplications,
		losanttest.ListInstances, losanttest.GetUserAPIToken}, ops)
}

// trim keeps what a test compares of a Request: no path, headers, query or body.
func trim(r losanttest.Request) losanttest.Request {
	return losanttest.Request{Method: r.Method, Operation: r.Operation, Status: r.Status, LostStatus: r.LostStatus, Fault: r.Fault}
}

func TestNthAndTimesCountTheOperationsRequests(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	w.Server.Inject(losanttest.Fault{Status: 429}, losanttest.For(losanttest.GetUserAPIToken), losanttest.Nth(3), losanttest.Times(2))
	var got []int
	for range 3 {
		got = append(got, getTarget(t, w), patchTarget(t, w))
	}
	got = append(got, getTarget(t, w), getTarget(t, w))
	// gets: 1 200, 2 200, 3 429, 4 429, 5 200; patches never
	assert.Equal(t, []int{200, 200, 200, 200, 429, 200, 429, 200}, got)

	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.For(losanttest.GetUserAPIToken), losanttest.Nth(2), losanttest.Times(0))
	assert.Equal(t, []int{200, 503, 503, 503}, []int{getTarget(t, w), getTarget(t, w), getTarget(t, w), getTarget(t, w)}, "Times(0): every one from the Nth")
	w.Server.ClearFaults()
	assert.Equal(t, 200, getTarget(t, w))

	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.For(losanttest.GetUserAPIToken), losanttest.Nth(0), losanttest.Nth(-4))
	assert.Equal(t, []int{503, 200}, []int{getTarget(t, w), getTarget(t, w)}, "Nth below 1 is the next one")
}

func TestAFaultForAnOperationThatNeverComesMeetsNothing(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	w.Server.Inject(losanttest.Fault{Drop: true}, losanttest.For(losanttest.DeleteUserAPIToken), losanttest.Times(0))
	w.Server.Inject(losanttest.Fault{Status: 500}, losanttest.For(losanttest.GetApplicationAPIToken), losanttest.Nth(2))
	for range 5 {
		require.Equal(t, 200, getTarget(t, w))
		require.Equal(t, 200, patchTarget(t, w))
	}
	assert.Equal(t, 404, w.Send(t, w.UserBearer, http.MethodGet, "/no/such/path", nil).Status, "a path of no operation meets no aimed fault")
	for _, r := range w.Server.Requests() {
		assert.False(t, r.Fault, "%s %s", r.Method, r.Path)
	}
	w.Server.Inject(losanttest.Fault{Status: 502}, losanttest.Times(1))
	assert.Equal(t, 502, w.Send(t, w.UserBearer, http.MethodGet, "/no/such/path", nil).Status, "Inject's faults meet every request")
	assert.Empty(t, w.Server.Requests()[11].Operation)
}

func TestAFaultPassedOverStaysDue(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(2))
	w.Server.Inject(losanttest.Fault{Status: 429}, losanttest.For(losanttest.GetUserAPIToken), losanttest.Nth(2))
	// The second get is due for both: Inject's, injected first, meets it.
	assert.Equal(t, []int{503, 503, 429, 200}, []int{getTarget(t, w), getTarget(t, w), getTarget(t, w), getTarget(t, w)})
}

func TestInjectForRefusesAnOperationTheFakeDoesNotServe(t *testing.T) {
	t.Parallel()
	srv, err := losanttest.NewServer()
	require.NoError(t, err)
	defer srv.Close()
	assert.PanicsWithError(t, `losanttest: Inject: "getUserToken" is not an operation the fake serves (see Operations)`, func() {
		srv.Inject(losanttest.Fault{Status: 503}, losanttest.For("getUserToken"))
	})
	srv.Inject(losanttest.Fault{Status: 503}, losanttest.For("")) // every request, as Inject
}

// Nth counts requests in the order they arrive, however many at once:
// exactly Times of them meet the fault, and never one of another operation.
func TestNthCountsConcurrentRequests(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	const gets, patches = 40, 20
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.For(losanttest.GetUserAPIToken), losanttest.Nth(10), losanttest.Times(5))
	var wg sync.WaitGroup
	statuses := make(chan [2]int, gets+patches)
	for i := range gets + patches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i < gets {
				statuses <- [2]int{0, getTarget(t, w)}
			} else {
				statuses <- [2]int{1, patchTarget(t, w)}
			}
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[[2]int]int{}
	for s := range statuses {
		count[s]++
	}
	assert.Equal(t, map[[2]int]int{{0, 200}: gets - 5, {0, 503}: 5, {1, 200}: patches}, count)

	var faulted int
	for _, r := range w.Server.Requests() { // in the order they were answered
		if r.Fault {
			faulted++
			assert.Equal(t, losanttest.GetUserAPIToken, r.Operation)
		}
	}
	assert.Equal(t, 5, faulted)
}

func TestLoseAnswerActsThenDropsTheConnection(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	w.Server.Inject(losanttest.Fault{LoseAnswer: true}, losanttest.For(losanttest.PatchUserAPIToken))
	assert.Equal(t, 0, patchTarget(t, w), "no answer")
	got, _ := w.Server.Token(w.UserTarget.ID)
	assert.Equal(t, "patched", got.Description, "the patch was made")

	w.Server.Inject(losanttest.Fault{LoseAnswer: true}, losanttest.For(losanttest.CreateUserAPIToken))
	w.Server.Inject(losanttest.Fault{LoseAnswer: true}, losanttest.For(losanttest.DeleteUserAPIToken))
	assert.Equal(t, 0, w.Send(t, w.UserBearer, http.MethodPost, "/me/tokens", strings.NewReader(`{"name": 7}`)).Status, "an invalid create")
	assert.Equal(t, 0, w.Send(t, losanttest.Token{Secret: "nope"}, http.MethodDelete, "/me/tokens/"+w.UserTarget.ID, nil).Status,
		"an unauthorized delete")
	_, ok := w.Server.Token(w.UserTarget.ID)
	assert.True(t, ok, "the unauthorized delete did nothing")

	reqs := w.Server.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, losanttest.Request{Method: "PATCH", Operation: losanttest.PatchUserAPIToken, LostStatus: 200, Fault: true}, trim(reqs[0]))
	assert.Equal(t, losanttest.Request{Method: "POST", Operation: losanttest.CreateUserAPIToken, LostStatus: 400, Fault: true}, trim(reqs[1]))
	assert.Equal(t, losanttest.Request{Method: "DELETE", Operation: losanttest.DeleteUserAPIToken, LostStatus: 401, Fault: true}, trim(reqs[2]))
	assert.Equal(t, 200, getTarget(t, w), "the next request is answered")
}

// Through the client: a lost create's error wraps ErrMayHaveActed, and
// the token was made.
func TestLoseAnswerGivesTheClientAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Server.Client(w.UserBearer.Secret)
	w.Server.Inject(losanttest.Fault{LoseAnswer: true}, losanttest.For(losanttest.CreateUserAPIToken))
	_, err := client.APITokens(losant.User()).Create(context.Background(), gen.APITokenPost{Name: "lost", Scope: []string{"all.User"}})
	require.ErrorIs(t, err, losant.ErrMayHaveActed)
	page, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{Filter: "lost"})
	require.NoError(t, err)
	assert.Equal(t, 1, page.TotalCount, "the API made it")
}

func TestRequestLogKeepsHeadersQueryAndBodyWithoutSecrets(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
	secrets := []string{w.UserBearer.Secret, w.UserTarget.Secret, jwt}
	body := fmt.Sprintf(`{"description":"mine %s, theirs %s, a jwt %s"}`, w.UserBearer.Secret, w.UserTarget.Secret, jwt)
	a := w.Send(t, w.UserBearer, http.MethodPatch, "/me/tokens/"+w.UserTarget.ID+"?debug="+w.UserTarget.Secret, strings.NewReader(body),
		"X-Echo", "token="+w.UserBearer.Secret, "Cookie", "session="+jwt, "losantdomain", "acme.example")
	assert.Equal(t, 200, a.Status)
	w.Server.Inject(losanttest.Fault{Drop: true}, losanttest.For(losanttest.GetUserAPIToken))
	getTarget(t, w)

	// net/http sends the dropped GET again, on a new connection, only when
	// it went out on a kept-alive one, which depends on how quickly the
	// PATCH's connection went back to the pool: the resend is not held.
	reqs := w.Server.Requests()
	require.Contains(t, []int{2, 3}, len(reqs), "the PATCH, the dropped GET and perhaps its resend: %v", reqs)
	if len(reqs) == 3 {
		assert.Equal(t, losanttest.GetUserAPIToken, reqs[2].Operation, "the resend")
	}
	r := reqs[0]
	assert.Equal(t, "Bearer "+losanttest.Redacted, r.Header.Get("Authorization"))
	assert.Equal(t, "token="+losanttest.Redacted, r.Header.Get("X-Echo"))
	assert.Equal(t, losanttest.Redacted, r.Header.Get("Cookie"))
	assert.Equal(t, "acme.example", r.Header.Get("losantdomain"))
	assert.Equal(t, "acme.example", r.Domain)
	assert.Equal(t, []string{losanttest.Redacted}, r.Query["debug"])
	assert.Equal(t, `{"description":"mine [REDACTED], theirs [REDACTED], a jwt [REDACTED]"}`, string(r.Body))
	assert.Equal(t, "Bearer "+losanttest.Redacted, reqs[1].Header.Get("Authorization"), "a faulted request's too")
	assert.Equal(t, losanttest.GetUserAPIToken, reqs[1].Operation)

	printed := fmt.Sprintf("%#v %+v", reqs, reqs)
	for _, secret := range secrets {
		assert.NotContains(t, printed, secret)
	}
}

func TestRequestLogRedactsAShortBearerOnlyAsAWord(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	tok := w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"all.User"}, Secret: "a"})
	resp, err := w.Server.Client(tok.Secret).APITokens(losant.User()).Create(context.Background(),
		gen.APITokenPost{Name: "a banana", Description: losant.Ptr("a"), Scope: []string{"all.User"}})
	require.NoError(t, err)
	assert.NotEmpty(t, resp.Token)
	body := string(w.Server.Requests()[0].Body)
	assert.Contains(t, body, `"name":"[REDACTED] banana"`, "the word a is the secret")
	assert.Contains(t, body, `"description":"[REDACTED]"`)
	assert.NotContains(t, body, "b[REDACTED]n", "an a inside a word is not")

	// A bearer the fake does not know, refused: redacted all the same in
	// the path, the one thing kept of a request that does not authenticate.
	assert.Equal(t, 401, w.Send(t, losanttest.Token{Secret: "zz-unknown"}, http.MethodGet, "/me/tokens/zz-unknown?filter=zz", nil).Status)
	last := w.Server.Requests()[1]
	assert.Equal(t, "/me/tokens/"+losanttest.Redacted, last.Path)
	assert.Nil(t, last.Query, "kept short")
}

func TestRequestLogBoundsTheBody(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	huge := `{"description":"` + strings.Repeat("x", 1<<20) + `"}`
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Send(t, w.UserBearer, http.MethodPost, "/me/tokens", strings.NewReader(huge)).Status)
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(1))
	assert.Equal(t, 503, w.Send(t, w.UserBearer, http.MethodPost, "/me/tokens", strings.NewReader(huge)).Status)
	// A body of 8-byte secrets, each redacted as 10 bytes, stays bounded too.
	short := w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"all.User"}, Secret: "s3cr3t-8"})
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(1))
	assert.Equal(t, 503, w.Send(t, short, http.MethodPost, "/me/tokens", strings.NewReader(strings.Repeat(short.Secret+" ", 10_000))).Status)

	reqs := w.Server.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.LessOrEqual(t, len(r.Body), 64<<10, "status %d", r.Status)
		assert.Greater(t, len(r.Body), 60<<10, "status %d: what was read is kept", r.Status)
		assert.NotContains(t, string(r.Body), short.Secret)
	}
}

func TestRequestsReturnsCopies(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	patchTarget(t, w)
	r := w.Server.Requests()[0]
	r.Header.Set("Authorization", "changed")
	r.Query.Set("x", "y")
	copy(r.Body, "XXXX")
	again := w.Server.Requests()[0]
	assert.Equal(t, "Bearer "+losanttest.Redacted, again.Header.Get("Authorization"))
	assert.Empty(t, again.Query)
	assert.True(t, bytes.HasPrefix(again.Body, []byte(`{"de`)))
}

func TestTokenReadsAnyTokensStateAsACopy(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Server.Client(w.UserBearer.Secret)
	ctx := context.Background()
	_, err := client.APITokens(losant.User()).Patch(ctx, w.UserBearer.ID, gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)})
	require.NoError(t, err)

	got, ok := w.Server.Token(w.UserBearer.ID)
	require.True(t, ok, "read without a token whose secret is active")
	assert.Equal(t, gen.APITokenStatusInactive, got.Status)
	assert.Equal(t, []string{"all.User"}, got.Scope)
	assert.Empty(t, got.Token, "no secret, as a get")
	got.Scope[0] = "changed"
	again, _ := w.Server.Token(w.UserBearer.ID)
	assert.Equal(t, []string{"all.User"}, again.Scope, "a copy")

	_, ok = w.Server.Token("not an id")
	assert.False(t, ok)
	_, ok = w.Server.Token(w.UserTarget.ID)
	assert.True(t, ok)
	assert.Equal(t, 401, w.Send(t, w.UserBearer, http.MethodDelete, "/me/tokens/"+w.UserTarget.ID, nil).Status, "the bearer is inactive")
	admin := w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: got.OwnerID, Scope: []string{"all.User"}})
	require.NoError(t, w.Server.Client(admin.Secret).APITokens(losant.User()).Delete(ctx, w.UserTarget.ID))
	_, ok = w.Server.Token(w.UserTarget.ID)
	assert.False(t, ok, "deleted")
}

func TestTheServerIsAHandler(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	yours := testworld.Stub(t, w.Server)
	client, err := losant.NewClient(w.UserBearer.Secret, losant.WithBaseURL(yours.URL))
	require.NoError(t, err)
	got, err := client.APITokens(losant.User()).Get(context.Background(), w.UserTarget.ID)
	require.NoError(t, err)
	assert.Equal(t, w.UserTarget.Name, got.Name)
	assert.NotEmpty(t, got.Name)
	assert.Equal(t, 0, w.Server.Connections(), "not through the fake's own listener")
	require.Len(t, w.Server.Requests(), 1)

	// Over HTTP/2 a dropped answer resets the stream: there is no
	// connection of its own to close.
	h2 := httptest.NewUnstartedServer(w.Server)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	defer h2.Close()
	hc := h2.Client()
	resp, err := hc.Get(h2.URL + "/me/tokens")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 2, resp.ProtoMajor, "HTTP/2")
	w.Server.Inject(losanttest.Fault{LoseAnswer: true}, losanttest.For(losanttest.PatchUserAPIToken))
	req, err := http.NewRequest(http.MethodPatch, h2.URL+"/me/tokens/"+w.UserTarget.ID, strings.NewReader(`{"description":"h2"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+w.UserBearer.Secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err = hc.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "no answer")
	assert.False(t, errors.Is(err, context.Canceled))
	tok, _ := w.Server.Token(w.UserTarget.ID)
	assert.Equal(t, "h2", tok.Description, "the patch was made")
	last := w.Server.Requests()[len(w.Server.Requests())-1]
	assert.Equal(t, 200, last.LostStatus)
}
