package cli

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// ownersOf ranges over the owners client reaches, failing t at an error.
func ownersOf(t *testing.T, client *losant.Client) []namedOwner {
	t.Helper()
	var out []namedOwner
	for o, err := range owners(context.Background(), client) {
		require.NoError(t, err)
		out = append(out, o)
	}
	return out
}

// A user's token reaches the user, the applications it owns and the
// instances it is a member of, and no other, in that order.
func TestOwnersAreWhatTheUserReaches(t *testing.T) {
	w := testworld.New(t)
	got := ownersOf(t, w.Client(t, w.UserBearer))
	assert.Equal(t, []namedOwner{
		{Owner: losant.User()},
		{Owner: losant.Application(w.App.ID), Name: w.App.Name},
		{Owner: losant.Instance(w.Instance.ID), Name: w.Instance.Name},
	}, got)
}

// A token that may list the applications but not the instances gets the
// applications, then the instances' 403, saying which list stopped.
func TestOwnersReportsAListItMayNotRead(t *testing.T) {
	w := testworld.New(t)
	org := w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"all.Organization.read"}})
	var found []namedOwner
	var errs []error
	for o, err := range owners(context.Background(), w.Client(t, org)) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		found = append(found, o)
	}
	assert.Equal(t, []namedOwner{{Owner: losant.User()}, {Owner: losant.Application(w.App.ID), Name: w.App.Name}}, found)
	require.Len(t, errs, 1)
	var listErr *ownerListError
	require.ErrorAs(t, errs[0], &listErr)
	assert.Equal(t, "instances", listErr.Collection)
	assert.Zero(t, listErr.Listed)
	assert.True(t, losant.StatusCode(errs[0]) == http.StatusForbidden)
	assert.ErrorContains(t, errs[0], "listing the instances stopped after 0 of them: ")
}

// An application's own token lists neither list, nor reaches the user:
// each list's 403, and no owner, not even the user.
func TestOwnersOfAnApplicationToken(t *testing.T) {
	w := testworld.New(t)
	var forbidden []string
	for o, err := range owners(context.Background(), w.Client(t, w.AppBearer)) {
		var listErr *ownerListError
		require.ErrorAs(t, err, &listErr, "no owner: %v", o)
		assert.True(t, losant.StatusCode(err) == http.StatusForbidden)
		forbidden = append(forbidden, listErr.Collection)
	}
	assert.Equal(t, []string{"applications", "instances"}, forbidden)
}

// A user's token that may list neither list but may read the user's own
// tokens gets both lists' 403, then the user.
func TestOwnersOfAUserTokenThatListsNoOwner(t *testing.T) {
	w := testworld.New(t)
	own := w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"userApiTokens.get"}})
	var found []namedOwner
	errs := 0
	for o, err := range owners(context.Background(), w.Client(t, own)) {
		if err != nil {
			assert.True(t, losant.StatusCode(err) == http.StatusForbidden, err)
			errs++
			continue
		}
		found = append(found, o)
	}
	assert.Equal(t, 2, errs)
	assert.Equal(t, []namedOwner{{Owner: losant.User()}}, found)
}

// A 401 on the first list is final: the token is not valid, so the
// instances are not asked for, and no owner is yielded. So is a context
// that ends.
func TestOwnersStopsAtAFinalError(t *testing.T) {
	w := testworld.New(t)
	w.Server.ResetRequests()
	var errs []error
	for o, err := range owners(context.Background(), w.Server.Client("lsnt_not_a_token", losant.WithoutRetries())) {
		require.Error(t, err, "no owner: %v", o)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.True(t, losant.StatusCode(errs[0]) == http.StatusUnauthorized)
	assert.Len(t, w.Server.Requests(), 1, "the applications only")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	errs = nil
	for o, err := range owners(ctx, w.Client(t, w.UserBearer)) {
		require.Error(t, err, "no owner: %v", o)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	errs = nil
	found := 0
	for _, err := range owners(ctx, w.Client(t, w.UserBearer)) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		found++
		cancel() // after the user: the page read is yielded, and the instances are not read
	}
	assert.Equal(t, 2, found, "the user and the application of the page read")
	require.Len(t, errs, 1, "the instances say so, once")
	assert.ErrorIs(t, errs[0], context.Canceled)
}

// A fault that outlasts the retries in the middle of the applications
// says how many were listed; the instances are read all the same, and a
// loop that stops at the error stops.
func TestOwnersAfterAFailedPage(t *testing.T) {
	w := testworld.New(t, testworld.WithFaults())
	for i := range 150 {
		w.Server.AddApplication(losanttest.Application{Name: fmt.Sprintf("app %03d", i), OwnerID: w.User.ID})
	}
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.For(losanttest.ListApplications), losanttest.Nth(2), losanttest.Times(0))
	client := w.Client(t, w.UserBearer, losant.WithoutRetries())
	var apps, instances int
	var listErr *ownerListError
	for o, err := range owners(context.Background(), client) {
		switch {
		case err != nil:
			require.ErrorAs(t, err, &listErr)
		case o.Owner.Type() == gen.APITokenOwnerTypeApplication:
			apps++
		case o.Owner.Type() == gen.APITokenOwnerTypeInstance:
			instances++
		}
	}
	require.NotNil(t, listErr)
	assert.Equal(t, "applications", listErr.Collection)
	assert.Equal(t, 100, listErr.Listed, "the first page")
	assert.Equal(t, 100, apps)
	assert.Equal(t, 1, instances, "the next list is read")

	w.Server.ClearFaults()
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.For(losanttest.ListApplications), losanttest.Nth(2), losanttest.Times(0))
	stopped := 0
	for _, err := range owners(context.Background(), client) {
		stopped++
		if err != nil {
			break
		}
	}
	assert.Equal(t, 102, stopped, "the user, a page of applications, the error")
}

// A nil context or a refused option is final: the first list says so,
// and the next is not read.
func TestOwnersRefusesBadArguments(t *testing.T) {
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer)
	var errs []error
	//lint:ignore SA1012 a nil context is the misuse under test
	for _, err := range owners(nil, client) { //nolint:staticcheck
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.Len(t, errs, 1, "the first list says so, and the next is not read")
	assert.ErrorIs(t, errs[0], losant.ErrInvalidArgument)
	errs = nil
	for o, err := range owners(context.Background(), client, losant.WithTimeout(-1)) {
		require.Error(t, err, "no owner: %v", o)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1, "the first list says so, and the next is not read")
	assert.ErrorIs(t, errs[0], losant.ErrInvalidArgument)
	_, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{})
	require.NoError(t, err, "the client is whole")
}
