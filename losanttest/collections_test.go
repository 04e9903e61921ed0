package losanttest_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
)

func TestFakeCreateReturnsTheSecretOnce(t *testing.T) {
	t.Parallel()
	w, client, app := newListWorld(t)
	ctx := context.Background()
	created, err := client.APITokens(losant.User()).Create(ctx, gen.APITokenPost{Name: "deploy", Scope: []string{"all.User.read"}, Description: losant.Ptr("for deploys")})
	require.NoError(t, err)
	reqs := w.Server.Requests()
	assert.Equal(t, http.StatusCreated, reqs[len(reqs)-1].Status)
	require.NotEmpty(t, created.Token, "the create answer carries the secret")
	assert.Equal(t, "deploy", created.Name)
	assert.Equal(t, gen.APITokenStatusActive, created.Status)
	assert.Equal(t, []string{"all.User.read"}, created.Scope)
	assert.Equal(t, gen.APITokenCreatorTypeAPIToken, created.CreatorType)
	assert.Equal(t, w.UserBearer.ID, created.CreatorID)

	got, err := client.APITokens(losant.User()).Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Token, "a get never returns the secret")
	page, err := client.APITokens(losant.User()).List(ctx, losant.APITokenListOptions{})
	require.NoError(t, err)
	for _, tok := range page.Items {
		assert.Empty(t, tok.Token, "a list never returns the secret")
	}

	// The secret works, with the scopes it was given.
	asNew := w.Server.Client(created.Token)
	_, err = asNew.APITokens(losant.User()).Get(ctx, created.ID)
	assert.NoError(t, err)
	assert.True(t, losant.StatusCode(asNew.APITokens(losant.User()).Delete(ctx, created.ID)) == http.StatusForbidden, "all.User.read cannot delete")

	ingest, err := client.APITokens(losant.Application(app.ID)).Create(ctx, gen.APITokenPost{Name: "ingest", Scope: []string{"device.*"}})
	require.NoError(t, err)
	assert.Equal(t, gen.APITokenOwnerTypeApplication, ingest.OwnerType)
	assert.Equal(t, app.ID, ingest.OwnerID)
}

func TestFakeCreateRefusesBadScopes(t *testing.T) {
	t.Parallel()
	_, client, app := newListWorld(t)
	ctx := context.Background()
	for name, scope := range map[string][]string{
		"unknown scope":              {"all.Everything"},
		"a scope of another API":     {"all.Users"},
		"an empty scope":             {""},
		"a known and an unknown one": {"all.Application", "nope"},
	} {
		_, err := client.APITokens(losant.Application(app.ID)).Create(ctx, gen.APITokenPost{Name: "x", Scope: scope})
		var apiErr *losant.Error
		if assert.ErrorAs(t, err, &apiErr, name) {
			assert.Equal(t, 400, apiErr.StatusCode, name)
			assert.Equal(t, "Validation", apiErr.Type, name)
			assert.Contains(t, apiErr.Message, "scope", name)
		}
	}
	_, err := client.APITokens(losant.User()).Create(ctx, gen.APITokenPost{Name: "x", Scope: []string{"not.a.scope"}})
	assert.True(t, losant.StatusCode(err) == http.StatusBadRequest, "%v", err)
	page, err := client.APITokens(losant.Application(app.ID)).List(ctx, losant.APITokenListOptions{})
	require.NoError(t, err)
	assert.Empty(t, page.Items, "nothing was created")
}

func TestFakeListSortsFiltersAndPages(t *testing.T) {
	t.Parallel()
	w, client, app := newListWorld(t)
	ctx := context.Background()
	created := createApp(t, client, app, "beta ci", "Alpha", "gamma CI", "delta", "epsilon ci")
	_, err := client.APITokens(losant.Application(app.ID)).Patch(ctx, created[3].ID, gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)})
	require.NoError(t, err)

	cases := []struct {
		name string
		opts losant.APITokenListOptions
		want []string
	}{
		{"default: by name, ascending", losant.APITokenListOptions{}, []string{"Alpha", "beta ci", "delta", "epsilon ci", "gamma CI"}},
		{"by name, descending", losant.APITokenListOptions{SortDirection: gen.SortDirectionDesc}, []string{"gamma CI", "epsilon ci", "delta", "beta ci", "Alpha"}},
		{"by creation date", losant.APITokenListOptions{SortField: gen.APITokenSortFieldCreationDate}, []string{"beta ci", "Alpha", "gamma CI", "delta", "epsilon ci"}},
		{"by last update, descending", losant.APITokenListOptions{SortField: gen.APITokenSortFieldLastUpdated, SortDirection: gen.SortDirectionDesc}, []string{"delta", "epsilon ci", "gamma CI", "Alpha", "beta ci"}},
		{"by status", losant.APITokenListOptions{SortField: gen.APITokenSortFieldStatus}, []string{"beta ci", "Alpha", "gamma CI", "epsilon ci", "delta"}}, // ties in creation order
		{"name glob, any case", losant.APITokenListOptions{Filter: "* ci"}, []string{"beta ci", "epsilon ci", "gamma CI"}},
		{"name glob in the middle", losant.APITokenListOptions{FilterField: gen.APITokenFilterFieldName, Filter: "*l*a"}, []string{"Alpha", "delta"}},
		{"exact name", losant.APITokenListOptions{Filter: "delta"}, []string{"delta"}},
		{"status glob", losant.APITokenListOptions{FilterField: gen.APITokenFilterFieldStatus, Filter: "in*"}, []string{"delta"}},
		{"no match", losant.APITokenListOptions{Filter: "zeta*"}, nil},
		{"a regexp character is literal", losant.APITokenListOptions{Filter: "a.pha"}, nil},
		{"page 1 of 2 per page", losant.APITokenListOptions{Page: 1, PerPage: 2}, []string{"delta", "epsilon ci"}},
		{"last, short page", losant.APITokenListOptions{Page: 2, PerPage: 2}, []string{"gamma CI"}},
		{"past the end", losant.APITokenListOptions{Page: 9, PerPage: 2}, nil},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			page, err := client.APITokens(losant.Application(app.ID)).List(ctx, tc.opts)
			require.NoError(t, err, tc.name)
			assert.Equal(t, tc.want, names(page.Items), tc.name)
			assert.Equal(t, len(tc.want), page.Count, tc.name)
			assert.Equal(t, tc.opts.Page, page.Page, tc.name)
			wantPerPage := cmpOr(tc.opts.PerPage, 100)
			assert.Equal(t, wantPerPage, page.PerPage, tc.name)
			if tc.opts.PerPage == 0 {
				assert.Equal(t, len(tc.want), page.TotalCount, tc.name)
			} else {
				assert.Equal(t, 5, page.TotalCount, tc.name)
			}
		})
	}

	mine, err := client.APITokens(losant.User()).List(ctx, losant.APITokenListOptions{})
	require.NoError(t, err)
	userTokens := []string{w.UserBearer.Name, w.ReadOnly.Name, w.Unscoped.Name, w.UserTarget.Name}
	slices.Sort(userTokens) // the default order, by name
	assert.Equal(t, userTokens, names(mine.Items), "the user's own tokens only")
}

func TestFakeCreatesConcurrently(t *testing.T) {
	t.Parallel()
	_, client, app := newListWorld(t)
	const goroutines = 40
	inParallel(t, goroutines, func(g int) error {
		_, err := client.APITokens(losant.Application(app.ID)).Create(context.Background(), gen.APITokenPost{Name: "t", Scope: []string{"all.Application"}})
		return err
	})
	var ids []string
	for tok, err := range client.APITokens(losant.Application(app.ID)).All(context.Background(), losant.APITokenListOptions{PerPage: 16}) {
		t.Run(fmt.Sprint(tok), func(t *testing.T) {
			require.NoError(t, err)
			ids = append(ids, tok.ID)
		})
	}
	slices.Sort(ids)
	assert.Len(t, slices.Compact(ids), goroutines, "every create made one token")
}
