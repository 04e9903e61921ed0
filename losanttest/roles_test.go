package losanttest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

// A token created with a default role and organization roles comes back
// with them from get and list; a patch replaces them, and an empty list
// clears them. (The fake stores and returns roles; it does not enforce
// them: what a token may do is its scopes.)
func TestFakeStoresAndReturnsRoles(t *testing.T) {
	t.Parallel()
	_, client, _ := newListWorld(t)
	ctx := context.Background()
	roles := []gen.APITokenOrgRole{
		{OrgID: "sandbox", Role: gen.APITokenRoleEdit},
		{OrgID: "575ec8687ae143cd83dc4a97", Role: gen.APITokenRoleView,
			ApplicationRoles: []gen.APITokenResourceRole{{ResourceID: "575ec8687ae143cd83dc4a98", Role: gen.APITokenResourceAccessCollaborate}},
			DashboardRoles:   []gen.APITokenResourceRole{{ResourceID: "575ec8687ae143cd83dc4a99", Role: gen.APITokenResourceAccessNone}}},
	}
	created, err := client.APITokens(losant.User()).Create(ctx, gen.APITokenPost{
		Name: "gateway", Scope: []string{"all.User.read"}, DefaultRole: losant.Ptr(gen.APITokenRoleView), OrgRoles: roles,
	})
	require.NoError(t, err)
	assert.Equal(t, gen.APITokenRoleView, created.DefaultRole)
	assert.Equal(t, roles, created.OrgRoles)

	got, err := client.APITokens(losant.User()).Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, gen.APITokenRoleView, got.DefaultRole)
	assert.Equal(t, roles, got.OrgRoles)
	page, err := client.APITokens(losant.User()).List(ctx, losant.APITokenListOptions{Filter: "gateway"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, roles, page.Items[0].OrgRoles)

	patched, err := client.APITokens(losant.User()).Patch(ctx, created.ID, gen.APITokenPatch{Description: losant.Ptr("x")})
	require.NoError(t, err)
	assert.Equal(t, roles, patched.OrgRoles, "a patch without orgRoles keeps them")
	patched, err = client.APITokens(losant.User()).Patch(ctx, created.ID, gen.APITokenPatch{
		DefaultRole: losant.Ptr(gen.APITokenRoleNone), OrgRoles: &[]gen.APITokenOrgRole{roles[0]}})
	require.NoError(t, err)
	assert.Equal(t, gen.APITokenRoleNone, patched.DefaultRole)
	assert.Equal(t, roles[:1], patched.OrgRoles)
	patched, err = client.APITokens(losant.User()).Patch(ctx, created.ID, gen.APITokenPatch{OrgRoles: &[]gen.APITokenOrgRole{}})
	require.NoError(t, err)
	assert.Empty(t, patched.OrgRoles, "an empty list clears them")
}

// API 1.30's only.User scopes reach the user's own tokens, and its
// *.bounded scopes read them, as the reference's table says; neither
// reaches what the table does not give it.
func TestFakeAcceptsAPI130Scopes(t *testing.T) {
	t.Parallel()
	srv := losanttest.New(t)
	user := srv.AddUser(losanttest.User{})
	app := srv.AddApplication(losanttest.Application{OwnerID: user.ID})
	only := srv.Client(srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"only.User"}}).Secret)
	bounded := srv.Client(srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User.bounded"}}).Secret)
	ctx := context.Background()

	created, err := only.APITokens(losant.User()).Create(ctx, gen.APITokenPost{Name: "ci", Scope: []string{"only.User.read"}})
	require.NoError(t, err, "only.User creates the user's tokens")
	_, err = only.APITokens(losant.User()).Patch(ctx, created.ID, gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)})
	require.NoError(t, err)
	page, err := only.APITokens(losant.User()).List(ctx, losant.APITokenListOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, page.TotalCount, "the two bearers and the new token")
	_, err = only.APITokens(losant.Application(app.ID)).List(ctx, losant.APITokenListOptions{})
	assert.True(t, losant.StatusCode(err) == http.StatusForbidden, "only.User does not reach applications: %v", err)
	require.NoError(t, only.APITokens(losant.User()).Delete(ctx, created.ID))

	_, err = bounded.APITokens(losant.User()).List(ctx, losant.APITokenListOptions{})
	assert.NoError(t, err, "all.User.bounded reads")
	_, err = bounded.APITokens(losant.Application(app.ID)).List(ctx, losant.APITokenListOptions{})
	assert.NoError(t, err, "all.User.bounded reads the user's applications' tokens")
	_, err = bounded.APITokens(losant.User()).Create(ctx, gen.APITokenPost{Name: "x"})
	assert.True(t, losant.StatusCode(err) == http.StatusForbidden, "a bounded scope does not create: %v", err)
}
