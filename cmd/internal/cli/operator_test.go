package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
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

// The fixtures' IDs (testdata/fixtures.json).
const (
	fxUser     = "575ed70c7ae143cd83dc4aa9"
	fxApp      = "575ec8687ae143cd83dc4a97"
	fxInstance = "575ec8687ae143cd83dc4a99"
	fxCLI      = "5a1f0e3b7ae143cd83dc4b01" // the user's, all.User: the README's bearer
	fxBackup   = "5a1f0e3b7ae143cd83dc4b02" // the user's, all.User.read
	fxAppToken = "575ec7417ae143cd83dc4a95" // the application's
)

// hostile is text that would drive a terminal if printed as it is: clear
// the screen, move the cursor, end a table row, reverse the text.
const hostile = "evil\x1b[2J\x1b[Hname\nforged row\t\u202ereversed\u009b31m\x7f"

// assertInert fails if out holds a byte a terminal would act on (other
// than the newlines and spaces the output itself is made of).
func assertInert(t *testing.T, out string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\u202e", "\u009b", "\x7f", "\r", "\t"} {
		assert.NotContains(t, out, bad, "%q reached the terminal: %q", bad, out)
	}
}

// Names, descriptions and server messages are shown, escaped, in tables
// and messages; JSON output keeps them exact.
func TestHostileTextNeverDrivesTheTerminal(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	tok := w.Server.AddToken(losanttest.Token{Name: hostile, Description: hostile, OwnerType: gen.APITokenOwnerTypeUser,
		OwnerID: fxUser, Scope: []string{"all.User.read"}})

	r := w.exec(t, "", "-o", "table", "list")
	require.Equal(t, 0, r.code, r.stderr)
	assertInert(t, r.stdout)
	assert.Contains(t, r.stdout, `evil\x1b[2J\x1b[Hname\nforged row\t\u202ereversed\u009b31m\x7f`)
	assert.Len(t, strings.Split(strings.TrimSpace(r.stdout), "\n"), 1+3, "a header and one row a token: no forged row")

	r = w.exec(t, "", "-o", "table", "get", tok.ID)
	require.Equal(t, 0, r.code, r.stderr)
	assertInert(t, r.stdout)

	r = w.exec(t, "", "-o", "json", "get", tok.ID)
	require.Equal(t, 0, r.code, r.stderr)
	var got tokenJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	assert.Equal(t, hostile, got.Name, "JSON keeps the text exact")
	assertInert(t, r.stdout) // JSON escapes control characters itself

	// A server whose error message would drive the terminal.
	evil := testworld.Stub(t, http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(rw).Encode(map[string]string{"type": "NotFound", "message": hostile})
	}))
	r = w.exec(t, "", "--base-url", evil.URL, "get", fxCLI)
	assert.Equal(t, exitNotFound, r.code)
	assertInert(t, r.stderr)
	assert.Contains(t, r.stderr, `evil\x1b[2J`)
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)

	// And an argument the user gave, quoted back in an error.
	r = w.exec(t, "", "get", "\x1b[31mnot-an-id")
	assert.Equal(t, exitBadInput, r.code)
	assertInert(t, r.stderr)
}

// Bad command lines exit 2, as documented; the version comes from the
// build information.
func TestCommandLinesExitAsDocumented(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for _, tc := range []struct {
		args []string
		code int
		say  string
	}{
		{[]string{"bogus-cmd"}, exitBadInput, `unknown command "bogus-cmd"`},
		{[]string{"list", "--bogus"}, exitBadInput, "unknown flag"},
		{[]string{"--bogus"}, exitBadInput, "unknown flag"},
		{[]string{"get"}, exitBadInput, "accepts 1 arg"},
		{[]string{"get", fxCLI, fxBackup}, exitBadInput, "accepts 1 arg"},
		{[]string{"delete"}, exitBadInput, "requires at least 1 arg"},
		{[]string{"version", "extra"}, exitBadInput, "accepts 0 arg"},
		{[]string{"create", "--from-file", "x.json", "--name", "n"}, exitBadInput, "--from-file and --name"},
		{[]string{"rotate", fxCLI, "--expires", "1d", "--never-expires"}, exitBadInput, "give one"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := w.exec(t, "", tc.args...)
			assert.Equal(t, tc.code, r.code, "%v: %s", tc.args, r.stderr)
			assert.Contains(t, r.stderr, tc.say, tc.args)
			assert.Empty(t, r.stdout, tc.args)
		})
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		t.Run(fmt.Sprint(args), func(t *testing.T) {
			r := w.exec(t, "", args...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Regexp(t, `^losant-tokens \S.*, go1\.\d+`, r.stdout, "version and toolchain from the build information")
		})
	}
	r := w.exec(t, "")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "Available Commands")
}

// The rotate hint is a command that works when pasted, its placeholders
// filled in: the same API, owner and token source, never the token (nor
// the values of --base-url and --token-file:
// TestHintsUsePlaceholdersForTheConfiguration).
func TestRotateHintWorksWhenPasted(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	tokenFile := filepath.Join(w.dir, "my token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(fixtureSecret+"\n"), 0o600))
	w.env = []string{w.env[0], w.env[1]} // neither $LOSANT_BASE_URL nor $LOSANT_API_TOKEN
	r := w.exec(t, "", "-o", "table", "--base-url", w.Server.URL, "--token-file", tokenFile, "-a", fxApp, "rotate", fxAppToken)
	require.Equal(t, 0, r.code, r.stderr)
	hint := regexp.MustCompile(`(?m)^  (losant-tokens .*)$`).FindStringSubmatch(r.stdout)
	require.NotNil(t, hint, r.stdout)
	assert.NotContains(t, hint[1], fixtureSecret)
	assert.NotContains(t, hint[1], tokenFile)

	r = w.sh(t, "", strings.NewReplacer("BASE_URL", w.Server.URL, "TOKEN_FILE", shellQuote(tokenFile)).Replace(hint[1]))
	require.Equal(t, 0, r.code, "%s: %s", hint[1], r.stderr)
	assert.Contains(t, r.stdout, `"completed": true`)
}

// Plain http to another host is refused, naming the flag that allows it.
func TestPlainHTTPToAnotherHostNamesTheFlag(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	r := w.exec(t, "", "--base-url", "http://192.0.2.1:8080", "list")
	assert.Equal(t, exitBadInput, r.code)
	assert.Contains(t, r.stderr, "--insecure-http")
	assert.NotContains(t, r.stderr, "WithInsecureHTTP")

	r = w.exec(t, "", "--base-url", "http://192.0.2.1:8080", "--insecure-http", "--timeout", "100ms", "list")
	assert.Equal(t, exitTransient, r.code, "allowed: the request is made (and cannot connect): %s", r.stderr)
}

// Inputs are checked before anything is sent.
func TestInputsAreCheckedBeforeAnythingIsSent(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	before := len(w.Server.Requests())
	for _, tc := range []struct {
		args []string
		say  string
	}{
		{[]string{"create", "--name", "n", "--scope", "all.Aplication"}, `did you mean "all.Application"?`},
		{[]string{"create", "--name", "n", "--scope", "devices.gett"}, `did you mean "devices.get"?`},
		{[]string{"create", "--name", "n", "--scope", "zzz"}, `--scope: scope 1 of 1 is not one the API knows (losant-tokens scopes lists them)`},
		{[]string{"create", "--name", "n", "--scope", "all.User", "--expires", "2020-01-01T00:00:00Z"}, "has passed"},
		{[]string{"create", "--name", "n"}, "neither a scope nor a role"},
		{[]string{"create", "--name", "n", "--scope", "all.User", "--expires", "2x"}, "14d or 2w"},
		{[]string{"expiring", "--within", "2fortnights"}, "--within"},
		{[]string{"list", "--limit", "-1"}, "--limit"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := w.exec(t, "", tc.args...)
			assert.Equal(t, exitBadInput, r.code, "%v: %s", tc.args, r.stderr)
			assert.Contains(t, r.stderr, tc.say, tc.args)
		})
	}
	assert.Len(t, w.Server.Requests(), before, "nothing was sent")

	r := w.exec(t, "", "create", "--name", "two weeks", "--scope", "all.User.read", "--expires", "2w", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var made tokenJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &made))
	require.NotNil(t, made.ExpirationDate)
	assert.WithinDuration(t, time.Now().Add(14*24*time.Hour), *made.ExpirationDate, time.Minute)
	assert.Equal(t, 0, w.exec(t, "", "expiring", "--within", "14d").code)
}

// The access token file: "-" reads stdin; a byte-order mark and the
// whitespace around the token are stripped; a file others may read is
// used, with a warning naming it.
func TestTokenFileIsReadAsAnOperatorWritesIt(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	w.env = w.env[:len(w.env)-1] // no $LOSANT_API_TOKEN
	r := w.exec(t, fixtureSecret+"\n", "--token-file", "-", "get", fxCLI)
	assert.Equal(t, 0, r.code, r.stderr)

	bom := filepath.Join(w.dir, "bom")
	require.NoError(t, os.WriteFile(bom, []byte("\uFEFF  "+fixtureSecret+"\r\n"), 0o600))
	r = w.exec(t, "", "--token-file", bom, "get", fxCLI)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Empty(t, r.stderr, "a private file: no warning")

	shared := filepath.Join(w.dir, "shared")
	require.NoError(t, os.WriteFile(shared, []byte(fixtureSecret), 0o644))
	require.NoError(t, os.Chmod(shared, 0o644))
	r = w.exec(t, "", "--token-file", shared, "get", fxCLI)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "warning: the --token-file is readable by others (mode 0644): chmod 600 it")
	assert.NotContains(t, r.stderr, shared, "the path is not echoed: a secret may have been pasted as one")
	assert.NotContains(t, r.stderr, fixtureSecret)

	two := filepath.Join(w.dir, "two")
	require.NoError(t, os.WriteFile(two, []byte(fixtureSecret+"\nsecond line"), 0o600))
	r = w.exec(t, "", "--token-file", two, "get", fxCLI)
	assert.Equal(t, exitBadInput, r.code)
	assert.NotContains(t, r.stderr, fixtureSecret)
}

// For scripts: -o ids, --limit, several IDs, create --from-file,
// --secret-file, expiring without inactive tokens, empty tables.
func TestCommandsServeScripts(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	r := w.exec(t, "", "-o", "ids", "list")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, fxCLI+"\n"+fxBackup+"\n", r.stdout)
	r = w.exec(t, "", "-o", "ids", "list", "--limit", "1")
	assert.Equal(t, fxCLI+"\n", r.stdout)

	body := filepath.Join(w.dir, "body.json")
	require.NoError(t, os.WriteFile(body, []byte(`{"name": "role token", "defaultRole": "view",
		"orgRoles": [{"orgId": "sandbox", "role": "edit"}], "expirationDate": "2099-01-01T00:00:00Z"}`), 0o600))
	r = w.exec(t, "", "create", "--from-file", body, "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var made tokenJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &made))
	assert.Equal(t, "view", made.DefaultRole)
	require.Len(t, made.OrgRoles, 1)
	assert.Equal(t, gen.APITokenRoleEdit, made.OrgRoles[0].Role)
	require.NoError(t, os.WriteFile(body, []byte(`{"name": "n", "scopes": ["all.User"]}`), 0o600))
	r = w.exec(t, "", "create", "--from-file", body)
	assert.Equal(t, exitBadInput, r.code)
	assert.Contains(t, r.stderr, "a key the API does not know")
	assert.NotContains(t, r.stderr, "scopes", "the file's text is not echoed")

	secretPath := filepath.Join(w.dir, "ci-token")
	r = w.exec(t, "", "-o", "table", "create", "--name", "ci", "--scope", "all.User.read", "--secret-file", secretPath)
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stdout+r.stderr, "lsnt_", "the secret is printed nowhere")
	assert.Contains(t, r.stdout, "written to the --secret-file (mode 0600)")
	written, err := os.ReadFile(secretPath)
	require.NoError(t, err)
	assert.Regexp(t, `^lsnt_\S+\n$`, string(written))
	info, err := os.Stat(secretPath)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	before := len(w.Server.Requests())
	r = w.exec(t, "", "create", "--name", "ci", "--scope", "all.User.read", "--secret-file", secretPath)
	assert.Equal(t, exitBadInput, r.code)
	assert.Contains(t, r.stderr, "exists")
	assert.Len(t, w.Server.Requests(), before, "refused before a token was made")
	again, _ := os.ReadFile(secretPath)
	assert.Equal(t, written, again, "not overwritten")

	// Several IDs: each is reported; the exit status is the worst.
	missing := "000000000000000000000000"
	r = w.exec(t, "", "-o", "ids", "patch", fxBackup, missing, made.ID, "--description", "patched")
	assert.Equal(t, exitNotFound, r.code)
	assert.Equal(t, fxBackup+"\n"+made.ID+"\n", r.stdout)
	assert.Contains(t, r.stderr, "patch "+missing+": ")
	r = w.exec(t, "", "-o", "json", "delete", made.ID, "nope", missing)
	assert.Equal(t, exitBadInput, r.code, "an argument that is not an ID is refused before anything is deleted")
	assert.Empty(t, r.stdout)
	r = w.exec(t, "", "-o", "json", "delete", made.ID, missing)
	assert.Equal(t, exitNotFound, r.code)
	assert.JSONEq(t, `{"deleted": ["`+made.ID+`"]}`, r.stdout)
	assert.Contains(t, r.stderr, "delete "+missing+": ")
	assert.Contains(t, r.stderr, "delete failed for 1 of 2 tokens")

	// expiring leaves inactive tokens out unless asked; an empty table says so.
	soon := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	r = w.exec(t, "", "-o", "ids", "create", "--name", "soon", "--scope", "all.User.read", "--expires", soon, "--status", "inactive",
		"--secret-file", filepath.Join(w.dir, "soon-token"))
	require.Equal(t, 0, r.code, r.stderr)
	inactive := strings.TrimSpace(r.stdout)
	r = w.exec(t, "", "-o", "table", "expiring", "--within", "1w")
	assert.Equal(t, 0, r.code)
	assert.Regexp(t, `^no token expires before \S+\n$`, r.stdout)
	r = w.exec(t, "", "-o", "ids", "expiring", "--within", "1w", "--include-inactive")
	assert.Equal(t, inactive+"\n", r.stdout)
	r = w.exec(t, "", "-o", "table", "list", "--filter", "nothing like it")
	assert.Equal(t, "no tokens\n", r.stdout)
}

// On a terminal, delete asks first; --yes does not.
func TestDeleteAsksOnATerminal(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, tc := range []struct {
		answer  string
		deleted bool
	}{{"n\n", false}, {"", false}, {"y\n", true}} { // in order: y deletes it
		t.Run(fmt.Sprintf("%q", tc.answer), func(t *testing.T) {
			answer, deleted := tc.answer, tc.deleted
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"--base-url", w.Server.URL, "-a", appID, "delete", appToken}, environment{
				getenv: func(string) string { return secret }, stdin: strings.NewReader(answer),
				stdout: &stdout, stderr: &stderr, tty: true,
			})
			assert.Contains(t, stdout.String(), "Delete 1 token(s): "+appToken+"? [y/N]")
			if deleted {
				assert.Equal(t, exitOK, code, stderr.String())
				assert.Contains(t, stdout.String(), "deleted "+appToken)
			} else {
				assert.Equal(t, exitFailure, code, "answer %q", answer)
				assert.Contains(t, stderr.String(), "not confirmed: nothing was deleted")
				assert.Contains(t, runCLI(t, w, "-a", appID, "get", appToken).stdout, appToken, "still there")
			}
		})
	}
}

// audit on the README's fixtures finds what breaks the policy, and exits 6;
// with a policy the fixtures meet, it exits 0.
func TestAuditReportsFindingsWithItsOwnExitStatus(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	w.Server.AddToken(losanttest.Token{Name: "old", OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: fxApp,
		Scope: []string{"all.Application.read"}, CreationDate: time.Now().AddDate(-1, 0, 0), ExpirationDate: losant.Ptr(time.Now().AddDate(1, 0, 0))})
	w.Server.AddToken(losanttest.Token{Name: "retired", OwnerType: gen.APITokenOwnerTypeInstance, OwnerID: fxInstance,
		Scope: []string{"all.Instance.read"}, Status: gen.APITokenStatusInactive})
	r := w.exec(t, "", "-o", "json", "audit", "-a", fxApp, "-i", fxInstance, "--max-lifetime", "90d", "--max-age", "180d", "--forbid-scope", "all.*")
	assert.Equal(t, exitFindings, r.code, r.stderr)
	var report struct {
		Checked  int       `json:"checked"`
		Findings []finding `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &report), r.stdout)
	assert.Equal(t, 6, report.Checked, "the user's 2, the application's 2, the instance's 2")
	rules := map[string][]string{}
	for _, f := range report.Findings {
		rules[f.Rule] = append(rules[f.Rule], f.Name)
	}
	assert.ElementsMatch(t, []string{"Ada's CLI token", "Backup job", "My API Token", "Audit export"}, rules["never-expires"])
	assert.Equal(t, []string{"old"}, rules["lifetime"])
	assert.Equal(t, []string{"old"}, rules["age"])
	assert.Equal(t, []string{"retired"}, rules["inactive"])
	assert.ElementsMatch(t, []string{"Ada's CLI token", "Backup job", "My API Token", "Audit export", "old"}, rules["scope"])
	assert.Contains(t, r.stderr, "the audit found tokens that break the policy")

	r = w.exec(t, "", "-o", "table", "audit", "--allow-never-expires")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "2 tokens checked: no findings\n", r.stdout)
}

// Shell completion completes flag values from the spec and token IDs from
// the API.
func TestCompletionHelps(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	r := w.exec(t, "", "__complete", "create", "--scope", "all.Us")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "all.User\n")
	assert.Contains(t, r.stdout, "all.User.read\n")
	assert.NotContains(t, r.stdout, "all.Application")
	r = w.exec(t, "", "__complete", "list", "--sort", "")
	assert.Contains(t, r.stdout, "expirationDate\n")
	r = w.exec(t, "", "__complete", "-o", "")
	assert.Contains(t, r.stdout, "ids\n")
	r = w.exec(t, "", "__complete", "get", "5a1f")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, fxCLI+"\tAda's CLI token\n")
	assert.Contains(t, r.stdout, fxBackup+"\tBackup job\n")
	r = w.exec(t, "", "completion", "bash")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "__start_losant-tokens")
}

// Tables say how far away a time is, then the exact time.
func TestTablesShowRelativeTimes(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		3*24*time.Hour + time.Hour: "in 3 days", -2 * time.Hour: "2 hours ago", 30 * time.Second: "now",
		-65 * 24 * time.Hour: "2 months ago", 800 * 24 * time.Hour: "in 2 years", time.Minute: "in 1 minute",
		240*time.Hour - time.Second: "in 10 days", 90*24*time.Hour - time.Minute: "in 3 months", 59*time.Minute + 50*time.Second: "in 1 hour",
	} {
		assert.Equal(t, want, relative(d), d)
	}
	w := newShellWorld(t)
	expiry := time.Now().Add(3*24*time.Hour + time.Hour).UTC().Truncate(time.Second)
	tok := w.Server.AddToken(losanttest.Token{Name: "soon", OwnerType: gen.APITokenOwnerTypeUser, OwnerID: fxUser,
		Scope: []string{"all.User.read"}, ExpirationDate: &expiry})
	r := w.exec(t, "", "-o", "table", "get", tok.ID)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "in 3 days ("+expiry.Format(time.RFC3339)+")")
	r = w.exec(t, "", "-o", "json", "get", tok.ID)
	assert.Contains(t, r.stdout, `"expirationDate": "`+expiry.Format(time.RFC3339)+`"`, "JSON keeps the exact time")
}
