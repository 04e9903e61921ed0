package losanttest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/losanttest"
)

// userFake is a fake with one user, a token of theirs that manages the
// user's tokens (bearer) and one more token (other), and a raw sender.
type userFake struct {
	srv           *losanttest.Server
	bearer, other losanttest.Token
}

func newUserFake(t *testing.T) userFake {
	t.Helper()
	srv := losanttest.New(t)
	user := srv.AddUser(losanttest.User{})
	return userFake{srv: srv,
		bearer: srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}}),
		other:  srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Name: "other"}),
	}
}

// send sends a request with the bearer token and returns its status, 0
// for a transport error (the connection dropped).
func (f userFake) send(t *testing.T, method, path, body string, header ...string) int {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+f.bearer.Secret)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func (f userFake) get(t *testing.T) int {
	t.Helper()
	return f.send(t, http.MethodGet, "/me/tokens/"+f.other.ID, "")
}

func (f userFake) patch(t *testing.T) int {
	t.Helper()
	return f.send(t, http.MethodPatch, "/me/tokens/"+f.other.ID, `{"description":"patched"}`)
}

func TestInjectForMeetsOnlyItsOperation(t *testing.T) {
	f := newUserFake(t)
	f.srv.InjectFor(losanttest.PatchUserAPIToken, losanttest.Fault{Status: http.StatusServiceUnavailable})
	assert.Equal(t, 200, f.get(t), "a get passes through untouched")
	assert.Equal(t, 503, f.patch(t), "the patch meets the fault")
	assert.Equal(t, 200, f.patch(t), "once: the next patch goes through")
	reqs := f.srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, losanttest.Request{Method: "GET", Operation: losanttest.GetUserAPIToken, Status: 200}, trim(reqs[0]))
	assert.Equal(t, losanttest.Request{Method: "PATCH", Operation: losanttest.PatchUserAPIToken, Status: 503, Fault: true}, trim(reqs[1]),
		"a faulted request names its operation")
	assert.False(t, reqs[2].Fault)
	got, _ := f.srv.Token(f.other.ID)
	assert.Equal(t, "patched", got.Description)
}

// The owner lists are operations like any other: a fault aimed at one
// meets its requests only, and the request log names them.
func TestInjectForMeetsTheOwnerLists(t *testing.T) {
	f := newUserFake(t)
	f.srv.InjectFor(losanttest.ListApplications, losanttest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"}, losanttest.Nth(2))
	f.srv.InjectFor(losanttest.ListInstances, losanttest.Fault{Status: http.StatusServiceUnavailable})
	got := []int{f.send(t, http.MethodGet, "/applications", ""), f.send(t, http.MethodGet, "/instances", ""),
		f.send(t, http.MethodGet, "/applications", ""), f.send(t, http.MethodGet, "/instances", ""), f.get(t)}
	assert.Equal(t, []int{200, 503, 429, 200, 200}, got)
	var ops []losanttest.Operation
	for _, r := range f.srv.Requests() {
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
	f := newUserFake(t)
	f.srv.InjectFor(losanttest.GetUserAPIToken, losanttest.Fault{Status: 429}, losanttest.Nth(3), losanttest.Times(2))
	var got []int
	for range 3 {
		got = append(got, f.get(t), f.patch(t))
	}
	got = append(got, f.get(t), f.get(t))
	// gets: 1 200, 2 200, 3 429, 4 429, 5 200; patches never
	assert.Equal(t, []int{200, 200, 200, 200, 429, 200, 429, 200}, got)

	f.srv.InjectFor(losanttest.GetUserAPIToken, losanttest.Fault{Status: 503}, losanttest.Nth(2), losanttest.Times(0))
	assert.Equal(t, []int{200, 503, 503, 503}, []int{f.get(t), f.get(t), f.get(t), f.get(t)}, "Times(0): every one from the Nth")
	f.srv.ClearFaults()
	assert.Equal(t, 200, f.get(t))

	f.srv.InjectFor(losanttest.GetUserAPIToken, losanttest.Fault{Status: 503}, losanttest.Nth(0), losanttest.Nth(-4))
	assert.Equal(t, []int{503, 200}, []int{f.get(t), f.get(t)}, "Nth below 1 is the next one")
}

func TestAFaultForAnOperationThatNeverComesMeetsNothing(t *testing.T) {
	f := newUserFake(t)
	f.srv.InjectFor(losanttest.DeleteUserAPIToken, losanttest.Fault{Drop: true}, losanttest.Times(0))
	f.srv.InjectFor(losanttest.GetApplicationAPIToken, losanttest.Fault{Status: 500}, losanttest.Nth(2))
	for range 5 {
		require.Equal(t, 200, f.get(t))
		require.Equal(t, 200, f.patch(t))
	}
	assert.Equal(t, 404, f.send(t, http.MethodGet, "/no/such/path", ""), "a path of no operation meets no aimed fault")
	for _, r := range f.srv.Requests() {
		assert.False(t, r.Fault, "%s %s", r.Method, r.Path)
	}
	f.srv.Inject(losanttest.Fault{Status: 502}, 1)
	assert.Equal(t, 502, f.send(t, http.MethodGet, "/no/such/path", ""), "Inject's faults meet every request")
	assert.Empty(t, f.srv.Requests()[11].Operation)
}

func TestAFaultPassedOverStaysDue(t *testing.T) {
	f := newUserFake(t)
	f.srv.Inject(losanttest.Fault{Status: 503}, 2)
	f.srv.InjectFor(losanttest.GetUserAPIToken, losanttest.Fault{Status: 429}, losanttest.Nth(2))
	// The second get is due for both: Inject's, injected first, meets it.
	assert.Equal(t, []int{503, 503, 429, 200}, []int{f.get(t), f.get(t), f.get(t), f.get(t)})
}

func TestInjectForRefusesAnOperationTheFakeDoesNotServe(t *testing.T) {
	srv, err := losanttest.NewServer()
	require.NoError(t, err)
	defer srv.Close()
	assert.PanicsWithError(t, `losanttest: InjectFor: "getUserToken" is not an operation the fake serves (see Operations)`, func() {
		srv.InjectFor("getUserToken", losanttest.Fault{Status: 503})
	})
	srv.InjectFor("", losanttest.Fault{Status: 503}) // every request, as Inject
}

// Nth counts requests in the order they arrive, however many at once:
// exactly Times of them meet the fault, and never one of another operation.
func TestNthCountsConcurrentRequests(t *testing.T) {
	f := newUserFake(t)
	const gets, patches = 40, 20
	f.srv.InjectFor(losanttest.GetUserAPIToken, losanttest.Fault{Status: 503}, losanttest.Nth(10), losanttest.Times(5))
	var wg sync.WaitGroup
	statuses := make(chan [2]int, gets+patches)
	for i := range gets + patches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i < gets {
				statuses <- [2]int{0, f.get(t)}
			} else {
				statuses <- [2]int{1, f.patch(t)}
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
	for _, r := range f.srv.Requests() { // in the order they were answered
		if r.Fault {
			faulted++
			assert.Equal(t, losanttest.GetUserAPIToken, r.Operation)
		}
	}
	assert.Equal(t, 5, faulted)
}

func TestLoseAnswerActsThenDropsTheConnection(t *testing.T) {
	f := newUserFake(t)
	f.srv.InjectFor(losanttest.PatchUserAPIToken, losanttest.Fault{LoseAnswer: true})
	assert.Equal(t, 0, f.patch(t), "no answer")
	got, _ := f.srv.Token(f.other.ID)
	assert.Equal(t, "patched", got.Description, "the patch was made")

	f.srv.InjectFor(losanttest.CreateUserAPIToken, losanttest.Fault{LoseAnswer: true})
	f.srv.InjectFor(losanttest.DeleteUserAPIToken, losanttest.Fault{LoseAnswer: true})
	assert.Equal(t, 0, f.send(t, http.MethodPost, "/me/tokens", `{"name": 7}`), "an invalid create")
	assert.Equal(t, 0, f.send(t, http.MethodDelete, "/me/tokens/"+f.other.ID, "", "Authorization", "Bearer nope"), "an unauthorized delete")
	_, ok := f.srv.Token(f.other.ID)
	assert.True(t, ok, "the unauthorized delete did nothing")

	reqs := f.srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, losanttest.Request{Method: "PATCH", Operation: losanttest.PatchUserAPIToken, LostStatus: 200, Fault: true}, trim(reqs[0]))
	assert.Equal(t, losanttest.Request{Method: "POST", Operation: losanttest.CreateUserAPIToken, LostStatus: 400, Fault: true}, trim(reqs[1]))
	assert.Equal(t, losanttest.Request{Method: "DELETE", Operation: losanttest.DeleteUserAPIToken, LostStatus: 401, Fault: true}, trim(reqs[2]))
	assert.Equal(t, 200, f.get(t), "the next request is answered")
}

// Through the client: a lost create's error wraps ErrMayHaveActed, and
// the token was made.
func TestLoseAnswerGivesTheClientAnUnknownOutcome(t *testing.T) {
	f := newUserFake(t)
	client := f.srv.Client(f.bearer.Secret)
	f.srv.InjectFor(losanttest.CreateUserAPIToken, losanttest.Fault{LoseAnswer: true})
	_, err := client.APITokens(losant.User()).Create(context.Background(), losant.APITokenPost{Name: "lost", Scope: []string{"all.User"}})
	require.ErrorIs(t, err, losant.ErrMayHaveActed)
	page, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{Filter: "lost"})
	require.NoError(t, err)
	assert.Equal(t, 1, page.TotalCount, "the API made it")
}

func TestRequestLogKeepsHeadersQueryAndBodyWithoutSecrets(t *testing.T) {
	f := newUserFake(t)
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
	secrets := []string{f.bearer.Secret, f.other.Secret, jwt}
	body := fmt.Sprintf(`{"description":"mine %s, theirs %s, a jwt %s"}`, f.bearer.Secret, f.other.Secret, jwt)
	status := f.send(t, http.MethodPatch, "/me/tokens/"+f.other.ID+"?debug="+f.other.Secret, body,
		"X-Echo", "token="+f.bearer.Secret, "Cookie", "session="+jwt, "losantdomain", "acme.example")
	assert.Equal(t, 200, status)
	f.srv.InjectFor(losanttest.GetUserAPIToken, losanttest.Fault{Drop: true})
	f.get(t) // net/http sends it again, on a new connection

	reqs := f.srv.Requests()
	require.Len(t, reqs, 3)
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
	srv := losanttest.New(t)
	user := srv.AddUser(losanttest.User{})
	tok := srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}, Secret: "a"})
	resp, err := srv.Client(tok.Secret).APITokens(losant.User()).Create(context.Background(),
		losant.APITokenPost{Name: "a banana", Description: losant.Ptr("a"), Scope: []string{"all.User"}})
	require.NoError(t, err)
	assert.NotEmpty(t, resp.Token)
	body := string(srv.Requests()[0].Body)
	assert.Contains(t, body, `"name":"[REDACTED] banana"`, "the word a is the secret")
	assert.Contains(t, body, `"description":"[REDACTED]"`)
	assert.NotContains(t, body, "b[REDACTED]n", "an a inside a word is not")

	// A bearer the fake does not know, refused: redacted all the same.
	f := userFake{srv: srv, bearer: losanttest.Token{Secret: "zz"}}
	assert.Equal(t, 401, f.send(t, http.MethodGet, "/me/tokens?filter=zz&sortField=name", ""))
	last := srv.Requests()[1]
	assert.Equal(t, []string{losanttest.Redacted}, last.Query["filter"])
	assert.Equal(t, []string{"name"}, last.Query["sortField"])
}

func TestRequestLogBoundsTheBody(t *testing.T) {
	f := newUserFake(t)
	huge := `{"description":"` + strings.Repeat("x", 1<<20) + `"}`
	assert.Equal(t, http.StatusRequestEntityTooLarge, f.send(t, http.MethodPost, "/me/tokens", huge))
	f.srv.Inject(losanttest.Fault{Status: 503}, 1)
	assert.Equal(t, 503, f.send(t, http.MethodPost, "/me/tokens", huge))
	// A body of 8-byte secrets, each redacted as 10 bytes, stays bounded too.
	srv := f.srv
	user := srv.AddUser(losanttest.User{})
	short := srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}, Secret: "s3cr3t-8"})
	f.bearer = short
	f.srv.Inject(losanttest.Fault{Status: 503}, 1)
	assert.Equal(t, 503, f.send(t, http.MethodPost, "/me/tokens", strings.Repeat(short.Secret+" ", 10_000)))

	reqs := f.srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.LessOrEqual(t, len(r.Body), 64<<10, "status %d", r.Status)
		assert.Greater(t, len(r.Body), 60<<10, "status %d: what was read is kept", r.Status)
		assert.NotContains(t, string(r.Body), short.Secret)
	}
}

func TestRequestsReturnsCopies(t *testing.T) {
	f := newUserFake(t)
	f.patch(t)
	r := f.srv.Requests()[0]
	r.Header.Set("Authorization", "changed")
	r.Query.Set("x", "y")
	copy(r.Body, "XXXX")
	again := f.srv.Requests()[0]
	assert.Equal(t, "Bearer "+losanttest.Redacted, again.Header.Get("Authorization"))
	assert.Empty(t, again.Query)
	assert.True(t, bytes.HasPrefix(again.Body, []byte(`{"de`)))
}

func TestTokenReadsAnyTokensStateAsACopy(t *testing.T) {
	f := newUserFake(t)
	client := f.srv.Client(f.bearer.Secret)
	ctx := context.Background()
	_, err := client.APITokens(losant.User()).Patch(ctx, f.bearer.ID, losant.APITokenPatch{Status: losant.Ptr(losant.APITokenStatusInactive)})
	require.NoError(t, err)

	got, ok := f.srv.Token(f.bearer.ID)
	require.True(t, ok, "read without a token whose secret is active")
	assert.Equal(t, losant.APITokenStatusInactive, got.Status)
	assert.Equal(t, []string{"all.User"}, got.Scope)
	assert.Empty(t, got.Token, "no secret, as a get")
	got.Scope[0] = "changed"
	again, _ := f.srv.Token(f.bearer.ID)
	assert.Equal(t, []string{"all.User"}, again.Scope, "a copy")

	_, ok = f.srv.Token("not an id")
	assert.False(t, ok)
	_, ok = f.srv.Token(f.other.ID)
	assert.True(t, ok)
	assert.Equal(t, 401, f.send(t, http.MethodDelete, "/me/tokens/"+f.other.ID, ""), "the bearer is inactive")
	admin := f.srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: got.OwnerID, Scope: []string{"all.User"}})
	require.NoError(t, f.srv.Client(admin.Secret).APITokens(losant.User()).Delete(ctx, f.other.ID))
	_, ok = f.srv.Token(f.other.ID)
	assert.False(t, ok, "deleted")
}

func TestTheServerIsAHandler(t *testing.T) {
	f := newUserFake(t)
	yours := httptest.NewServer(f.srv)
	defer yours.Close()
	client, err := losant.NewClient(f.bearer.Secret, losant.WithBaseURL(yours.URL))
	require.NoError(t, err)
	got, err := client.APITokens(losant.User()).Get(context.Background(), f.other.ID)
	require.NoError(t, err)
	assert.Equal(t, "other", got.Name)
	assert.Equal(t, 0, f.srv.Connections(), "not through the fake's own listener")
	require.Len(t, f.srv.Requests(), 1)

	// Over HTTP/2 a dropped answer resets the stream: there is no
	// connection of its own to close.
	h2 := httptest.NewUnstartedServer(f.srv)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	defer h2.Close()
	hc := h2.Client()
	resp, err := hc.Get(h2.URL + "/me/tokens")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 2, resp.ProtoMajor, "HTTP/2")
	f.srv.InjectFor(losanttest.PatchUserAPIToken, losanttest.Fault{LoseAnswer: true})
	req, err := http.NewRequest(http.MethodPatch, h2.URL+"/me/tokens/"+f.other.ID, strings.NewReader(`{"description":"h2"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+f.bearer.Secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err = hc.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "no answer")
	assert.False(t, errors.Is(err, context.Canceled))
	tok, _ := f.srv.Token(f.other.ID)
	assert.Equal(t, "h2", tok.Description, "the patch was made")
	last := f.srv.Requests()[len(f.srv.Requests())-1]
	assert.Equal(t, 200, last.LostStatus)
}
