package losant_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// ownersOf ranges over client's owners, failing t at an error.
func ownersOf(t *testing.T, client *losant.Client) []losant.NamedOwner {
	t.Helper()
	var out []losant.NamedOwner
	for o, err := range client.Owners(context.Background()) {
		require.NoError(t, err)
		out = append(out, o)
	}
	return out
}

// A user's token reaches the user, the applications it owns and the
// instances it is a member of, and no other.
func TestOwnersAreWhatTheUserReaches(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	got := ownersOf(t, w.Client(t, w.UserBearer))
	assert.Equal(t, []losant.NamedOwner{
		{Owner: losant.User()},
		{Owner: losant.Application(w.App.ID), Name: w.App.Name},
		{Owner: losant.Instance(w.Instance.ID), Name: w.Instance.Name},
	}, got)
}

// Owners reads every page of the applications, each once, in the order
// they were made.
func TestOwnersReadsEveryPage(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	want := []string{w.App.ID}
	for i := range 250 {
		want = append(want, w.Server.AddApplication(losanttest.Application{Name: fmt.Sprintf("app %03d", i), OwnerID: w.User.ID}).ID)
	}
	var apps []string
	for _, o := range ownersOf(t, w.Client(t, w.UserBearer)) {
		if o.Owner.Type() == losant.APITokenOwnerTypeApplication {
			apps = append(apps, o.Owner.ID())
		}
	}
	assert.Equal(t, want, apps)
}

// Applications made while Owners reads its pages do not make it repeat or
// skip one that exists throughout.
func TestOwnersIsExactWhileOwnersAreMade(t *testing.T) {
	t.Parallel()
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
	for _, o := range ownersOf(t, client) {
		seen[o.Owner.String()]++
	}
	assert.Greater(t, reads, 2, "several pages")
	for owner, n := range seen {
		assert.Equal(t, 1, n, "%s yielded once", owner)
	}
	for id := range initial {
		assert.Contains(t, seen, "application "+id, "an application that existed throughout")
	}
}

// A token that may list the applications but not the instances gets the
// applications, then the instances' 403, saying which list stopped.
func TestOwnersReportsAListItMayNotRead(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	org := w.Server.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"all.Organization.read"}})
	var owners []losant.NamedOwner
	var errs []error
	for o, err := range w.Client(t, org).Owners(context.Background()) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		owners = append(owners, o)
	}
	assert.Equal(t, []losant.NamedOwner{{Owner: losant.User()}, {Owner: losant.Application(w.App.ID), Name: w.App.Name}}, owners)
	require.Len(t, errs, 1)
	var listErr *losant.OwnerListError
	require.ErrorAs(t, errs[0], &listErr)
	assert.Equal(t, "instances", listErr.Collection)
	assert.Zero(t, listErr.Listed)
	assert.True(t, losant.IsForbidden(errs[0]))
	assert.ErrorContains(t, errs[0], "losant: listing the instances stopped after 0 of them: ")
}

// An application's own token lists neither list, nor reaches the user:
// each list's 403, and no owner, not even the user.
func TestOwnersOfAnApplicationToken(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	var forbidden []string
	for o, err := range w.Client(t, w.AppBearer).Owners(context.Background()) {
		var listErr *losant.OwnerListError
		require.ErrorAs(t, err, &listErr, "no owner: %v", o)
		assert.True(t, losant.IsForbidden(err))
		forbidden = append(forbidden, listErr.Collection)
	}
	assert.Equal(t, []string{"applications", "instances"}, forbidden)
}

// A user's token that may list neither list but may read the user's own
// tokens gets both lists' 403, then the user.
func TestOwnersOfAUserTokenThatListsNoOwner(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	own := w.Server.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"userApiTokens.get"}})
	var owners []losant.NamedOwner
	errs := 0
	for o, err := range w.Client(t, own).Owners(context.Background()) {
		if err != nil {
			assert.True(t, losant.IsForbidden(err), err)
			errs++
			continue
		}
		owners = append(owners, o)
	}
	assert.Equal(t, 2, errs)
	assert.Equal(t, []losant.NamedOwner{{Owner: losant.User()}}, owners)
}

// A 401 on the first list is final: the token is not valid, so the
// instances are not asked for, and no owner is yielded. So is a context
// that ends.
func TestOwnersStopsAtAFinalError(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	w.Server.ResetRequests()
	var errs []error
	for o, err := range w.Server.Client("lsnt_not_a_token", losant.WithoutRetries()).Owners(context.Background()) {
		require.Error(t, err, "no owner: %v", o)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.True(t, losant.IsUnauthorized(errs[0]))
	assert.Len(t, w.Server.Requests(), 1, "the applications only")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	errs = nil
	for o, err := range w.Client(t, w.UserBearer).Owners(ctx) {
		require.Error(t, err, "no owner: %v", o)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	errs = nil
	owners := 0
	for _, err := range w.Client(t, w.UserBearer).Owners(ctx) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		owners++
		cancel() // after the user: the page read is yielded, and the instances are not read
	}
	assert.Equal(t, 2, owners, "the user and the application of the page read")
	require.Len(t, errs, 1, "the instances say so, once")
	assert.ErrorIs(t, errs[0], context.Canceled)
}

// A fault that outlasts the retries in the middle of the applications
// says how many were listed; the instances are read all the same, and a
// loop that stops at the error stops.
func TestOwnersAfterAFailedPage(t *testing.T) {
	t.Parallel()
	w := testworld.New(t, testworld.WithFaults())
	for i := range 150 {
		w.Server.AddApplication(losanttest.Application{Name: fmt.Sprintf("app %03d", i), OwnerID: w.User.ID})
	}
	w.Server.InjectFor(losanttest.ListApplications, losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Nth(2), losanttest.Times(0))
	client := w.Client(t, w.UserBearer, losant.WithoutRetries())
	var apps, instances int
	var listErr *losant.OwnerListError
	for o, err := range client.Owners(context.Background()) {
		switch {
		case err != nil:
			require.ErrorAs(t, err, &listErr)
		case o.Owner.Type() == losant.APITokenOwnerTypeApplication:
			apps++
		case o.Owner.Type() == losant.APITokenOwnerTypeInstance:
			instances++
		}
	}
	require.NotNil(t, listErr)
	assert.Equal(t, "applications", listErr.Collection)
	assert.Equal(t, 100, listErr.Listed, "the first page")
	assert.Equal(t, 100, apps)
	assert.Equal(t, 1, instances, "the next list is read")

	w.Server.ClearFaults()
	w.Server.InjectFor(losanttest.ListApplications, losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Nth(2), losanttest.Times(0))
	stopped := 0
	for _, err := range client.Owners(context.Background()) {
		stopped++
		if err != nil {
			break
		}
	}
	assert.Equal(t, 102, stopped, "the user, a page of applications, the error")
}

// A nil context or a refused option is an error, not a panic.
func TestOwnersRefusesBadArguments(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer)
	var errs []error
	//lint:ignore SA1012 a nil context is the misuse under test
	for _, err := range client.Owners(nil) { //nolint:staticcheck
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.Len(t, errs, 1, "the first list says so, and the next is not read")
	assert.ErrorIs(t, errs[0], losant.ErrInvalidArgument)
	for _, err := range client.Owners(context.Background(), losant.WithTimeout(-1)) {
		if err != nil {
			assert.ErrorIs(t, err, losant.ErrInvalidArgument)
		}
	}
	_, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{})
	require.NoError(t, err)
}

func ExampleClient_Owners() {
	fake, err := losanttest.NewServer() // stands in for api.losant.com
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	user := fake.AddUser(losanttest.User{Email: "ada@example.com"})
	fake.AddApplication(losanttest.Application{Name: "Greenhouse", OwnerID: user.ID})
	fake.AddInstance(losanttest.Instance{Name: "Acme", Members: []string{user.ID}})
	bearer := fake.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User.read"}})

	client, err := losant.NewClient(bearer.Secret, losant.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for owner, err := range client.Owners(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		page, err := client.APITokens(owner.Owner).List(ctx, losant.APITokenListOptions{})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(owner.Owner.Type(), owner.Name, page.TotalCount, "tokens")
	}
	// Output:
	// user  1 tokens
	// application Greenhouse 0 tokens
	// instance Acme 0 tokens
}
