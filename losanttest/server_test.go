package losanttest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

func TestFixturesFileSeedsTheServer(t *testing.T) {
	t.Parallel()
	f, err := losanttest.LoadFixtures("../testdata/fixtures.json")
	require.NoError(t, err)
	srv := losanttest.New(t, losanttest.WithFixtures(f))
	client := srv.Client("lsnt_user_demo_secret")
	tok, err := client.APITokens(losant.Application("575ec8687ae143cd83dc4a97")).Get(context.Background(), "575ec7417ae143cd83dc4a95")
	require.NoError(t, err)
	assert.Equal(t, "My API Token", tok.Name)
	assert.Equal(t, "Reports uploader", tok.Description)
	assert.Equal(t, []string{"all.Application"}, tok.Scope)

	var apps gen.Applications
	require.NoError(t, client.Do(context.Background(), http.MethodGet, "applications?sortField=creationDate&sortDirection=desc", nil, &apps))
	require.Len(t, apps.Items, 2, "ada's, not bob's")
	assert.Equal(t, "Weather Station", apps.Items[0].Name)
	assert.Equal(t, "Rooftop sensors", apps.Items[0].Description)
	assert.Equal(t, time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC), apps.Items[0].CreationDate)
	var instances gen.Instances
	require.NoError(t, client.Do(context.Background(), http.MethodGet, "instances", nil, &instances))
	require.Len(t, instances.Items, 2)
	assert.Equal(t, time.Unix(0x575ec868, 0).UTC(), instances.Items[0].CreationDate, "Acme's: when not given, the time its ObjectId holds")
	assert.Equal(t, []gen.InstanceMember{{UserID: "575ed70c7ae143cd83dc4ab0", Role: gen.InstanceMemberRoleAdmin},
		{UserID: "575ed70c7ae143cd83dc4aa9", Role: gen.InstanceMemberRoleView}}, instances.Items[1].Members)
}

// Fixtures whose values the spec refuses, or which contradict each
// other, stop the server from starting, with an error naming the entry by
// its place and the field.
func TestBadFixturesAreRefused(t *testing.T) {
	t.Parallel()
	user := losanttest.User{ID: "575ed70c7ae143cd83dc4aa9"}
	users := []losanttest.User{user}
	tok := func(t losanttest.Token) losanttest.Fixtures {
		if t.OwnerType == "" {
			t.OwnerType, t.OwnerID = gen.APITokenOwnerTypeUser, user.ID
		}
		return losanttest.Fixtures{Users: users, Tokens: []losanttest.Token{{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID}, t}}
	}
	for name, tc := range map[string]struct {
		f    losanttest.Fixtures
		want string
	}{
		"bad user ID":          {losanttest.Fixtures{Users: []losanttest.User{user, {ID: "u1"}}}, `users[1].id: "u1" is not 24 hexadecimal`},
		"duplicate user":       {losanttest.Fixtures{Users: []losanttest.User{user, user}}, "users[1].id: 575ed70c7ae143cd83dc4aa9 is already a user's"},
		"app of unknown user":  {losanttest.Fixtures{Applications: []losanttest.Application{{OwnerID: "575ec8687ae143cd83dc4a97"}}}, "applications[0].ownerId: \"575ec8687ae143cd83dc4a97\" is not a known user"},
		"duplicate app":        {losanttest.Fixtures{Users: users, Applications: []losanttest.Application{{ID: "575ec8687ae143cd83dc4a97", OwnerID: user.ID}, {ID: "575ec8687ae143cd83dc4a97", OwnerID: user.ID}}}, "applications[1].id"},
		"token owner type":     {tok(losanttest.Token{OwnerType: "org", OwnerID: user.ID}), `tokens[1].ownerType: "org"`},
		"token of unknown app": {tok(losanttest.Token{OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: user.ID}), "tokens[1].ownerId: \"575ed70c7ae143cd83dc4aa9\" is not a known application"},
		"token status":         {tok(losanttest.Token{Status: "paused"}), `tokens[1].status: "paused"`},
		"duplicate token ID": {losanttest.Fixtures{Users: users, Tokens: []losanttest.Token{
			{ID: "575ec7417ae143cd83dc4a95", OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID},
			{ID: "575ec7417ae143cd83dc4a95", OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID},
		}}, "tokens[1].id: 575ec7417ae143cd83dc4a95 is already a token's"},
		"shared secret":      {tok(losanttest.Token{Secret: "same"}), ""},
		"unknown scope":      {tok(losanttest.Token{Scope: []string{"all.User", "all.Everything"}}), `tokens[1].scope[1]: "all.Everything" is not a scope the API knows`},
		"scope twice":        {tok(losanttest.Token{Scope: []string{"all.User", "all.User"}}), `tokens[1].scope[1]: "all.User" is listed twice`},
		"long name":          {tok(losanttest.Token{Name: strings.Repeat("n", 256)}), "tokens[1].name: 256 characters, want 1 to 255"},
		"long description":   {tok(losanttest.Token{Description: strings.Repeat("d", 32768)}), "tokens[1].description"},
		"secret with space":  {tok(losanttest.Token{Secret: "two words"}), "tokens[1].token: byte 3 is a space"},
		"secret with a line": {tok(losanttest.Token{Secret: "abc\ndef"}), "tokens[1].token: byte 3"},
		"instance member":    {losanttest.Fixtures{Users: users, Instances: []losanttest.Instance{{Members: []string{user.ID, "575ec8687ae143cd83dc4a00"}}}}, `instances[0].members[1]: "575ec8687ae143cd83dc4a00" is not a known user`},
		"bad instance ID":    {losanttest.Fixtures{Instances: []losanttest.Instance{{ID: "i1"}}}, `instances[0].id: "i1" is not 24 hexadecimal`},
		"role of a non-member": {losanttest.Fixtures{Users: users, Instances: []losanttest.Instance{{Members: []string{user.ID},
			MemberRoles: map[string]gen.InstanceMemberRole{"575ec8687ae143cd83dc4a00": gen.InstanceMemberRoleView}}}}, `instances[0].memberRoles: "575ec8687ae143cd83dc4a00" is not one of the members`},
		"unknown member role": {losanttest.Fixtures{Users: users, Instances: []losanttest.Instance{{Members: []string{user.ID},
			MemberRoles: map[string]gen.InstanceMemberRole{user.ID: "owner"}}}}, `instances[0].memberRoles.575ed70c7ae143cd83dc4aa9: "owner", want "admin" or "view"`},
		"long instance name": {losanttest.Fixtures{Instances: []losanttest.Instance{{Name: strings.Repeat("n", 256)}}}, "instances[0].name: 256 characters, want 1 to 255"},
		"long app name":      {losanttest.Fixtures{Users: users, Applications: []losanttest.Application{{OwnerID: user.ID, Name: strings.Repeat("é", 256)}}}, "applications[0].name: 256 characters, want 1 to 255"},
		"long app description": {losanttest.Fixtures{Users: users, Applications: []losanttest.Application{{OwnerID: user.ID, Description: strings.Repeat("d", 1025)}}},
			"applications[0].description: 1025 characters, want at most 1024"},
		"token of unknown instance": {tok(losanttest.Token{OwnerType: gen.APITokenOwnerTypeInstance, OwnerID: user.ID}),
			"tokens[1].ownerId: \"575ed70c7ae143cd83dc4aa9\" is not a known instance"},
	} {
		t.Run(name, func(t *testing.T) {
			if name == "shared secret" { // the first token's secret, given to another
				tc.f.Tokens[0].Secret, tc.want = "same", "tokens[1].token: this secret is already another token's"
			}
			srv, err := losanttest.NewServer(losanttest.WithFixtures(tc.f))
			assert.Nil(t, srv)
			assert.ErrorContains(t, err, tc.want)
			if tc.f.Tokens != nil && strings.Contains(name, "secret") {
				assert.NotContains(t, err.Error(), tc.f.Tokens[1].Secret, "no error quotes a secret")
			}
		})
	}
}

// A fixtures file is read strictly: a misspelled key, a null, or a value
// of the wrong type is an error that names the entry.
func TestFixturesFilesAreReadStrictly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, tc := range map[string]struct{ json, want string }{
		"null":               {`null`, "null, want an object"},
		"null entry":         {`{"tokens": [{"ownerType": "user"}, null]}`, "tokens[1]: null"},
		"null list":          {`{"users": null}`, "users: null, want a value"},
		"null field":         {`{"users": [{"id": "575ed70c7ae143cd83dc4aa9", "email": null}]}`, "users[0].email: null, want a value"},
		"null members":       {`{"instances": [{"members": null}]}`, "instances[0].members: null"},
		"misspelled scopes":  {`{"tokens": [{"scopes": ["all.User"]}]}`, `tokens[0]: json: unknown field "scopes"`},
		"misspelled secret":  {`{"tokens": [{"secret": "s"}]}`, `tokens[0]: json: unknown field "secret"`},
		"unknown top key":    {`{"user": []}`, `unknown field "user"`},
		"wrong type":         {`{"users": [{"id": 7}]}`, "users[0]: json: cannot unmarshal number"},
		"two objects":        {`{} {}`, "data after the JSON value"},
		"not JSON":           {`users:`, "invalid character"},
		"misspelled ownerId": {`{"applications": [{"owner": "x"}]}`, `applications[0]: json: unknown field "owner"`},
	} {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
			require.NoError(t, os.WriteFile(path, []byte(tc.json), 0o600))
			_, err := losanttest.LoadFixtures(path)
			assert.ErrorContains(t, err, tc.want, name)
		})
	}
	_, err := losanttest.LoadFixtures(filepath.Join(dir, "missing.json"))
	assert.Error(t, err)
}

func TestAddTokenFillsInWhatIsMissing(t *testing.T) {
	t.Parallel()
	srv := losanttest.New(t)
	u := srv.AddUser(losanttest.User{})
	assert.Regexp(t, `^[0-9a-f]{24}$`, u.ID)
	tok := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: u.ID, Scope: []string{"all.User"}})
	assert.Regexp(t, `^[0-9a-f]{24}$`, tok.ID)
	assert.NotEmpty(t, tok.Secret)
	assert.NotEmpty(t, tok.Name)
	assert.Equal(t, gen.APITokenStatusActive, tok.Status)
	other := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: u.ID})
	assert.NotEqual(t, tok.Secret, other.Secret)
}

// A server made by New fails its test when a setup call is given
// something wrong, so that no test has to check an error to set up; one
// made by NewServer panics, as httptest.NewServer does.
func TestSetupMistakesFailTheTest(t *testing.T) {
	t.Parallel()
	for name, call := range map[string]func(*losanttest.Server){
		"AddUser": func(s *losanttest.Server) { s.AddUser(losanttest.User{ID: "nope"}) },
		"AddApplication": func(s *losanttest.Server) {
			s.AddApplication(losanttest.Application{OwnerID: "575ed70c7ae143cd83dc4aa9"})
		},
		"AddToken": func(s *losanttest.Server) { s.AddToken(losanttest.Token{OwnerType: "org"}) },
		"Client":   func(s *losanttest.Server) { s.Client("") },
	} {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			ft := &fakeTB{TB: t}
			done := make(chan struct{})
			go func() { // Fatal ends the goroutine it is called in, as in a real test
				defer close(done)
				call(losanttest.New(ft))
			}()
			<-done
			assert.True(t, ft.failed, "%s failed the test", name)
			assert.Contains(t, ft.message, "losanttest: "+name, name)
			ft.cleanup()

			srv, err := losanttest.NewServer()
			require.NoError(t, err)
			assert.Panics(t, func() { call(srv) }, name)
			srv.Close()
		})
	}
}

// fakeTB records a Fatal instead of failing the real test.
type fakeTB struct {
	testing.TB
	failed   bool
	message  string
	cleanups []func()
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Fatal(args ...any) {
	f.failed, f.message = true, fmt.Sprint(args...)
	runtime.Goexit()
}
func (f *fakeTB) Fatalf(string, ...any) { panic("unused") }

func (f *fakeTB) cleanup() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

func TestUnknownPathsAndMethodsGetErrorJSON(t *testing.T) {
	t.Parallel()
	srv := losanttest.New(t)
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/applications/575ec8687ae143cd83dc4a97/devices", http.StatusNotFound},
		{"GET", "/me/tokens/575ec7417ae143cd83dc4a95/extra", http.StatusNotFound},
		{"POST", "/me/tokens/575ec7417ae143cd83dc4a95", http.StatusMethodNotAllowed},
	} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			require.NoError(t, err)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode, tc.path)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			assert.Contains(t, string(body), `"type":`)
		})
	}
	assert.Len(t, srv.Requests(), 3)
	assert.Empty(t, srv.Requests()[0].Operation)
}

func TestExpiredTokenCannotAuthenticate(t *testing.T) {
	t.Parallel()
	var now atomic.Int64
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now.Store(start.UnixNano())
	srv := losanttest.New(t, losanttest.WithClock(func() time.Time { return time.Unix(0, now.Load()) }))
	u := srv.AddUser(losanttest.User{})
	expires := start.Add(time.Hour)
	tok := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: u.ID, Scope: []string{"all.User"}, ExpirationDate: &expires})
	client := srv.Client(tok.Secret)

	got, err := client.APITokens(losant.User()).Get(context.Background(), tok.ID)
	require.NoError(t, err)
	assert.Equal(t, expires, got.ExpirationDate.UTC())
	assert.Equal(t, start, got.CreationDate.UTC(), "the clock option sets creation times")

	now.Store(expires.UnixNano())
	_, err = client.APITokens(losant.User()).Get(context.Background(), tok.ID)
	assert.True(t, losant.StatusCode(err) == http.StatusUnauthorized, "%v", err)
}

func TestDeletingTheBearerItselfRevokesIt(t *testing.T) {
	t.Parallel()
	srv := losanttest.New(t)
	u := srv.AddUser(losanttest.User{})
	tok := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: u.ID, Scope: []string{"userApiToken.*"}})
	client := srv.Client(tok.Secret)
	require.NoError(t, client.APITokens(losant.User()).Delete(context.Background(), tok.ID))
	_, err := client.APITokens(losant.User()).Get(context.Background(), tok.ID)
	assert.True(t, losant.StatusCode(err) == http.StatusUnauthorized, "%v", err)
}

func TestMissingBearerIs401(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	srv := losanttest.New(t)
	u := srv.AddUser(losanttest.User{})
	bearer := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: u.ID, Scope: []string{"all.User"}})
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
	got := srv.Client(bearer.Secret)
	tok, err := got.APITokens(losant.User()).Get(context.Background(), bearer.ID)
	require.NoError(t, err)
	assert.Equal(t, bearer.Name, tok.Name, "no rejected patch changed the token")
	all, err := got.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{})
	require.NoError(t, err)
	assert.Len(t, all.Items, 1, "no rejected create made a token")
}
