package losant_test

import (
	"context"
	"fmt"
	"iter"
	"log"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// idsOf ranges over list, failing t at an error, and returns what idOf
// says of each item.
func idsOf[T any](t *testing.T, list iter.Seq2[*T, error], idOf func(*T) string) []string {
	t.Helper()
	var out []string
	for item, err := range list {
		require.NoError(t, err)
		out = append(out, idOf(item))
	}
	return out
}

func appKey(a *gen.Application) string    { return a.ID + " " + a.Name }
func instanceKey(in *gen.Instance) string { return in.ID + " " + in.Name }

// A user's token lists the applications it owns and the instances it is a
// member of, and not another user's.
func TestApplicationsAndInstancesAreWhatTheUserReaches(t *testing.T) {
	w := testworld.New(t)
	other := w.Server.AddUser(losanttest.User{Email: "other@example.com"})
	w.Server.AddApplication(losanttest.Application{Name: "not ours", OwnerID: other.ID})
	w.Server.AddInstance(losanttest.Instance{Name: "not ours", Members: []string{other.ID}})
	client := w.Client(t, w.UserBearer)
	assert.Equal(t, []string{w.App.ID + " " + w.App.Name}, idsOf(t, client.Applications(context.Background()), appKey))
	assert.Equal(t, []string{w.Instance.ID + " " + w.Instance.Name}, idsOf(t, client.Instances(context.Background()), instanceKey))
}

// Applications and Instances read every page, each item once, in the
// order they were made; ranged again, they start again.
func TestOwnerListsReadEveryPage(t *testing.T) {
	w := testworld.New(t)
	apps := []string{appKey(&gen.Application{ID: w.App.ID, Name: w.App.Name})}
	for i := range 250 {
		a := w.Server.AddApplication(losanttest.Application{Name: fmt.Sprintf("app %03d", i), OwnerID: w.User.ID})
		apps = append(apps, a.ID+" "+a.Name)
	}
	instances := []string{w.Instance.ID + " " + w.Instance.Name}
	for i := range 120 {
		in := w.Server.AddInstance(losanttest.Instance{Name: fmt.Sprintf("instance %03d", i), Members: []string{w.User.ID}})
		instances = append(instances, in.ID+" "+in.Name)
	}
	client := w.Client(t, w.UserBearer)
	list := client.Applications(context.Background())
	assert.Equal(t, apps, idsOf(t, list, appKey))
	assert.Equal(t, apps, idsOf(t, list, appKey), "ranged again")
	assert.Equal(t, instances, idsOf(t, client.Instances(context.Background()), instanceKey))
}

// Applications made while Applications reads its pages do not make it
// repeat or skip one that exists throughout.
func TestApplicationsIsExactWhileApplicationsAreMade(t *testing.T) {
	w := testworld.New(t)
	initial := map[string]bool{w.App.ID: true}
	for i := range 230 {
		initial[w.Server.AddApplication(losanttest.Application{Name: fmt.Sprintf("app %03d", i), OwnerID: w.User.ID}).ID] = true
	}
	reads := 0
	grow := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/applications" {
			if reads++; reads > 1 {
				for i := range 40 { // made between two pages
					w.Server.AddApplication(losanttest.Application{Name: fmt.Sprintf("new %d-%d", reads, i), OwnerID: w.User.ID})
				}
			}
		}
		return w.Transport().RoundTrip(r)
	})
	client := w.Server.Client(w.UserBearer.Secret, losant.WithHTTPClient(&http.Client{Transport: grow}))
	seen := map[string]int{}
	for _, id := range idsOf(t, client.Applications(context.Background()), func(a *gen.Application) string { return a.ID }) {
		seen[id]++
	}
	assert.Greater(t, reads, 2, "several pages")
	for id, n := range seen {
		assert.Equal(t, 1, n, "%s yielded once", id)
	}
	for id := range initial {
		assert.Contains(t, seen, id, "an application that existed throughout")
	}
}

// An application's own token may list neither: each yields its 403, and
// nothing else.
func TestOwnerListsOfAnApplicationToken(t *testing.T) {
	w := testworld.New(t)
	client := w.Client(t, w.AppBearer)
	for name, errs := range map[string][]error{
		"applications": errorsOf(client.Applications(context.Background())),
		"instances":    errorsOf(client.Instances(context.Background())),
	} {
		require.Len(t, errs, 1, name)
		assert.True(t, losant.StatusCode(errs[0]) == http.StatusForbidden, "%s: %v", name, errs[0])
	}
}

// errorsOf ranges over list and returns the error of each thing it
// yielded: nil for an item.
func errorsOf[T any](list iter.Seq2[*T, error]) []error {
	var out []error
	for _, err := range list {
		out = append(out, err)
	}
	return out
}

// A fault that outlasts the retries on the second page is yielded after
// the first page's applications, and is the last thing yielded; WithMaxPages
// bounds the pages read.
func TestApplicationsStopsAtAFailedPage(t *testing.T) {
	w := testworld.New(t, testworld.WithFaults())
	for i := range 150 {
		w.Server.AddApplication(losanttest.Application{Name: fmt.Sprintf("app %03d", i), OwnerID: w.User.ID})
	}
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.For(losanttest.ListApplications), losanttest.Nth(2), losanttest.Times(0))
	got := errorsOf(w.Client(t, w.UserBearer, losant.WithoutRetries()).Applications(context.Background()))
	require.Len(t, got, 101, "the first page, then the error")
	for i, err := range got[:100] {
		require.NoError(t, err, "item %d", i)
	}
	var apiErr *losant.Error
	require.ErrorAs(t, got[100], &apiErr)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)

	w.Server.ClearFaults()
	got = errorsOf(w.Client(t, w.UserBearer, losant.WithMaxPages(1)).Applications(context.Background()))
	require.Len(t, got, 101, "one page, then the error")
	assert.ErrorIs(t, got[100], losant.ErrEndlessPages)
}

// A nil context or a refused option is the one thing yielded, and nothing
// is sent.
func TestOwnerListsRefuseBadArguments(t *testing.T) {
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer)
	w.Server.ResetRequests()
	//lint:ignore SA1012 a nil context is the misuse under test
	for _, errs := range [][]error{errorsOf(client.Applications(nil)), errorsOf(client.Instances(nil)), //nolint:staticcheck
		errorsOf(client.Applications(context.Background(), losant.WithTimeout(-1))),
		errorsOf(client.Instances(context.Background(), losant.WithTimeout(-1)))} {
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], losant.ErrInvalidArgument)
	}
	assert.Empty(t, w.Server.Requests())
	_, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{})
	require.NoError(t, err, "the client is whole")
}

func ExampleClient_Applications() {
	fake, err := losanttest.NewServer() // stands in for api.losant.com
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	user := fake.AddUser(losanttest.User{Email: "ada@example.com"})
	fake.AddApplication(losanttest.Application{Name: "Greenhouse", OwnerID: user.ID})
	bearer := fake.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User.read"}})

	client, err := losant.NewClient(bearer.Secret, losant.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for app, err := range client.Applications(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		page, err := client.APITokens(losant.Application(app.ID)).List(ctx, losant.APITokenListOptions{})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(app.Name, page.TotalCount, "tokens")
	}
	// Output:
	// Greenhouse 0 tokens
}
