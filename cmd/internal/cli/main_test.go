package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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

var update = flag.Bool("update", false, "rewrite the golden files of the JSON output")

const (
	userID   = "575ed70c7ae143cd83dc4aa9"
	appID    = "575ec8687ae143cd83dc4a97"
	cliToken = "5a1f0e3b7ae143cd83dc4b01" // the user's bearer
	appToken = "575ec7417ae143cd83dc4a95" // the application's
	instID   = "575ec8687ae143cd83dc4a99"
	secret   = "lsnt_test_user_secret"
)

// newWorld is the test world seeded first with fixed IDs, and with a
// fixed clock, so that the JSON output of a command is the same on every
// run. The commands act as the fixtures' user, whose tokens and
// owners are the fixtures' alone: the world's own have IDs of their own.
func newWorld(t *testing.T) *testworld.World {
	t.Helper()
	expiry := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	return testworld.New(t, testworld.WithTickingClock(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)),
		testworld.WithFake(losanttest.WithFixtures(losanttest.Fixtures{
			Users:        []losanttest.User{{ID: userID}},
			Applications: []losanttest.Application{{ID: appID, OwnerID: userID}},
			Instances:    []losanttest.Instance{{ID: instID, Members: []string{userID}}},
			Tokens: []losanttest.Token{
				{ID: cliToken, Name: "Ada's CLI", OwnerType: gen.APITokenOwnerTypeUser, OwnerID: userID, Scope: []string{"all.User"}, Secret: secret},
				{ID: appToken, Name: "Gateway", Description: "uploads", OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: appID,
					Scope: []string{"all.Application"}, ExpirationDate: &expiry},
			},
		})))
}

// result is what one run printed, and its exit status.
type result struct {
	stdout, stderr string
	code           int
}

// run runs a command line against the fake, as a script would (stdout is
// not a terminal), with the access token in the environment.
func runCLI(t *testing.T, w *testworld.World, args ...string) result {
	t.Helper()
	return runCLIWith(t, w, map[string]string{tokenEnv: secret}, args...)
}

func runCLIWith(t *testing.T, w *testworld.World, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"--base-url", w.Server.URL}, args...), environment{
		getenv: func(k string) string { return env[k] },
		stdin:  strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		extraOpts: []losant.Option{losant.WithoutRetries()},
	})
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// generated replaces what the fake makes up (new IDs, secrets) with
// placeholders, so that a golden file can hold the rest.
var generated = regexp.MustCompile(`"(id|secret)": "(lsnt_[0-9a-f]+|[0-9a-f]{24})"`)

// successorExpiry is a rotation successor's expiry: the predecessor's
// lifetime from the real clock's now, which the fake's fixed clock is not.
var successorExpiry = regexp.MustCompile(`("successor": \{[^}]*?"expirationDate": )"[^"]+"`)

var fakeURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

func golden(t *testing.T, name, got string) {
	t.Helper()
	got = generated.ReplaceAllStringFunc(got, func(m string) string {
		for _, keep := range []string{cliToken, appToken} {
			if strings.Contains(m, keep) {
				return m
			}
		}
		return generated.ReplaceAllString(m, `"$1": "<$1>"`)
	})
	got = successorExpiry.ReplaceAllString(got, `$1"<now + the predecessor's lifetime>"`)
	got = fakeURL.ReplaceAllString(got, "<the fake's URL>")
	got = completeHint.ReplaceAllString(got, "--complete <id>")
	path := filepath.Join("testdata", name+".json")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/internal/cli -update to write %s", path)
	assert.JSONEq(t, string(want), got, name)
	assert.Equal(t, string(want), got, "%s: the JSON output's shape and order are stable", name)
}

func TestCommandsPrintStableJSON(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"get", []string{"get", cliToken}},
		{"get-application", []string{"-a", appID, "get", appToken}},
		{"list", []string{"list"}},
		{"list-application", []string{"--application", appID, "list", "--sort", "name", "--desc", "--filter", "G*"}},
		{"patch", []string{"-a", appID, "patch", appToken, "--description", "uploads readings", "--default-role", "view"}},
		{"create", []string{"create", "--name", "CI", "--scope", "all.User.read,userApiTokens.get", "--expires", "2027-01-02T03:04:05Z", "--description", "nightly"}},
		{"expiring", []string{"-a", appID, "expiring", "--within", "1h"}},
	} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			r := runCLI(t, w, tc.args...)
			require.Equal(t, exitOK, r.code, "%s: %s", tc.name, r.stderr)
			assert.Empty(t, r.stderr)
			golden(t, tc.name, r.stdout)
		})
	}
	r := runCLI(t, w, "delete", cliToken)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "delete", r.stdout)
}

// A new secret is printed once, on stdout: in the answer to create and to
// rotate, never on stderr, and never again.
func TestSecretsArePrintedOnceOnStdout(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := runCLI(t, w, "create", "--name", "CI", "--scope", "all.User.read")
	require.Equal(t, exitOK, r.code, r.stderr)
	created := regexp.MustCompile(`"secret": "(lsnt_[0-9a-f]+)"`).FindStringSubmatch(r.stdout)
	require.NotNil(t, created, r.stdout)
	id := regexp.MustCompile(`"id": "([0-9a-f]{24})"`).FindStringSubmatch(r.stdout)[1]
	r = runCLI(t, w, "get", id)
	assert.NotContains(t, r.stdout, created[1])

	r = runCLI(t, w, "--output", "table", "rotate", id)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 1, strings.Count(r.stdout, "lsnt_"), "one secret, once: %s", r.stdout)
	assert.Contains(t, r.stdout, "store it now")
	assert.NotContains(t, r.stderr, "lsnt_")
}

func TestRotationAcrossTwoRuns(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := runCLI(t, w, "-a", appID, "rotate", appToken)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "rotate", r.stdout)
	successor := regexp.MustCompile(`"successor": \{\s+"id": "([0-9a-f]{24})"`).FindStringSubmatch(r.stdout)
	require.NotNil(t, successor, r.stdout)

	r = runCLI(t, w, "-a", appID, "get", appToken)
	assert.Contains(t, r.stdout, `"status": "active"`, "active until the rotation completes")
	r = runCLI(t, w, "-a", appID, "rotate", appToken, "--complete", successor[1])
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"completed": true`)
	r = runCLI(t, w, "-a", appID, "get", appToken)
	assert.Contains(t, r.stdout, `"status": "inactive"`)

	r = runCLI(t, w, "--output", "table", "rotate", cliToken, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "rotation complete: "+cliToken+" is inactive")
}

// On a terminal, rotate asks before it deactivates the old token.
func TestRotationAsksOnATerminal(t *testing.T) {
	t.Parallel()
	for answer, done := range map[string]bool{"y\n": true, "n\n": false, "": false} {
		t.Run(fmt.Sprint(answer), func(t *testing.T) {
			w := newWorld(t) // a completed rotation leaves the token inactive: not rotated again
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"--base-url", w.Server.URL, "-a", appID, "rotate", appToken}, environment{
				getenv: func(string) string { return secret }, stdin: strings.NewReader(answer),
				stdout: &stdout, stderr: &stderr, tty: true,
			})
			want := exitOK
			if !done { // begun and not finished
				want = exitUnknownOutcome
			}
			require.Equal(t, want, code, stderr.String())
			assert.Equal(t, 1, strings.Count(stdout.String(), "lsnt_"), "the secret, once")
			assert.Equal(t, done, strings.Contains(stdout.String(), "rotation complete"), "answer %q", answer)
			assert.Equal(t, !done, strings.Contains(stdout.String(), "--complete"), "answer %q: how to finish", answer)
		})
	}
}

// The rotation's failure paths, through the fake's faults: the create
// fails (nothing made, old token active); the deactivation fails after the
// create (the secret is still printed, both active, exit status 5).
func TestRotationFailuresSayWhatExists(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.Server.Inject(losanttest.Fault{}, losanttest.Times(2)) // the list (no rotation open), the read
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(1))
	r := runCLI(t, w, "-a", appID, "rotate", appToken)
	assert.Equal(t, exitTransient, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "creating its successor")
	assert.Contains(t, r.stderr, "No successor was made; "+appToken+" is still active.")

	w.Server.Inject(losanttest.Fault{}, losanttest.Times(6)) // list, read, create, list again, read both tokens
	w.Server.Inject(losanttest.Fault{Status: 503}, losanttest.Times(1))
	r = runCLI(t, w, "--output", "table", "-a", appID, "rotate", appToken, "--yes")
	assert.Equal(t, exitUnknownOutcome, r.code, "not 5: the same command again would make another successor")
	assert.Contains(t, r.stderr, "rotate "+appToken+" --complete ", "how to finish instead")
	assert.Equal(t, 1, strings.Count(r.stdout, "lsnt_"), "the only copy of the secret is printed: %s", r.stdout)
	assert.Contains(t, r.stderr, "deactivating the predecessor")
	assert.Contains(t, r.stderr, "are active; run rotate --complete again")
	assert.NotContains(t, r.stderr, "lsnt_")
	r = runCLI(t, w, "-a", appID, "get", appToken)
	assert.Contains(t, r.stdout, `"status": "active"`)
}

func TestExitStatusesTellFailuresApart(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	missing := "000000000000000000000000"
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		say  string
	}{
		{"no access token", map[string]string{}, []string{"list"}, exitBadInput, "no access token"},
		{"unknown flag", nil, []string{"list", "--bogus"}, exitBadInput, "unknown flag"},
		{"missing argument", nil, []string{"get"}, exitBadInput, "accepts 1 arg"},
		{"bad output", nil, []string{"--output", "yaml", "list"}, exitBadInput, "want table, json or ids"},
		{"bad ID", nil, []string{"get", "nope"}, exitBadInput, "argument 1 is not an ID"},
		{"bad expiry", nil, []string{"create", "--name", "x", "--expires", "soon"}, exitBadInput, "--expires"},
		{"create without a name", nil, []string{"create"}, exitBadInput, "--name"},
		{"empty patch", nil, []string{"patch", cliToken}, exitBadInput, "at least one of"},
		{"unknown scope", nil, []string{"create", "--name", "x", "--scope", "all.Everything"}, exitBadInput, "scope 1 of 1 is not one the API knows"},
		{"not found", nil, []string{"get", missing}, exitNotFound, "NotFound"},
		{"unknown token", map[string]string{tokenEnv: "lsnt_nope"}, []string{"list"}, exitDenied, "Unauthorized"},
		{"forbidden", nil, []string{"-a", "575ec8687ae143cd83dc4a00", "list"}, exitNotFound, "Application was not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := tc.env
			if env == nil {
				env = map[string]string{tokenEnv: secret}
			}
			r := runCLIWith(t, w, env, tc.args...)
			assert.Equal(t, tc.code, r.code, "%s: %s", tc.name, r.stderr)
			assert.Contains(t, r.stderr, tc.say, tc.name)
			assert.Empty(t, r.stdout, tc.name)
			assert.NotContains(t, r.stderr, secret, tc.name)
		})
	}
	w.Server.Inject(losanttest.Fault{Status: 400}, losanttest.Times(1))
	assert.Equal(t, exitBadInput, runCLI(t, w, "list").code, "a 400")
	w.Server.Inject(losanttest.Fault{Status: 429}, losanttest.Times(1))
	assert.Equal(t, exitTransient, runCLI(t, w, "list").code)
	w.Server.Inject(losanttest.Fault{Drop: true}, losanttest.Times(1))
	assert.Equal(t, exitTransient, runCLI(t, w, "list").code)
}

// The access token comes from a file when --token-file is given, and
// never from a flag value.
func TestTokenFile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	path := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(path, []byte(secret+"\n"), 0o600))
	r := runCLIWith(t, w, map[string]string{}, "--token-file", path, "get", cliToken)
	assert.Equal(t, exitOK, r.code, r.stderr)

	require.NoError(t, os.WriteFile(path, []byte("\n"), 0o600))
	r = runCLIWith(t, w, map[string]string{}, "--token-file", path, "list")
	assert.Equal(t, exitBadInput, r.code)
	assert.Contains(t, r.stderr, "--token-file: the file is not a token: empty")
	r = runCLIWith(t, w, map[string]string{}, "--token-file", filepath.Join(t.TempDir(), "missing"), "list")
	assert.Equal(t, exitBadInput, r.code)
	r = runCLIWith(t, w, map[string]string{}, "--token", secret, "list")
	assert.Equal(t, exitBadInput, r.code, "there is no --token flag")
}

// Tables on a terminal: a list and a token read as text.
func TestTablesOnATerminal(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var stdout bytes.Buffer
	code := run(context.Background(), []string{"--base-url", w.Server.URL, "list"}, environment{
		getenv: func(string) string { return secret }, stdin: strings.NewReader(""),
		stdout: &stdout, stderr: &bytes.Buffer{}, tty: true,
	})
	require.Equal(t, exitOK, code)
	assert.Equal(t, "ID                        NAME       STATUS  EXPIRES  SCOPE\n"+
		cliToken+"  Ada's CLI  active  never    all.User\n", stdout.String())
}

// Every command works for every owner: the user (no flag), an application
// (--application) and an instance (--instance); the owner flags exclude
// each other.
func TestEveryCommandWorksForEveryOwner(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		flags     []string
		ownerType string
	}{{nil, "user"}, {[]string{"--application", appID}, "application"}, {[]string{"-i", instID}, "instance"}} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			owner := tc.flags
			w := newWorld(t)
			run := func(args ...string) result {
				t.Helper()
				r := runCLI(t, w, append(slices.Clone(owner), args...)...)
				require.Equal(t, 0, r.code, "%v %v: %s", owner, args, r.stderr)
				return r
			}
			created := run("create", "--name", "owner test", "--scope", "all.User.read")
			id := regexp.MustCompile(`"id": "([0-9a-f]{24})"`).FindStringSubmatch(created.stdout)
			require.NotNil(t, id, created.stdout)
			assert.Contains(t, run("list", "--filter", "owner*").stdout, id[1], owner)
			assert.Contains(t, run("get", id[1]).stdout, `"name": "owner test"`, owner)
			assert.Contains(t, run("patch", id[1], "--description", "d").stdout, `"description": "d"`, owner)
			rotated := run("rotate", id[1], "--yes")
			assert.Contains(t, rotated.stdout, `"completed": true`, owner)
			assert.Contains(t, rotated.stdout, `"ownerType": "`+tc.ownerType+`"`, owner)
			run("expiring", "--within", "720h")
			run("delete", id[1])
		})
	}
	w := newWorld(t)
	r := runCLI(t, w, "--application", appID, "--instance", instID, "list")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "--application and --instance")
	r = runCLI(t, w, "--instance", "not-an-id", "list")
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, "--instance is not an ID")
}
