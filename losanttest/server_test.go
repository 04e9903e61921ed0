package losanttest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/losanttest"
)

func TestFixturesFileSeedsTheServer(t *testing.T) {
	f, err := losanttest.LoadFixtures("../testdata/fixtures.json")
	require.NoError(t, err)
	srv := losanttest.New(t, losanttest.WithFixtures(f))
	client, err := srv.Client("lsnt_user_demo_secret")
	require.NoError(t, err)
	tok, err := client.ApplicationAPIToken.Get(context.Background(), "575ec8687ae143cd83dc4a97", "575ec7417ae143cd83dc4a95")
	require.NoError(t, err)
	assert.Equal(t, "My API Token", tok.Name)
	assert.Equal(t, "Reports uploader", tok.Description)
	assert.Equal(t, []string{"all.Application"}, tok.Scope)
}

func TestBadFixturesAreRefused(t *testing.T) {
	user := losanttest.User{ID: "575ed70c7ae143cd83dc4aa9"}
	for name, tc := range map[string]struct {
		f    losanttest.Fixtures
		want string
	}{
		"bad user ID":          {losanttest.Fixtures{Users: []losanttest.User{{ID: "u1"}}}, "24 hexadecimal"},
		"app of unknown user":  {losanttest.Fixtures{Applications: []losanttest.Application{{OwnerID: "575ed70c7ae143cd83dc4aa9"}}}, "not a known user"},
		"token owner type":     {losanttest.Fixtures{Users: []losanttest.User{user}, Tokens: []losanttest.Token{{OwnerType: "org", OwnerID: user.ID}}}, "owner type"},
		"token of unknown app": {losanttest.Fixtures{Tokens: []losanttest.Token{{OwnerType: losanttest.OwnerApplication, OwnerID: user.ID}}}, "not a known application"},
		"token status":         {losanttest.Fixtures{Users: []losanttest.User{user}, Tokens: []losanttest.Token{{OwnerType: losanttest.OwnerUser, OwnerID: user.ID, Status: "paused"}}}, "neither active nor inactive"},
		"shared secret": {losanttest.Fixtures{Users: []losanttest.User{user}, Tokens: []losanttest.Token{
			{OwnerType: losanttest.OwnerUser, OwnerID: user.ID, Secret: "same"},
			{OwnerType: losanttest.OwnerUser, OwnerID: user.ID, Secret: "same"},
		}}, "already another token's"},
	} {
		t.Run(name, func(t *testing.T) {
			srv, err := losanttest.NewServer(losanttest.WithFixtures(tc.f))
			assert.Nil(t, srv)
			assert.ErrorContains(t, err, tc.want)
		})
	}
	_, err := losanttest.LoadFixtures("testdata/missing.json")
	assert.Error(t, err)
}

func TestAddTokenFillsInWhatIsMissing(t *testing.T) {
	srv := losanttest.New(t)
	u, err := srv.AddUser(losanttest.User{})
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9a-f]{24}$`, u.ID)
	tok, err := srv.AddToken(losanttest.Token{OwnerType: losanttest.OwnerUser, OwnerID: u.ID, Scope: []string{"all.User"}})
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9a-f]{24}$`, tok.ID)
	assert.NotEmpty(t, tok.Secret)
	assert.NotEmpty(t, tok.Name)
	assert.Equal(t, "active", tok.Status)
	other, err := srv.AddToken(losanttest.Token{OwnerType: losanttest.OwnerUser, OwnerID: u.ID})
	require.NoError(t, err)
	assert.NotEqual(t, tok.Secret, other.Secret)
}

func TestUnknownPathsAndMethodsGetErrorJSON(t *testing.T) {
	srv := losanttest.New(t)
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/applications", http.StatusNotFound},
		{"GET", "/me/tokens/575ec7417ae143cd83dc4a95/extra", http.StatusNotFound},
		{"POST", "/me/tokens/575ec7417ae143cd83dc4a95", http.StatusMethodNotAllowed},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, tc.status, resp.StatusCode, tc.path)
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		assert.Contains(t, string(body), `"type":`)
	}
	assert.Len(t, srv.Requests(), 3)
	assert.Empty(t, srv.Requests()[0].Operation)
}

func TestExpiredTokenCannotAuthenticate(t *testing.T) {
	var now atomic.Int64
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now.Store(start.UnixNano())
	srv := losanttest.New(t, losanttest.WithClock(func() time.Time { return time.Unix(0, now.Load()) }))
	u, err := srv.AddUser(losanttest.User{})
	require.NoError(t, err)
	expires := start.Add(time.Hour)
	tok, err := srv.AddToken(losanttest.Token{OwnerType: losanttest.OwnerUser, OwnerID: u.ID, Scope: []string{"all.User"}, ExpirationDate: &expires})
	require.NoError(t, err)
	client, err := srv.Client(tok.Secret)
	require.NoError(t, err)

	got, err := client.UserAPIToken.Get(context.Background(), tok.ID)
	require.NoError(t, err)
	assert.Equal(t, expires, got.ExpirationDate.UTC())
	assert.Equal(t, start, got.CreationDate.UTC(), "the clock option sets creation times")

	now.Store(expires.UnixNano())
	_, err = client.UserAPIToken.Get(context.Background(), tok.ID)
	assert.True(t, losant.IsUnauthorized(err), "%v", err)
}

func TestDeletingTheBearerItselfRevokesIt(t *testing.T) {
	srv := losanttest.New(t)
	u, _ := srv.AddUser(losanttest.User{})
	tok, err := srv.AddToken(losanttest.Token{OwnerType: losanttest.OwnerUser, OwnerID: u.ID, Scope: []string{"userApiToken.*"}})
	require.NoError(t, err)
	client, _ := srv.Client(tok.Secret)
	require.NoError(t, client.UserAPIToken.Delete(context.Background(), tok.ID))
	_, err = client.UserAPIToken.Get(context.Background(), tok.ID)
	assert.True(t, losant.IsUnauthorized(err), "%v", err)
}

func TestMissingBearerIs401(t *testing.T) {
	srv := losanttest.New(t)
	resp, err := http.Get(srv.URL + "/me/tokens/575ec7417ae143cd83dc4a95")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.True(t, strings.Contains(string(body), `"type":"Unauthorized"`), string(body))
}

// A bad request gets a 400 whose message names what was wrong, for clients
// that, unlike package losant, can send any JSON.
func TestBadRequestsSayWhatWasWrong(t *testing.T) {
	srv := losanttest.New(t)
	u, _ := srv.AddUser(losanttest.User{})
	bearer, err := srv.AddToken(losanttest.Token{OwnerType: losanttest.OwnerUser, OwnerID: u.ID, Scope: []string{"all.User"}})
	require.NoError(t, err)
	path := "/me/tokens/" + bearer.ID
	for _, tc := range []struct {
		name, method, path, body, want string
	}{
		{"bad ID pattern", "GET", "/me/tokens/xyz", "", "apiTokenId"},
		{"unknown patch field", "PATCH", path, `{"owner":"someone"}`, "owner"},
		{"name over 255", "PATCH", path, `{"name":"` + strings.Repeat("n", 256) + `"}`, "name"},
		{"wrong status", "PATCH", path, `{"status":"paused"}`, "status"},
		{"not JSON", "PATCH", path, `{"name":`, "body"},
		{"create without a name", "POST", "/me/tokens", `{"scope":["all.User"]}`, "name"},
		{"create with a scope twice", "POST", "/me/tokens", `{"name":"n","scope":["all.User","all.User"]}`, "duplicate"},
		{"create with an unknown field", "POST", "/me/tokens", `{"name":"n","owner":"x"}`, "owner"},
		{"list sorted by an unknown field", "GET", "/me/tokens?sortField=owner", "", "sortField"},
		{"list with 0 per page", "GET", "/me/tokens?perPage=0", "", "perPage"},
		{"list from page -1", "GET", "/me/tokens?page=-1", "", "page"},
		{"list filtered on scope", "GET", "/me/tokens?filterField=scope&filter=x", "", "filterField"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+bearer.Secret)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			var body struct{ Type, Message string }
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Equal(t, "Validation", body.Type)
			assert.Contains(t, body.Message, tc.want)
		})
	}
	got, err := srv.Client(bearer.Secret)
	require.NoError(t, err)
	tok, err := got.UserAPIToken.Get(context.Background(), bearer.ID)
	require.NoError(t, err)
	assert.Equal(t, bearer.Name, tok.Name, "no rejected patch changed the token")
	all, err := got.UserAPIToken.List(context.Background(), losant.APITokenListOptions{})
	require.NoError(t, err)
	assert.Len(t, all.Items, 1, "no rejected create made a token")
}
