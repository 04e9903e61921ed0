package losant_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/losanttest"
)

// allWorld is the fake world, a client acting as its user, and another
// application of the user's, with tokens named names created in order.
func allWorld(t *testing.T, names ...string) (*fakeWorld, *losant.Client, string) {
	t.Helper()
	w := newFakeWorld(t)
	client := w.client(t, w.userBearer, losant.WithRetry(fastRetries))
	app := w.srv.AddApplication(losanttest.Application{Name: "Garden", OwnerID: w.userBearer.OwnerID})
	for _, name := range names {
		_, err := client.ApplicationAPIToken.Create(context.Background(), app.ID, losant.APITokenPost{Name: name, Scope: []string{"all.Application.read"}})
		require.NoError(t, err)
	}
	return w, client, app.ID
}

func TestFakeAllIteratesOverEveryPage(t *testing.T) {
	want := []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7"}
	w, client, appID := allWorld(t, want...)
	ctx := context.Background()
	before := len(w.srv.Requests())

	var got []string
	for tok, err := range client.ApplicationAPIToken.All(ctx, appID, losant.APITokenListOptions{PerPage: 2}) {
		require.NoError(t, err)
		got = append(got, tok.Name)
	}
	assert.Equal(t, want, got)
	assert.Len(t, w.srv.Requests(), before+4, "7 tokens, 2 a page: 4 pages and no more")

	got = nil
	for tok, err := range client.ApplicationAPIToken.All(ctx, appID, losant.APITokenListOptions{PerPage: 3, SortDirection: losant.Descending, Filter: "t*"}) {
		require.NoError(t, err)
		got = append(got, tok.Name)
	}
	assert.Equal(t, []string{"t7", "t6", "t5", "t4", "t3", "t2", "t1"}, got)

	got = nil
	for tok, err := range client.UserAPIToken.All(ctx, losant.APITokenListOptions{}) {
		require.NoError(t, err)
		got = append(got, tok.Name)
	}
	assert.Equal(t, []string{"backup", "cli"}, got, "the user's own tokens")
}

// The iterator is a value: each range over it starts from the first page.
func TestFakeAllRangedTwiceYieldsTheSameTokens(t *testing.T) {
	_, client, appID := allWorld(t, "t1", "t2", "t3", "t4", "t5")
	all := client.ApplicationAPIToken.All(context.Background(), appID, losant.APITokenListOptions{PerPage: 2})
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
	w, client, appID := allWorld(t, "t1", "t2", "t3", "t4", "t5")
	w.srv.Inject(losanttest.Fault{}, 1) // the first page goes through
	w.srv.Inject(losanttest.Fault{Status: http.StatusNotFound}, 1)
	var got []string
	var errs []error
	for tok, err := range client.ApplicationAPIToken.All(context.Background(), appID, losant.APITokenListOptions{PerPage: 2}) {
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
	w, client, appID := allWorld(t, "t1", "t2", "t3", "t4", "t5")
	before := len(w.srv.Requests())
	for tok, err := range client.ApplicationAPIToken.All(context.Background(), appID, losant.APITokenListOptions{PerPage: 2}) {
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
	for tok, err := range client.ApplicationAPIToken.All(ctx, appID, losant.APITokenListOptions{PerPage: 2}) {
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
