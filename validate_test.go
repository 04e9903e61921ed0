package losant_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
)

// Bad path IDs are refused before anything is sent, with the field's name.
// Among them are the IDs that could take a request to another path.
func TestBadIDsAreRefusedUnsent(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	badIDs := []string{
		"", ".", "..", "../../applications", "%2F..", "a/b", "x?y=1", "a#b",
		"575ec7417ae143cd83dc4a9",        // 23 characters
		"575ec7417ae143cd83dc4a955",      // 25
		"575ec7417ae143cd83dc4a9z",       // not hex
		"575ec7417ae143cd83dc4a9\n",      // control character
		"575ec7417ae143cd83dc4a9é",       // 24 bytes, 23 characters
		strings.Repeat("0", 23) + "/",    // a slash at the end
		"%35%37%35ec7417ae143cd83dc4a95", // escaped hex
		"\u0660575ec7417ae143cd83dc4a9",  // a non-ASCII digit
		strings.Repeat("575ec7417ae143cd83dc4a95", 1000),
	}
	for _, a := range actions {
		for _, bad := range badIDs {
			_, err := a.call(context.Background(), client, a.owner.owner, bad)
			assertArgumentError(t, err, "apiTokenId")
			if !a.isUser() {
				badOwner := a.owner.with(bad)
				_, err := a.call(context.Background(), client, badOwner, apiTokenID)
				assertArgumentError(t, err, map[bool]string{true: "applicationId", false: "instanceId"}[badOwner.Type() == gen.APITokenOwnerTypeApplication])
				if bad != "" {
					assert.NotContains(t, badOwner.String(), bad, "an owner never prints an ID that is not one")
				}
			}
		}
	}
	assert.Empty(t, srv.received(), "nothing was sent")
}

// Both cases of hexadecimal are IDs, as the spec's pattern says.
func TestIDsInEitherCaseAreSent(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	srv.respond(reply{status: 200, contentType: jsonType, body: tokenJSON})
	for _, id := range []string{"575EC7417AE143CD83DC4A95", "0123456789abcdefABCDEF00"} {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			_, err := client.APITokens(losant.User()).Get(context.Background(), id)
			require.NoError(t, err, id)
			assert.Equal(t, "/me/tokens/"+id, srv.only().Path)
		})
	}
}

func TestBadPatchesAreRefusedUnsent(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	cases := []struct {
		name  string
		patch gen.APITokenPatch
		field string
	}{
		{"empty name", gen.APITokenPatch{Name: losant.Ptr("")}, "name"},
		{"name over 255", gen.APITokenPatch{Name: losant.Ptr(strings.Repeat("n", 256))}, "name"},
		{"name over 255 characters in 2-byte runes", gen.APITokenPatch{Name: losant.Ptr(strings.Repeat("é", 256))}, "name"},
		{"description over 32767", gen.APITokenPatch{Description: losant.Ptr(strings.Repeat("d", 32768))}, "description"},
		{"status neither", gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatus("paused"))}, "status"},
		{"status empty", gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatus(""))}, "status"},
		{"status in capitals", gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatus("ACTIVE"))}, "status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := client.APITokens(losant.User()).Patch(context.Background(), apiTokenID, tc.patch)
			assertArgumentError(t, err, tc.field)
			_, err = client.APITokens(losant.Application(applicationID)).Patch(context.Background(), apiTokenID, tc.patch)
			assertArgumentError(t, err, tc.field)
		})
	}
	assert.Empty(t, srv.received(), "nothing was sent")
}

// The limits are inclusive: a patch at each limit goes out.
func TestPatchesAtTheLimitsAreSent(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	srv.respond(reply{status: 200, contentType: jsonType, body: tokenJSON})
	for _, patch := range []gen.APITokenPatch{
		{Name: losant.Ptr("n")},
		{Name: losant.Ptr(strings.Repeat("é", 255))},
		{Description: losant.Ptr("")},
		{Description: losant.Ptr(strings.Repeat("d", 32767))},
		{Status: losant.Ptr(gen.APITokenStatusActive)},
		{},
	} {
		t.Run(fmt.Sprint(patch), func(t *testing.T) {
			_, err := client.APITokens(losant.User()).Patch(context.Background(), apiTokenID, patch)
			require.NoError(t, err)
			srv.only()
		})
	}
}

func TestBadCallDomainsAreRefusedUnsent(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	for _, bad := range []string{"a.example.com\r\nAuthorization: Bearer x", "a\nb", "a\rb", "a\x00b", "a\tb", "a\x7fb"} {
		for _, a := range actions {
			_, err := a.do(context.Background(), client, losant.WithDomain(bad))
			assertArgumentError(t, err, "losantdomain")
		}
	}
	assert.Empty(t, srv.received(), "nothing was sent")
}

// orgRole builds an organization's roles for the role tests: one organization (or more)
// with n application and n dashboard roles.
func orgRole(orgID string, n int) gen.APITokenOrgRole {
	org := gen.APITokenOrgRole{OrgID: orgID, Role: gen.APITokenRoleView}
	for i := range n {
		r := gen.APITokenResourceRole{ResourceID: fmt.Sprintf("%024x", i), Role: gen.APITokenResourceAccessView}
		org.ApplicationRoles = append(org.ApplicationRoles, r)
		org.DashboardRoles = append(org.DashboardRoles, r)
	}
	return org
}

// Roles the API would refuse are refused before anything is sent, by
// patch and by create, with the field named by its place.
func TestBadRolesAreRefusedUnsent(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	org := func(mutate func(*gen.APITokenOrgRole)) []gen.APITokenOrgRole {
		o := orgRole(applicationID, 2)
		mutate(&o)
		return []gen.APITokenOrgRole{orgRole("sandbox", 0), o}
	}
	many := make([]gen.APITokenOrgRole, 26)
	for i := range many {
		many[i] = orgRole("sandbox", 0)
	}
	cases := []struct {
		name        string
		defaultRole *gen.APITokenRole
		orgRoles    []gen.APITokenOrgRole
		field       string
	}{
		{"unknown default role", losant.Ptr(gen.APITokenRole("owner")), nil, "defaultRole"},
		{"26 organizations", nil, many, "orgRoles"},
		{"org ID neither an ID nor sandbox", nil, org(func(o *gen.APITokenOrgRole) { o.OrgID = "Sandbox" }), "orgRoles[1].orgId"},
		{"empty org ID", nil, org(func(o *gen.APITokenOrgRole) { o.OrgID = "" }), "orgRoles[1].orgId"},
		{"unknown org role", nil, org(func(o *gen.APITokenOrgRole) { o.Role = "owner" }), "orgRoles[1].role"},
		{"missing org role", nil, org(func(o *gen.APITokenOrgRole) { o.Role = "" }), "orgRoles[1].role"},
		{"101 application roles", nil, org(func(o *gen.APITokenOrgRole) { *o = orgRole(o.OrgID, 101) }), "orgRoles[1].applicationRoles"},
		{"bad resource ID", nil, org(func(o *gen.APITokenOrgRole) { o.ApplicationRoles[1].ResourceID = "x" }), "orgRoles[1].applicationRoles[1].resourceId"},
		{"admin on a dashboard", nil, org(func(o *gen.APITokenOrgRole) { o.DashboardRoles[0].Role = "admin" }), "orgRoles[1].dashboardRoles[0].role"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var patch gen.APITokenPatch
			patch.DefaultRole = tc.defaultRole
			if tc.orgRoles != nil {
				patch.OrgRoles = &tc.orgRoles
			}
			_, err := client.APITokens(losant.User()).Patch(context.Background(), apiTokenID, patch)
			assertArgumentError(t, err, tc.field)
			_, err = client.APITokens(losant.Application(applicationID)).Create(context.Background(),
				gen.APITokenPost{Name: "n", DefaultRole: tc.defaultRole, OrgRoles: tc.orgRoles})
			assertArgumentError(t, err, tc.field)
		})
	}
	assert.Empty(t, srv.received(), "nothing was sent")
}

// Roles at every limit go out, and the spec allows what is sent: 25
// organizations, 100 roles of each kind, the sandbox, an emptied list.
func TestRolesAtTheLimitsAreSent(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	srv.respond(reply{status: 200, contentType: jsonType, body: tokenJSON})
	many := make([]gen.APITokenOrgRole, 25)
	for i := range many {
		many[i] = orgRole(fmt.Sprintf("%024X", i), 0)
	}
	many[0] = orgRole("sandbox", 100)
	for _, patch := range []gen.APITokenPatch{
		{OrgRoles: &many},
		{OrgRoles: &[]gen.APITokenOrgRole{}},
		{DefaultRole: losant.Ptr(gen.APITokenRoleNone)},
	} {
		t.Run(fmt.Sprint(patch), func(t *testing.T) {
			_, err := client.APITokens(losant.User()).Patch(context.Background(), apiTokenID, patch)
			require.NoError(t, err)
			sent := srv.only()
			want, err := json.Marshal(patch)
			require.NoError(t, err)
			assert.JSONEq(t, string(want), string(sent.Body))
		})
	}
	assert.Equal(t, `{"orgRoles":[]}`, func() string {
		b, _ := json.Marshal(gen.APITokenPatch{OrgRoles: &[]gen.APITokenOrgRole{}})
		return string(b)
	}(),
		"a pointer to an empty list sends one, to clear the roles")
}

// What the fake would answer 400 to (losanttest's tests show it does) the
// client refuses before sending: the fake sees no request.
func TestBadInputNeverReachesTheFake(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer)
	ctx := context.Background()
	before := len(w.Server.Requests())
	for _, a := range actions {
		_, err := a.call(ctx, client, a.owner.owner, "not-a-token-id")
		assert.ErrorIs(t, err, losant.ErrInvalidArgument, a.name)
		if !a.isUser() {
			_, err := a.call(ctx, client, a.owner.with("575ec8687ae143cd83dc4a9z"), w.AppTarget.ID)
			assert.ErrorIs(t, err, losant.ErrInvalidArgument, a.name)
		}
	}
	for name, patch := range map[string]gen.APITokenPatch{
		"empty name":             {Name: losant.Ptr("")},
		"name over 255":          {Name: losant.Ptr(strings.Repeat("n", 256))},
		"status neither":         {Status: losant.Ptr(gen.APITokenStatus("paused"))},
		"description over 32767": {Description: losant.Ptr(strings.Repeat("d", 32768))},
	} {
		_, err := client.APITokens(losant.User()).Patch(ctx, w.UserTarget.ID, patch)
		assert.ErrorIs(t, err, losant.ErrInvalidArgument, name)
	}
	assert.Len(t, w.Server.Requests(), before, "the fake saw no request")
	got, err := client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	require.NoError(t, err)
	assert.Equal(t, w.UserTarget.Name, got.Name, "a refused patch changes nothing")
}
