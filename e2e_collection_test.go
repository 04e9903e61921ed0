package losant_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/contract"
	"github.com/specdriven/losant/losanttest"
)

// listWorld is a fake with a user, its application, and a client acting as
// the user whose every response is checked against the spec. The fake's
// clock moves a minute on each reading, so creation dates differ.
type listWorld struct {
	srv    *losanttest.Server
	client *losant.Client
	app    losanttest.Application
	bearer losanttest.Token
}

func newListWorld(t *testing.T) *listWorld {
	t.Helper()
	var mu sync.Mutex
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := losanttest.New(t, losanttest.WithClock(func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Minute)
		return clock
	}))
	user := srv.AddUser(losanttest.User{})
	app := srv.AddApplication(losanttest.Application{OwnerID: user.ID})
	bearer := srv.AddToken(losanttest.Token{Name: "bearer", OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	v, err := contract.New()
	require.NoError(t, err)
	transport := &contract.Transport{Validator: v, AllowBadRequests: true} // tests send some on purpose
	t.Cleanup(func() {
		problems, checked := transport.Problems()
		assert.Empty(t, problems, "responses the spec does not allow")
		assert.Positive(t, checked)
	})
	client := srv.Client(bearer.Secret, losant.WithHTTPClient(&http.Client{Transport: transport}), losant.WithRetry(fastRetries))
	return &listWorld{srv: srv, client: client, app: app, bearer: bearer}
}

// createApp creates application tokens with these names, in this order.
func (w *listWorld) createApp(t *testing.T, names ...string) []*losant.APIToken {
	t.Helper()
	var out []*losant.APIToken
	for _, name := range names {
		tok, err := w.client.ApplicationAPIToken.Create(context.Background(), w.app.ID, losant.APITokenPost{Name: name, Scope: []string{"all.Application.read"}})
		require.NoError(t, err)
		out = append(out, tok)
	}
	return out
}

func TestFakeAllIteratesOverEveryPage(t *testing.T) {
	w := newListWorld(t)
	ctx := context.Background()
	want := []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7"}
	w.createApp(t, want...)
	before := len(w.srv.Requests())

	var got []string
	for tok, err := range w.client.ApplicationAPIToken.All(ctx, w.app.ID, losant.APITokenListOptions{PerPage: 2}) {
		require.NoError(t, err)
		got = append(got, tok.Name)
	}
	assert.Equal(t, want, got)
	assert.Len(t, w.srv.Requests(), before+4, "7 tokens, 2 a page: 4 pages and no more")

	got = nil
	for tok, err := range w.client.ApplicationAPIToken.All(ctx, w.app.ID, losant.APITokenListOptions{PerPage: 3, SortDirection: losant.Descending, Filter: "t*"}) {
		require.NoError(t, err)
		got = append(got, tok.Name)
	}
	assert.Equal(t, []string{"t7", "t6", "t5", "t4", "t3", "t2", "t1"}, got)

	got = nil
	for tok, err := range w.client.UserAPIToken.All(ctx, losant.APITokenListOptions{}) {
		require.NoError(t, err)
		got = append(got, tok.Name)
	}
	assert.Equal(t, []string{"bearer"}, got)
}

// The iterator is a value: each range over it starts from the first page.
func TestFakeAllRangedTwiceYieldsTheSameTokens(t *testing.T) {
	w := newListWorld(t)
	w.createApp(t, "t1", "t2", "t3", "t4", "t5")
	all := w.client.ApplicationAPIToken.All(context.Background(), w.app.ID, losant.APITokenListOptions{PerPage: 2})
	var ranges [2][]string
	for i := range ranges {
		for tok, err := range all {
			require.NoError(t, err)
			ranges[i] = append(ranges[i], tok.Name)
		}
	}
	assert.Equal(t, []string{"t1", "t2", "t3", "t4", "t5"}, ranges[0])
	assert.Equal(t, ranges[0], ranges[1])
}

func TestFakeAllStopsAtTheFirstError(t *testing.T) {
	w := newListWorld(t)
	w.createApp(t, "t1", "t2", "t3", "t4", "t5")
	w.srv.Inject(losanttest.Fault{}, 1) // the first page goes through
	w.srv.Inject(losanttest.Fault{Status: http.StatusNotFound}, 1)
	var got []string
	var errs []error
	for tok, err := range w.client.ApplicationAPIToken.All(context.Background(), w.app.ID, losant.APITokenListOptions{PerPage: 2}) {
		if err != nil {
			errs = append(errs, err)
			assert.Nil(t, tok)
			continue
		}
		got = append(got, tok.Name)
	}
	assert.Equal(t, []string{"t1", "t2"}, got)
	require.Len(t, errs, 1, "one error, then the iteration ends")
	assert.True(t, losant.IsNotFound(errs[0]))
}

func TestFakeAllStopsWhenTheCallerDoes(t *testing.T) {
	w := newListWorld(t)
	w.createApp(t, "t1", "t2", "t3", "t4", "t5")
	before := len(w.srv.Requests())
	for tok, err := range w.client.ApplicationAPIToken.All(context.Background(), w.app.ID, losant.APITokenListOptions{PerPage: 2}) {
		require.NoError(t, err)
		if tok.Name == "t1" {
			break
		}
	}
	assert.Len(t, w.srv.Requests(), before+1, "a break asks for no further page")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []string
	var last error
	for tok, err := range w.client.ApplicationAPIToken.All(ctx, w.app.ID, losant.APITokenListOptions{PerPage: 2}) {
		if err != nil {
			last = err
			break
		}
		got = append(got, tok.Name)
		if len(got) == 2 {
			cancel()
		}
	}
	assert.Equal(t, []string{"t1", "t2"}, got)
	assert.ErrorIs(t, last, context.Canceled, "a done context ends the iteration")
}
