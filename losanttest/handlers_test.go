package losanttest_test

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/internal/shipped/wire"
	"github.com/specdriven/losant/losanttest"
)

func TestFakeActionsSucceedForEveryOwner(t *testing.T) {
	t.Parallel()
	for _, ownerType := range wire.OwnerTypes() {
		for _, a := range testworld.Actions() {
			t.Run(ownerType+"/"+a.Name, func(t *testing.T) {
				w := testworld.New(t)
				o := w.OwnerOf(t, gen.APITokenOwnerType(ownerType))
				tokens := w.Client(t, w.UserBearer).APITokens(o.Owner)
				ctx := context.Background()
				before, err := tokens.Get(ctx, o.Target.ID)
				require.NoError(t, err)
				assert.Equal(t, o.Owner.Type(), before.OwnerType)
				assert.Equal(t, cmp.Or(o.Owner.ID(), w.User.ID), before.OwnerID)

				got, err := a.Call(ctx, tokens, o.Target.ID)
				require.NoError(t, err)
				switch {
				case a.IsDelete():
					_, err := a.Call(ctx, tokens, o.Target.ID)
					assert.True(t, losant.StatusCode(err) == http.StatusNotFound, "a deleted token is gone: %v", err)
				case a.Method == http.MethodPatch:
					assert.Equal(t, *examplePatch.Name, got.Name)
					assert.Equal(t, gen.APITokenStatusInactive, got.Status)
					assert.Equal(t, before.CreationDate, got.CreationDate)
					assert.True(t, got.LastUpdated.After(before.LastUpdated), "lastUpdated moves on a patch")
				default:
					assert.Equal(t, o.Target.ID, got.ID)
					assert.Equal(t, o.Target.ID, got.APITokenID)
					assert.NotEmpty(t, got.Name)
					assert.NotEmpty(t, got.Scope)
					assert.Equal(t, gen.APITokenStatusActive, got.Status)
					assert.Empty(t, got.Token, "the secret is never returned by a get")
				}
			})
		}
	}
}

func TestFakePatchChangesOnlyTheGivenFields(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer)
	ctx := context.Background()
	before, err := client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	require.NoError(t, err)

	patched, err := client.APITokens(losant.User()).Patch(ctx, w.UserTarget.ID, gen.APITokenPatch{Description: losant.Ptr("nightly backups")})
	require.NoError(t, err)
	assert.Equal(t, "nightly backups", patched.Description)
	assert.Equal(t, before.Name, patched.Name)
	assert.Equal(t, before.Status, patched.Status)
	assert.Equal(t, before.Scope, patched.Scope)
	assert.Equal(t, before.CreationDate, patched.CreationDate)
	assert.False(t, patched.LastUpdated.Before(before.LastUpdated))

	again, err := client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	require.NoError(t, err)
	assert.Equal(t, patched, again, "a get sees the patch")
}

func TestFakeRejectsWhatTheRealAPIRejects(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	ctx := context.Background()
	unknown := "000000000000000000000000"
	cases := []struct {
		name   string
		bearer losanttest.Token
		target func(o testworld.Owner) (losant.Owner, string)
		status int
		typ    string
		in     string // a part of the message
	}{
		{"401 unknown bearer", losanttest.Token{Secret: "lsnt_unknown"}, ownTarget, 401, "Unauthorized", "access token"},
		{"403 no accepted scope", w.Unscoped, ownTarget, 403, "Forbidden", "one of"},
		{"404 unknown token", w.UserBearer, func(o testworld.Owner) (losant.Owner, string) { return o.Owner, unknown }, 404, "NotFound", "API Token was not found"},
		{"404 an owner out of reach", w.UserBearer, func(o testworld.Owner) (losant.Owner, string) {
			if o.Unreached == (losant.Owner{}) { // the user reaches only itself
				return o.Owner, w.OtherUserTarget.ID
			}
			return o.Unreached, o.Target.ID
		}, 404, "NotFound", "was not found"},
	}
	for _, tc := range cases {
		for _, o := range w.Owners(t) {
			for _, a := range testworld.Actions() {
				t.Run(tc.name+"/"+o.Name()+"/"+a.Name, func(t *testing.T) {
					owner, id := tc.target(o)
					_, err := a.Call(ctx, w.Client(t, tc.bearer).APITokens(owner), id)
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
}

func ownTarget(o testworld.Owner) (losant.Owner, string) { return o.Owner, o.Target.ID }

func TestFakeReadOnlyTokenCanOnlyRead(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.ReadOnly)
	for _, o := range w.Owners(t) {
		for _, a := range testworld.Actions() {
			_, err := a.Call(context.Background(), client.APITokens(o.Owner), o.Target.ID)
			if a.Method == http.MethodGet {
				assert.NoError(t, err, "%s %s", o.Name(), a.Name)
			} else {
				assert.True(t, losant.StatusCode(err) == http.StatusForbidden, "%s %s: %v", o.Name(), a.Name, err)
			}
		}
	}
}

// Each owner's own token acts on the owner's tokens and on nothing else:
// an application's or an instance's token reaches neither another owner
// of its kind nor another kind (the scopes of an instance action name no
// all.Application, and no only.User* scope grants one).
func TestFakeOwnerTokensStayWithTheirOwner(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	ctx := context.Background()
	for _, bearer := range w.Owners(t) {
		if bearer.Owner == losant.User() {
			continue // the user's token reaches more: the tests above
		}
		client := w.Client(t, bearer.Bearer)
		for _, o := range w.Owners(t) {
			t.Run(fmt.Sprint(o), func(t *testing.T) {
				_, err := client.APITokens(o.Owner).Get(ctx, o.Target.ID)
				switch {
				case o.Owner == bearer.Owner:
					assert.NoError(t, err, "%s's token on its own tokens", bearer.Name())
				default:
					var apiErr *losant.Error
					require.ErrorAs(t, err, &apiErr, "%s's token on %s's tokens", bearer.Name(), o.Name())
					assert.Contains(t, []int{http.StatusForbidden, http.StatusNotFound}, apiErr.StatusCode)
				}
				if o.Unreached != (losant.Owner{}) {
					_, err = client.APITokens(o.Unreached).Get(ctx, o.Target.ID)
					assert.Error(t, err, "%s's token on another %s", bearer.Name(), o.Name())
				}
			})
		}
	}
	onlyUser := w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"only.User"}})
	_, err := w.Client(t, onlyUser).APITokens(losant.Instance(w.Instance.ID)).Get(ctx, w.OwnerOf(t, gen.APITokenOwnerTypeInstance).Target.ID)
	assert.True(t, losant.StatusCode(err) == http.StatusForbidden, "only.User grants no instance action: %v", err)
}

func TestFakeApplicationTokenStaysInItsApplication(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.AppBearer)
	ctx := context.Background()
	_, err := client.APITokens(losant.Application(w.App.ID)).Get(ctx, w.AppTarget.ID)
	assert.NoError(t, err, "its own application")
	_, err = client.APITokens(losant.Application(w.OtherApp.ID)).Get(ctx, w.AppTarget.ID)
	assert.True(t, losant.StatusCode(err) == http.StatusNotFound, "another application: %v", err)
	_, err = client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	assert.True(t, losant.StatusCode(err) == http.StatusForbidden, "an application token has no /me: %v", err)
}

func TestFakeInactiveTokenCannotAuthenticate(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer)
	ctx := context.Background()
	_, err := client.APITokens(losant.User()).Patch(ctx, w.ReadOnly.ID, gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)})
	require.NoError(t, err)
	_, err = w.Client(t, w.ReadOnly).APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	assert.True(t, losant.StatusCode(err) == http.StatusUnauthorized, "%v", err)
}

func TestFakeRecordsTheDomain(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer, losant.WithDomain("client.example.com"))
	ctx := context.Background()
	_, err := client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID, losant.WithDomain("call.example.com"))
	require.NoError(t, err)
	reqs := w.Server.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "client.example.com", reqs[0].Domain)
	assert.Equal(t, "call.example.com", reqs[1].Domain)
	assert.Equal(t, losanttest.GetUserAPIToken, reqs[1].Operation)
	assert.Equal(t, http.StatusOK, reqs[1].Status)
}

func TestFakeUnderConcurrentClients(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer)
	ctx := context.Background()
	const goroutines = 16
	inParallel(t, goroutines, func(g int) error {
		name := fmt.Sprintf("writer %d", g)
		if _, err := client.APITokens(losant.User()).Patch(ctx, w.UserTarget.ID, gen.APITokenPatch{Name: &name}); err != nil {
			return err
		}
		_, err := client.APITokens(losant.Application(w.App.ID)).Get(ctx, w.AppTarget.ID)
		return err
	})
	got, err := client.APITokens(losant.User()).Get(ctx, w.UserTarget.ID)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(got.Name, "writer "), "one of the writers won: %s", got.Name)
	assert.Len(t, w.Server.Requests(), 2*goroutines+1)
}
