package losant_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
)

// tokensJSON is a page of two tokens, as the list actions answer.
const tokensJSON = `{
  "items": [` + tokenJSON + `, {"id": "575ec7417ae143cd83dc4a96", "name": "Second", "status": "inactive"}],
  "count": 2, "totalCount": 12, "page": 1, "perPage": 2,
  "sortField": "name", "sortDirection": "desc", "filter": "my*", "filterField": "name",
  "ownerId": "575ec8687ae143cd83dc4a97", "ownerType": "application"
}`

var allListOptions = losant.APITokenListOptions{
	SortField: losant.APITokenSortByCreationDate, SortDirection: losant.Descending,
	Page: 1, PerPage: 2, FilterField: losant.APITokenFilterByName, Filter: "my * token",
}

var allListQuery = url.Values{
	"sortField": {"creationDate"}, "sortDirection": {"desc"}, "page": {"1"}, "perPage": {"2"},
	"filterField": {"name"}, "filter": {"my * token"},
}

func TestListSendsTheQueryAndDecodesThePage(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv, losant.WithDomain("example.com"))
	srv.respond(reply{status: 200, contentType: jsonType, body: tokensJSON})
	calls := map[string]func(losant.APITokenListOptions) (*losant.APITokens, error){
		"/applications/" + applicationID + "/tokens": func(o losant.APITokenListOptions) (*losant.APITokens, error) {
			return client.ApplicationAPIToken.List(context.Background(), applicationID, o)
		},
		"/me/tokens": func(o losant.APITokenListOptions) (*losant.APITokens, error) {
			return client.UserAPIToken.List(context.Background(), o)
		},
	}
	for path, list := range calls {
		page, err := list(allListOptions)
		require.NoError(t, err, path)
		got := srv.only()
		assert.Equal(t, http.MethodGet, got.Method)
		assert.Equal(t, path, got.Path)
		assert.Equal(t, allListQuery, got.Query, "every option is a query field")
		assert.Equal(t, "Bearer "+testToken, got.Header.Get("Authorization"))
		assert.Equal(t, "example.com", got.Header.Get("losantdomain"))
		require.Len(t, page.Items, 2)
		assert.Equal(t, "My API Token", page.Items[0].Name)
		assert.Equal(t, losant.APITokenStatusInactive, page.Items[1].Status)
		assert.Equal(t, 2, page.Count)
		assert.Equal(t, 12, page.TotalCount)
		assert.Equal(t, 1, page.Page)
		assert.Equal(t, 2, page.PerPage)

		_, err = list(losant.APITokenListOptions{})
		require.NoError(t, err)
		assert.Empty(t, srv.only().Query, "zero options leave every field to the API's default")
	}
}

func TestCreateSendsTheBodyAndDecodesTheToken(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv.respond(reply{status: 201, contentType: jsonType, body: tokenJSON})

	tok, err := client.ApplicationAPIToken.Create(context.Background(), applicationID, losant.APITokenPost{
		Name: "CI", Description: losant.Ptr("for CI"), ExpirationDate: &expires,
		Scope: []string{"all.Application.read", "device.get"}, Status: losant.Ptr(losant.APITokenStatusActive),
	})
	require.NoError(t, err)
	assert.Equal(t, "the_actual_token_string", tok.Token, "the create answer carries the secret")
	got := srv.only()
	assert.Equal(t, http.MethodPost, got.Method)
	assert.Equal(t, "/applications/"+applicationID+"/tokens", got.Path)
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"name":"CI","description":"for CI","expirationDate":"2030-01-02T03:04:05Z",
		"scope":["all.Application.read","device.get"],"status":"active"}`, string(got.Body))

	_, err = client.UserAPIToken.Create(context.Background(), losant.APITokenPost{Name: "cli", Scope: []string{"all.User"}})
	require.NoError(t, err)
	got = srv.only()
	assert.Equal(t, "/me/tokens", got.Path)
	assert.JSONEq(t, `{"name":"cli","scope":["all.User"]}`, string(got.Body))
}

func TestCollectionActionsReportErrors(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv, losant.WithoutRetries())
	ctx := context.Background()
	calls := map[string]func() error{
		"app list": func() error {
			_, err := client.ApplicationAPIToken.List(ctx, applicationID, losant.APITokenListOptions{})
			return err
		},
		"user list": func() error { _, err := client.UserAPIToken.List(ctx, losant.APITokenListOptions{}); return err },
		"app create": func() error {
			_, err := client.ApplicationAPIToken.Create(ctx, applicationID, losant.APITokenPost{Name: "n"})
			return err
		},
		"user create": func() error { _, err := client.UserAPIToken.Create(ctx, losant.APITokenPost{Name: "n"}); return err },
	}
	for name, call := range calls {
		srv.respond(reply{status: 400, contentType: jsonType, body: `{"type":"Validation","message":"bad scope"}`})
		err := call()
		assert.True(t, losant.IsBadRequest(err), "%s: %v", name, err)
		srv.respond(reply{status: 200, contentType: jsonType, body: `{"items": {}, "name": 5}`, offSpec: true})
		var apiErr *losant.Error
		assert.ErrorAs(t, call(), &apiErr, "%s: a body off the schema", name)
	}
	assert.Len(t, srv.received(), 8)
}

func TestBadListOptionsAndCreatesAreRefusedUnsent(t *testing.T) {
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	ctx := context.Background()
	for field, o := range map[string]losant.APITokenListOptions{
		"sortField":     {SortField: "owner"},
		"sortDirection": {SortDirection: "up"},
		"page":          {Page: -1},
		"perPage":       {PerPage: -5},
		"filterField":   {FilterField: "scope"},
	} {
		_, err := client.UserAPIToken.List(ctx, o)
		assertArgumentError(t, err, field)
		_, err = client.ApplicationAPIToken.List(ctx, applicationID, o)
		assertArgumentError(t, err, field)
	}
	_, err := client.ApplicationAPIToken.List(ctx, "../me", losant.APITokenListOptions{})
	assertArgumentError(t, err, "applicationId")
	for field, body := range map[string]losant.APITokenPost{
		"name":        {},
		"description": {Name: "n", Description: losant.Ptr(strings.Repeat("d", 32768))},
		"status":      {Name: "n", Status: losant.Ptr(losant.APITokenStatus("on"))},
		"scope":       {Name: "n", Scope: []string{"all.User", "all.User"}},
	} {
		_, err := client.UserAPIToken.Create(ctx, body)
		assertArgumentError(t, err, field)
		_, err = client.ApplicationAPIToken.Create(ctx, applicationID, losant.APITokenPost(body))
		assertArgumentError(t, err, field)
	}
	assert.Empty(t, srv.received(), "nothing was sent")
}
