package losanttest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/losanttest"
)

func TestFakeActionsSucceed(t *testing.T) {
	for _, a := range actions {
		t.Run(a.name, func(t *testing.T) {
			w := newFakeWorld(t)
			client := w.client(t, w.userBearer)
			id := w.target(a)
			ctx := context.Background()
			get := actions[0]
			if a.isUser() {
				get = actions[3]
			}
			before, err := get.call(ctx, client, id)
			require.NoError(t, err)

			got, err := a.call(ctx, client, id)
			require.NoError(t, err)
			switch {
			case a.isDelete():
				_, err := a.call(ctx, client, id)
				assert.True(t, losant.IsNotFound(err), "a deleted token is gone: %v", err)
			case a.method == http.MethodPatch:
				assert.Equal(t, *examplePatch.Name, got.Name)
				assert.Equal(t, losant.APITokenStatusInactive, got.Status)
				assert.Equal(t, before.CreationDate, got.CreationDate)
				assert.True(t, got.LastUpdated.After(before.LastUpdated), "lastUpdated moves on a patch")
			default:
				assert.Equal(t, id.token, got.ID)
				assert.Equal(t, id.token, got.APITokenID)
				assert.NotEmpty(t, got.Name)
				assert.NotEmpty(t, got.Scope)
				assert.Equal(t, losant.APITokenStatusActive, got.Status)
				assert.Empty(t, got.Token, "the secret is never returned by a get")
			}
		})
	}
}

func TestFakePatchChangesOnlyTheGivenFields(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.userBearer)
	ctx := context.Background()
	before, err := client.UserAPIToken.Get(ctx, w.userTarget.ID)
	require.NoError(t, err)

	patched, err := client.UserAPIToken.Patch(ctx, w.userTarget.ID, losant.APITokenPatch{Description: losant.Ptr("nightly backups")})
	require.NoError(t, err)
	assert.Equal(t, "nightly backups", patched.Description)
	assert.Equal(t, before.Name, patched.Name)
	assert.Equal(t, before.Status, patched.Status)
	assert.Equal(t, before.Scope, patched.Scope)
	assert.Equal(t, before.CreationDate, patched.CreationDate)
	assert.False(t, patched.LastUpdated.Before(before.LastUpdated))

	again, err := client.UserAPIToken.Get(ctx, w.userTarget.ID)
	require.NoError(t, err)
	assert.Equal(t, patched, again, "a get sees the patch")
}

func TestFakeRejectsWhatTheRealAPIRejects(t *testing.T) {
	w := newFakeWorld(t)
	ctx := context.Background()
	unknown := "000000000000000000000000"
	cases := []struct {
		name   string
		bearer losanttest.Token
		id     func(a action) ids
		status int
		typ    string
		in     string // a part of the message
	}{
		{"401 unknown bearer", losanttest.Token{Secret: "lsnt_unknown"}, w.target, 401, "Unauthorized", "access token"},
		{"403 no accepted scope", w.unscoped, w.target, 403, "Forbidden", "one of"},
		{"404 unknown token", w.userBearer, func(a action) ids { return ids{app: w.app.ID, token: unknown} }, 404, "NotFound", "API Token was not found"},
		{"404 another user's token", w.userBearer, func(a action) ids {
			if a.isUser() {
				return ids{token: w.otherUserTarget.ID}
			}
			return ids{app: w.otherApp.ID, token: w.appTarget.ID}
		}, 404, "NotFound", "was not found"},
	}
	for _, tc := range cases {
		for _, a := range actions {
			t.Run(tc.name+"/"+a.name, func(t *testing.T) {
				client := w.client(t, tc.bearer)
				_, err := a.call(ctx, client, tc.id(a))
				var apiErr *losant.Error
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.status, apiErr.StatusCode)
				assert.Equal(t, tc.typ, apiErr.Type)
				assert.Contains(t, apiErr.Message, tc.in)
				assert.NotContains(t, err.Error(), tc.bearer.Secret)
			})
		}
	}
}

func TestFakeReadOnlyTokenCanOnlyRead(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.readOnly)
	for _, a := range actions {
		_, err := a.call(context.Background(), client, w.target(a))
		if a.method == http.MethodGet {
			assert.NoError(t, err, a.name)
		} else {
			assert.True(t, losant.IsForbidden(err), "%s: %v", a.name, err)
		}
	}
}

func TestFakeApplicationTokenStaysInItsApplication(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.appBearer)
	ctx := context.Background()
	_, err := client.ApplicationAPIToken.Get(ctx, w.app.ID, w.appTarget.ID)
	assert.NoError(t, err, "its own application")
	_, err = client.ApplicationAPIToken.Get(ctx, w.otherApp.ID, w.appTarget.ID)
	assert.True(t, losant.IsNotFound(err), "another application: %v", err)
	_, err = client.UserAPIToken.Get(ctx, w.userTarget.ID)
	assert.True(t, losant.IsForbidden(err), "an application token has no /me: %v", err)
}

func TestFakeInactiveTokenCannotAuthenticate(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.userBearer)
	ctx := context.Background()
	_, err := client.UserAPIToken.Patch(ctx, w.readOnly.ID, losant.APITokenPatch{Status: losant.Ptr(losant.APITokenStatusInactive)})
	require.NoError(t, err)
	_, err = w.client(t, w.readOnly).UserAPIToken.Get(ctx, w.userTarget.ID)
	assert.True(t, losant.IsUnauthorized(err), "%v", err)
}

func TestFakeRecordsTheDomain(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.userBearer, losant.WithDomain("client.example.com"))
	ctx := context.Background()
	_, err := client.UserAPIToken.Get(ctx, w.userTarget.ID)
	require.NoError(t, err)
	_, err = client.UserAPIToken.Get(ctx, w.userTarget.ID, losant.Domain("call.example.com"))
	require.NoError(t, err)
	reqs := w.srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "client.example.com", reqs[0].Domain)
	assert.Equal(t, "call.example.com", reqs[1].Domain)
	assert.Equal(t, "getUserApiToken", reqs[1].Operation)
	assert.Equal(t, http.StatusOK, reqs[1].Status)
}

func TestFakeUnderConcurrentClients(t *testing.T) {
	w := newFakeWorld(t)
	client := w.client(t, w.userBearer)
	ctx := context.Background()
	const goroutines = 16
	inParallel(t, goroutines, func(g int) error {
		name := fmt.Sprintf("writer %d", g)
		if _, err := client.UserAPIToken.Patch(ctx, w.userTarget.ID, losant.APITokenPatch{Name: &name}); err != nil {
			return err
		}
		_, err := client.ApplicationAPIToken.Get(ctx, w.app.ID, w.appTarget.ID)
		return err
	})
	got, err := client.UserAPIToken.Get(ctx, w.userTarget.ID)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(got.Name, "writer "), "one of the writers won: %s", got.Name)
	assert.Len(t, w.srv.Requests(), 2*goroutines+1)
}
