package losant_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
)

// What the API sends back reads as values: a field left out is its zero
// value, never a nil to dereference; only ExpirationDate says "never" by
// being nil.
func TestResponsesReadAsValues(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	ctx := context.Background()

	srv.respond(reply{status: 200, contentType: jsonType, body: `{"id": "575ec7417ae143cd83dc4a95"}`})
	sparse, err := client.APITokens(losant.User()).Get(ctx, apiTokenID)
	require.NoError(t, err)
	assert.Equal(t, gen.APIToken{ID: apiTokenID}, *sparse, "every other field is its zero value")
	assert.Nil(t, sparse.ExpirationDate, "no expirationDate: the token never expires")

	srv.respond(reply{status: 200, contentType: jsonType, body: tokenJSON, offSpec: true})
	full, err := client.APITokens(losant.User()).Get(ctx, apiTokenID)
	require.NoError(t, err)
	var name string = full.Name
	var status gen.APITokenStatus = full.Status
	var created time.Time = full.CreationDate
	assert.Equal(t, "My API Token", name)
	assert.Equal(t, gen.APITokenStatusActive, status)
	assert.Equal(t, time.Date(2016, 6, 13, 4, 0, 0, 0, time.UTC), created)
	require.NotNil(t, full.ExpirationDate)
	assert.Equal(t, time.Date(2017, 6, 13, 4, 0, 0, 0, time.UTC), *full.ExpirationDate)

	srv.respond(reply{status: 200, contentType: jsonType, body: `{"items": [{"name": "a"}], "count": 1, "totalCount": 7, "page": 2, "perPage": 1}`})
	page, err := client.APITokens(losant.User()).List(ctx, losant.APITokenListOptions{Page: 2, PerPage: 1})
	require.NoError(t, err)
	var total int = page.TotalCount
	assert.Equal(t, 7, total)
	assert.Equal(t, []any{1, 2, 1, "a"}, []any{page.Count, page.Page, page.PerPage, page.Items[0].Name})
}

// Decoding is forward compatible: fields, statuses and kinds a newer API
// adds never fail a call.
func TestResponsesFromANewerAPIDecode(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	srv.respond(reply{status: 200, contentType: jsonType, offSpec: true, body: `{
		"id": "575ec7417ae143cd83dc4a95", "name": "n", "status": "suspended",
		"ownerType": "organization", "creatorType": "device", "creatorName": "gateway 7",
		"scope": ["all.Application.bounded"], "defaultRole": "view",
		"orgRoles": [{"orgId": "sandbox", "role": "edit"}]}`})
	tok, err := client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	require.NoError(t, err)
	assert.Equal(t, gen.APITokenStatus("suspended"), tok.Status)
	assert.Equal(t, gen.APITokenOwnerType("organization"), tok.OwnerType)
	assert.Equal(t, gen.APITokenCreatorType("device"), tok.CreatorType)
	assert.Equal(t, "gateway 7", tok.CreatorName)
	assert.Equal(t, []string{"all.Application.bounded"}, tok.Scope)
}

// A role-based token, as API 1.30 describes it (the contract server checks
// the create body and the answer against the spec), decodes with its roles.
func TestRoleBasedTokenRoundTrip(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	srv.respond(reply{status: 201, contentType: jsonType, body: `{
		"id": "575ec7417ae143cd83dc4a95", "name": "gateway", "token": "s3cret", "status": "active",
		"defaultRole": "none", "orgRoles": [{"orgId": "sandbox", "role": "edit",
		"applicationRoles": [{"resourceId": "575ec8687ae143cd83dc4a97", "role": "view"}]}]}`})
	roles := []gen.APITokenOrgRole{{OrgID: "sandbox", Role: gen.APITokenRoleEdit,
		ApplicationRoles: []gen.APITokenResourceRole{{ResourceID: applicationID, Role: gen.APITokenResourceAccessView}}}}
	tok, err := client.APITokens(losant.User()).Create(context.Background(), gen.APITokenPost{
		Name: "gateway", DefaultRole: losant.Ptr(gen.APITokenRoleNone), OrgRoles: roles})
	require.NoError(t, err)
	assert.Equal(t, gen.APITokenRoleNone, tok.DefaultRole)
	assert.Equal(t, roles, tok.OrgRoles)
	assert.JSONEq(t, `{"name": "gateway", "defaultRole": "none", "orgRoles": [{"orgId": "sandbox", "role": "edit",
		"applicationRoles": [{"resourceId": "575ec8687ae143cd83dc4a97", "role": "view"}]}]}`, string(srv.only().Body))
}
