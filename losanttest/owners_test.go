package losanttest_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// The lists of token owners, through the client's Do as a user's code
// would call them (the world's client checks every answer against the
// spec).

// ownerPage is what the tests read of a page of applications or of
// instances: the two share their page fields.
type ownerPage struct {
	Items                            []struct{ Name string }
	Count, TotalCount, Page, PerPage int
	SortField, SortDirection         string
	Filter, FilterField              string
}

func (p ownerPage) names() []string {
	var out []string
	for _, item := range p.Items {
		out = append(out, item.Name)
	}
	return out
}

// listOwners lists a collection ("applications", "instances") with query.
func listOwners(t *testing.T, client *losant.Client, collection string, query url.Values) (ownerPage, error) {
	t.Helper()
	var page ownerPage
	path := collection
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	err := client.Do(context.Background(), http.MethodGet, path, nil, &page)
	return page, err
}

// A user's token lists the applications its user owns and the instances
// its user is a member of, and nobody else's; each item carries what the
// spec's Application and Instance say.
func TestOwnerListsShowWhatTheUserReaches(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	app := w.Server.AddApplication(losanttest.Application{Name: "Weather", OwnerID: w.User.ID, Description: "rooftop sensors",
		CreationDate: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)})
	shared := w.Server.AddInstance(losanttest.Instance{Name: "Shared", Members: []string{w.OtherUser.ID, w.User.ID},
		MemberRoles: map[string]gen.InstanceMemberRole{w.User.ID: gen.InstanceMemberRoleView}})
	ada, bob := w.Client(t, w.UserBearer), w.Client(t, w.OtherUserTarget)
	ctx := context.Background()

	var apps gen.Applications
	require.NoError(t, ada.Do(ctx, http.MethodGet, "applications", nil, &apps))
	require.Len(t, apps.Items, 2)
	assert.Equal(t, 2, apps.TotalCount)
	assert.Equal(t, gen.Application{ID: w.App.ID, ApplicationID: w.App.ID, Name: "Greenhouse", OwnerID: w.User.ID,
		OwnerType: gen.ApplicationOwnerTypeUser, CreationDate: w.App.CreationDate, LastUpdated: w.App.CreationDate}, apps.Items[0])
	assert.Equal(t, gen.Application{ID: app.ID, ApplicationID: app.ID, Name: "Weather", Description: "rooftop sensors", OwnerID: w.User.ID,
		OwnerType: gen.ApplicationOwnerTypeUser, CreationDate: app.CreationDate, LastUpdated: app.CreationDate}, apps.Items[1])
	assert.Equal(t, "2025-03-01T12:00:00Z", app.CreationDate.Format(time.RFC3339), "a given creation date is kept")

	var instances gen.Instances
	require.NoError(t, ada.Do(ctx, http.MethodGet, "instances", nil, &instances))
	require.Len(t, instances.Items, 2)
	acme := instances.Items[0]
	assert.Equal(t, gen.Instance{ID: w.Instance.ID, InstanceID: w.Instance.ID, Name: "Acme", CreationDate: w.Instance.CreationDate,
		LastUpdated: w.Instance.CreationDate, Members: []gen.InstanceMember{{UserID: w.User.ID, Role: gen.InstanceMemberRoleAdmin}}}, acme)
	assert.Equal(t, []gen.InstanceMember{{UserID: w.OtherUser.ID, Role: gen.InstanceMemberRoleAdmin}, {UserID: w.User.ID, Role: gen.InstanceMemberRoleView}},
		instances.Items[1].Members, "every member, with its role: admin unless the fixture says otherwise")
	assert.Equal(t, shared.ID, instances.Items[1].ID)

	for who, tc := range map[string]struct {
		client          *losant.Client
		apps, instances []string
	}{
		"ada": {ada, []string{"Greenhouse", "Weather"}, []string{"Acme", "Shared"}},
		"bob": {bob, []string{"Garage"}, []string{"Initech", "Shared"}},
	} {
		for _, orgID := range []url.Values{nil, {"orgId": {""}}} { // all the user may see; the user's own
			page, err := listOwners(t, tc.client, "applications", orgID)
			require.NoError(t, err)
			assert.Equal(t, tc.apps, page.names(), "%s %v", who, orgID)
		}
		page, err := listOwners(t, tc.client, "applications", url.Values{"orgId": {"575ece2b7ae143cd83dc4a9b"}})
		require.NoError(t, err)
		assert.Empty(t, page.Items, "%s: the fake has no organizations, so none of an organization's", who)
		assert.Zero(t, page.TotalCount)
		page, err = listOwners(t, tc.client, "instances", nil)
		require.NoError(t, err)
		assert.Equal(t, tc.instances, page.names(), who)
	}

	loner := w.Server.AddUser(losanttest.User{})
	alone := w.Client(t, w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: loner.ID, Scope: []string{"all.User.read"}}))
	for _, collection := range []string{"applications", "instances"} {
		page, err := listOwners(t, alone, collection, nil)
		require.NoError(t, err)
		assert.Equal(t, ownerPage{Items: []struct{ Name string }{}, PerPage: 100, SortField: "name", SortDirection: "asc"}, page, "an empty list, items [] not null: %s", collection)
	}
}

// The owner lists sort, filter and page as the token lists do, over the
// sort fields each one's spec enum lists.
func TestOwnerListsSortFilterAndPage(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	// Made in this order, which their IDs follow, on days in another.
	loner := w.Server.AddUser(losanttest.User{})
	made := []string{"beta ci", "Alpha", "gamma CI", "delta", "epsilon ci"}
	for i, name := range made {
		day := time.Date(2025, 1, 1+[]int{3, 1, 4, 0, 2}[i], 0, 0, 0, 0, time.UTC)
		w.Server.AddApplication(losanttest.Application{Name: name, OwnerID: loner.ID, CreationDate: day})
		w.Server.AddInstance(losanttest.Instance{Name: name, Members: []string{loner.ID}, CreationDate: day})
	}
	byDay := []string{"delta", "Alpha", "epsilon ci", "beta ci", "gamma CI"}
	client := w.Client(t, w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: loner.ID, Scope: []string{"all.User"}}))
	byName := []string{"Alpha", "beta ci", "delta", "epsilon ci", "gamma CI"}
	reversed := []string{"gamma CI", "epsilon ci", "delta", "beta ci", "Alpha"}
	cases := []struct {
		name  string
		query url.Values
		want  []string
		total int
		only  string // the one collection whose sort field this is; "" for both
	}{
		{"default: by name, ascending", nil, byName, 5, ""},
		{"by name, descending", url.Values{"sortDirection": {"desc"}}, reversed, 5, ""},
		{"by creation date", url.Values{"sortField": {"creationDate"}}, byDay, 5, ""},
		{"by last update, descending", url.Values{"sortField": {"lastUpdated"}, "sortDirection": {"desc"}},
			[]string{"gamma CI", "beta ci", "epsilon ci", "Alpha", "delta"}, 5, ""},
		{"by ID", url.Values{"sortField": {"id"}}, made, 5, ""},
		{"by owner: one owner, ties in creation order", url.Values{"sortField": {"ownerId"}, "sortDirection": {"asc"}}, byDay, 5, "applications"},
		{"name glob, any case", url.Values{"filter": {"* ci"}}, []string{"beta ci", "epsilon ci", "gamma CI"}, 3, ""},
		{"name glob in the middle", url.Values{"filterField": {"name"}, "filter": {"*l*a"}}, []string{"Alpha", "delta"}, 2, ""},
		{"no match", url.Values{"filter": {"zeta*"}}, nil, 0, ""},
		{"a regexp character is literal", url.Values{"filter": {"a.pha"}}, nil, 0, ""},
		{"page 1 of 2 per page", url.Values{"page": {"1"}, "perPage": {"2"}}, []string{"delta", "epsilon ci"}, 5, ""},
		{"last, short page", url.Values{"page": {"2"}, "perPage": {"2"}}, []string{"gamma CI"}, 5, ""},
		{"past the end", url.Values{"page": {"9"}, "perPage": {"2"}}, nil, 5, ""},
		{"a filtered page", url.Values{"filter": {"*a*"}, "page": {"1"}, "perPage": {"2"}, "sortDirection": {"desc"}}, []string{"beta ci", "Alpha"}, 4, ""},
		{"the whole list on a page as large as an int", url.Values{"perPage": {fmt.Sprint(math.MaxInt64)}}, byName, 5, ""},
	}
	for _, collection := range []string{"applications", "instances"} {
		for _, tc := range cases {
			if tc.only != "" && tc.only != collection {
				continue
			}
			t.Run(fmt.Sprint(collection, tc.name), func(t *testing.T) {
				page, err := listOwners(t, client, collection, tc.query)
				require.NoError(t, err)
				assert.Equal(t, tc.want, page.names())
				assert.Equal(t, len(tc.want), page.Count)
				assert.Equal(t, tc.total, page.TotalCount)
				assert.Equal(t, cmpOrString(tc.query.Get("page"), "0"), fmt.Sprint(page.Page))
				assert.Equal(t, cmpOrString(tc.query.Get("perPage"), "100"), fmt.Sprint(page.PerPage))
				assert.Equal(t, cmpOrString(tc.query.Get("sortField"), "name"), page.SortField)
				assert.Equal(t, cmpOrString(tc.query.Get("sortDirection"), "asc"), page.SortDirection)
				assert.Equal(t, tc.query.Get("filter"), page.Filter)
				if tc.query.Has("filter") {
					assert.Equal(t, "name", page.FilterField)
				}
			})
		}
	}
}

func cmpOrString(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// Each owner list accepts exactly the scopes of the reference's table
// (owner-collections.md); any other token, and every token of an
// application or an instance whatever its scopes, is answered 403 with
// the API's Error JSON.
func TestOwnerListsAcceptOnlyTheirScopes(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	userWith := func(scope string) losanttest.Token {
		return w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{scope}})
	}
	both := []string{"all.User", "all.User.bounded", "all.User.read"}
	onlyApps := []string{"all.User.cli", "applications.*", "applications.get", "all.Organization", "all.Organization.bounded",
		"all.Organization.read", "only.Organization", "only.Organization.bounded", "only.Organization.read"}
	onlyInstances := []string{"instances.*", "instances.get", "only.User", "only.User.bounded", "only.User.read"}
	neither := []string{"device.get", "userApiTokens.get", "orgs.get", "all.Application", "all.Instance"}
	for scopes, want := range map[*[]string][2]int{
		&both: {http.StatusOK, http.StatusOK}, &onlyApps: {http.StatusOK, http.StatusForbidden},
		&onlyInstances: {http.StatusForbidden, http.StatusOK}, &neither: {http.StatusForbidden, http.StatusForbidden},
	} {
		for _, scope := range *scopes {
			client := w.Client(t, userWith(scope))
			for i, collection := range []string{"applications", "instances"} {
				_, err := listOwners(t, client, collection, nil)
				assert.Equal(t, want[i], statusOf(err), "%s with %s", collection, scope)
			}
		}
	}

	// An application's or an instance's token, even one given a user's scopes.
	for _, bearer := range []losanttest.Token{w.AppBearer, w.InstanceBearer,
		w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: w.App.ID, Scope: []string{"applications.get", "all.User"}}),
		w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeInstance, OwnerID: w.Instance.ID, Scope: []string{"instances.get", "all.User"}}),
	} {
		client := w.Client(t, bearer)
		for _, collection := range []string{"applications", "instances"} {
			_, err := listOwners(t, client, collection, nil)
			var apiErr *losant.Error
			if assert.ErrorAs(t, err, &apiErr, "%s with %s's token", collection, bearer.OwnerType) {
				assert.Equal(t, http.StatusForbidden, apiErr.StatusCode)
				assert.Equal(t, "Forbidden", apiErr.Type)
				assert.Contains(t, apiErr.Message, "lacks a scope for list")
			}
		}
	}
}

// statusOf is the status of an API error, or 200 for none.
func statusOf(err error) int {
	var apiErr *losant.Error
	switch {
	case err == nil:
		return http.StatusOK
	case errors.As(err, &apiErr):
		return apiErr.StatusCode
	}
	return 0
}

// Hostile and malformed queries of the owner lists are refused as the
// token lists' are: 400 with the API's Error JSON, bounded, naming the
// parameter; absurd paging answers an empty page, never a panic.
func TestOwnerListsRefuseHostileQueries(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	for _, collection := range []string{"/applications", "/instances"} {
		for query, status := range map[string]int{
			"sortField=status":                        http.StatusBadRequest, // a token's field, not an owner's
			"sortField=expirationDate":                http.StatusBadRequest,
			"sortField=" + strings.Repeat("x", 10000): http.StatusBadRequest,
			"sortDirection=sideways":                  http.StatusBadRequest,
			"filterField=status":                      http.StatusBadRequest,
			"page=-1":                                 http.StatusBadRequest,
			"perPage=0":                               http.StatusBadRequest,
			"perPage=ten":                             http.StatusBadRequest,
			"page=99999999999999999999":               http.StatusBadRequest,
			"filter=" + strings.Repeat("*a", fakeMaxFilterLength):        http.StatusBadRequest,
			"page=9223372036854775807&perPage=9223372036854775807":       http.StatusOK,
			"page=92233720368547759&perPage=100":                         http.StatusOK,
			"filter=" + strings.Repeat("*", fakeMaxFilterLength-1) + "b": http.StatusOK,
		} {
			a := w.Send(t, w.UserBearer, http.MethodGet, collection+"?"+query, nil).Answered(t)
			assert.Equal(t, status, a.Status, "%s?%.80s", collection, query)
			assert.Less(t, a.Size, 2048, "%s?%.80s: a bounded answer", collection, query)
			if status == http.StatusBadRequest {
				assert.Equal(t, "Validation", a.Type, "%s?%.80s", collection, query)
				assert.Contains(t, a.Message, "query parameter", "%s?%.80s", collection, query)
			}
		}
	}
	assert.Equal(t, http.StatusOK, w.Send(t, w.UserBearer, http.MethodGet, "/applications?sortField=ownerId", nil).Answered(t).Status)
	a := w.Send(t, w.UserBearer, http.MethodGet, "/instances?sortField=ownerId", nil).Answered(t)
	assert.Equal(t, http.StatusBadRequest, a.Status, "an application's sort field is not an instance's")
	a = w.Send(t, losanttest.Token{}, http.MethodGet, "/applications", nil).Answered(t)
	assert.Equal(t, http.StatusUnauthorized, a.Status)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Send(t, w.UserBearer, http.MethodPost, "/applications", strings.NewReader(`{}`)).Answered(t).Status)
}

// A removed instance leaves the user's list of instances, with its tokens;
// removing it again, or an owner the fake never had, reports false.
func TestRemovedOwnersAreGoneWithTheirTokens(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer)
	require.True(t, w.Server.RemoveInstance(w.Instance.ID))
	assert.False(t, w.Server.RemoveInstance(w.Instance.ID))
	assert.False(t, w.Server.RemoveApplication(w.Instance.ID), "an instance's ID names no application")
	var page ownerPage
	require.NoError(t, client.Do(context.Background(), http.MethodGet, "instances", nil, &page))
	assert.Empty(t, page.names())
	_, found := w.Server.Token(w.InstanceTarget.ID)
	assert.False(t, found, "its tokens went with it")
	_, err := w.Client(t, w.InstanceBearer).APITokens(losant.Instance(w.Instance.ID)).List(context.Background(), losant.APITokenListOptions{})
	assert.True(t, losant.StatusCode(err) == http.StatusUnauthorized, "its tokens no longer authenticate: %v", err)
}
