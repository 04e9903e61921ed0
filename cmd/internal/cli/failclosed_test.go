package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// The tests in this file hold the CLI to failing closed: a one-time
// secret is never dropped, a check refuses malformed input, nothing pasted
// is echoed, and each exit status says what to do next. They run the built
// binary.

// pasted is a secret an operator pasted where an ID or a value belongs.
const pasted = "lsnt_pasted_5ecret_0123456789abcdef"

// A one-time secret is printed, written or refused before anything is
// made: -o ids without --secret-file makes nothing.
func TestOneTimeSecretsAreNeverDropped(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for _, args := range [][]string{
		{"-o", "ids", "create", "--name", "t", "--scope", "all.User.read"},
		{"-o", "ids", "rotate", fxBackup},
	} {
		before := len(w.Server.Requests())
		r := w.exec(t, "", args...)
		assert.Equal(t, exitBadInput, r.code, "%v: %s", args, r.stderr)
		assert.Contains(t, r.stderr, "--secret-file", args)
		assert.Len(t, w.Server.Requests(), before, "%v: refused before anything was sent", args)
	}

	// With --secret-file, -o ids prints the new ID, and stderr how to finish.
	file := filepath.Join(w.dir, "successor")
	r := w.exec(t, "", "-o", "ids", "rotate", fxBackup, "--secret-file", file)
	require.Equal(t, exitOK, r.code, r.stderr)
	successor := strings.TrimSpace(r.stdout)
	assert.Regexp(t, `^[0-9a-f]{24}$`, successor)
	assert.Contains(t, r.stderr, "rotate "+fxBackup+" --complete "+successor)
	written, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Regexp(t, `^lsnt_\S+\n$`, string(written))

	// Output that fails after the API acted names the new token and says
	// not to run again (8), never "transient" (5); the secret is not on stderr.
	for _, args := range [][]string{
		{"-o", "json", "create", "--name", "full", "--scope", "all.User.read"},
		{"-o", "table", "rotate", fxCLI, "--yes"},
	} {
		line := "losant-tokens " + strings.Join(quoteAll(args), " ") + " > /dev/full"
		r := w.sh(t, "", line)
		assert.Equal(t, exitLocalWrite, r.code, "%s: %s", line, r.stderr)
		assert.Regexp(t, `[0-9a-f]{24} was (created|made)`, r.stderr, line)
		assert.Contains(t, r.stderr, "lost", line)
		assert.NotContains(t, r.stderr, "lsnt_", line)
	}
	// The rotation whose output was lost was undone: its predecessor works.
	r = w.exec(t, "", "-o", "json", "get", fxCLI)
	assert.Contains(t, r.stdout, `"status": "active"`, "the predecessor was reactivated: "+r.stderr)
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = shellQuote(a)
	}
	return out
}

// A check an operator relies on refuses malformed input, before any
// request, with exit 2.
func TestChecksRefuseMalformedInput(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for _, args := range [][]string{
		{"audit", "--forbid-scope", "all.[Instance*"},
		{"audit", "--forbid-scope", "all.*", "--forbid-scope", `x\`},
		{"scopes", "["},
		{"rotate", fxBackup, "--complete", fxCLI, "--expires", "3d"},
		{"rotate", fxBackup, "--complete", fxCLI, "--never-expires"},
		{"rotate", fxBackup, "--complete", fxCLI, "--secret-file", "f"},
		{"rotate", fxBackup, "--complete", fxCLI, "--yes"},
		{"rotate", fxBackup, "--expires", "10m"},
		{"create", "--name", "n", "--scope", "all.User.read", "--secret-file", "-"},
		{"list", "--filter-field", "status"},
		{"list", "--per-page", "20000"},
		{"list", "--per-page", "15"},
		{"expiring", "--per-page", "1"},
		{"--timeout", "-1s", "list"},
		{"-a", fxApp, "version"},
		{"-o", "json", "version"},
		{"-a", fxApp, "scopes"},
	} {
		before := len(w.Server.Requests())
		r := w.exec(t, "", args...)
		assert.Equal(t, exitBadInput, r.code, "%v: %s", args, r.stderr)
		assert.Len(t, w.Server.Requests(), before, "%v: nothing was sent", args)
		assert.NotRegexp(t, `MaxPerPage|WithTimeout|NewClient|MinSuccessorLifetime`, r.stderr, "%v: the CLI's words, not Go's", args)
	}
	assert.NoFileExists(t, filepath.Join(w.dir, "-"))
	r := w.exec(t, "", "audit", "--forbid-scope", "all.*")
	assert.Equal(t, exitFindings, r.code, "a well-formed pattern still finds: %s", r.stderr)
}

// Nothing an operator typed is echoed back unless it is a valid ID: not in
// a message, not in a prompt.
func TestPastedSecretsAreNeverEchoed(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for _, args := range [][]string{
		{"delete", "--yes", pasted},
		{"delete", "--yes", fxBackup, pasted},
		{"patch", pasted, "--description", "x"},
		{"get", pasted},
		{"rotate", pasted},
		{"rotate", fxBackup, "--complete", pasted},
		{"-a", pasted, "list"},
		{"-i", pasted, "get", fxBackup},
		{"audit", "-a", pasted},
		{"--token-file", pasted, "list"},
		{"--timeout", pasted, "list"},
		{"-o", pasted, "list"},
		{"list", "--limit", pasted},
		{"expiring", "--within", pasted},
		{"create", "--name", "n", "--scope", pasted},
		{"create", "--name", "n", "--scope", "all.User.read", "--expires", pasted},
		{pasted},
		{"list", "-" + pasted}, // pflag: unknown shorthand flag 'l' in -lsnt_...
		{"list", "--" + pasted},
		{"list", "-ax" + pasted}, // a known shorthand, then the rest as its value
	} {
		r := w.exec(t, "", args...)
		assert.Equal(t, exitBadInput, r.code, "%v: %s", args, r.stderr)
		assert.NotContains(t, r.stdout+r.stderr, "5ecret", args)
	}
	assert.Equal(t, "losant-tokens: unknown command \"lsit\": run losant-tokens --help for the commands\n",
		w.exec(t, "", "lsit").stderr, "a mistyped command is named")

	// On a terminal, the prompt is never shown for an argument that is not an ID.
	world := newWorld(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--base-url", world.Server.URL, "delete", appToken, pasted}, environment{
		getenv: func(string) string { return secret }, stdin: strings.NewReader("y\n"), stdout: &stdout, stderr: &stderr, tty: true,
	})
	assert.Equal(t, exitBadInput, code)
	assert.NotContains(t, stdout.String()+stderr.String(), "5ecret")
	assert.NotContains(t, stdout.String(), "Delete", "no prompt")
}

// Exit 5 means only "the same command again is safe": a refused redirect
// is a configuration error (2), a write whose answer was lost is 7.
func TestExitStatusesSayWhatToDoNext(t *testing.T) {
	t.Parallel()
	redirecting := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere?secret=abc", http.StatusFound)
	}))
	w := newShellWorld(t)
	r := w.exec(t, "", "--base-url", redirecting.URL, "patch", fxBackup, "--description", "x")
	assert.Equal(t, exitBadInput, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "secret=abc")
	assert.NotContains(t, r.stderr, "may have")

	w.Server.Inject(losanttest.Fault{Status: http.StatusBadGateway}, losanttest.Times(0))
	r = w.exec(t, "", "create", "--name", "n", "--scope", "all.User.read", "--timeout", "2s")
	assert.Equal(t, exitUnknownOutcome, r.code, "a create answered 502 may have made the token: %s", r.stderr)
	r = w.exec(t, "", "get", fxBackup, "--timeout", "2s")
	assert.Equal(t, exitTransient, r.code, "a read is safe to run again: %s", r.stderr)
	w.Server.ClearFaults()

	// Refusing an inactive predecessor is the operator's input to fix.
	require.Equal(t, exitOK, w.exec(t, "", "patch", fxBackup, "--status", "inactive").code)
	r = w.exec(t, "", "rotate", fxBackup)
	assert.Equal(t, exitBadInput, r.code, r.stderr)
}

// The root help and README's table list every exit status the code
// declares, with the same numbers and meanings.
func TestExitStatusTableMatchesTheCode(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	help := w.exec(t, "", "--help").stdout
	readme, err := os.ReadFile("../../../README.md")
	require.NoError(t, err)
	rows := regexp.MustCompile(`(?m)^\| (\d+) \| (.+) \|$`).FindAllStringSubmatch(string(readme), -1)
	inReadme := map[int]string{}
	for _, row := range rows {
		n, _ := strconv.Atoi(row[1])
		inReadme[n] = strings.ReplaceAll(row[2], "`", "")
	}
	listed := map[int]bool{}
	for _, s := range exitStatuses() {
		listed[s.code] = true
		assert.Contains(t, help, fmt.Sprintf("%3d  %s", s.code, s.meaning), "root help lists %d", s.code)
		assert.Equal(t, s.meaning, inReadme[s.code], "README's row %d", s.code)
	}
	assert.Len(t, inReadme, len(listed), "README's table has no other row")
	for name, code := range declaredExitStatuses(t) {
		assert.True(t, listed[code], "%s (%d) is declared in exitcode.go but not in exitStatuses", name, code)
	}
}

// declaredExitStatuses are the exit* constants exitcode.go declares, by
// name, read from its source: a status added there must be listed.
func declaredExitStatuses(t *testing.T) map[string]int {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), "exitcode.go", nil, 0)
	require.NoError(t, err)
	out := map[string]int{}
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if strings.HasPrefix(name.Name, "exit") && ok {
					out[name.Name], _ = strconv.Atoi(lit.Value)
				}
			}
		}
	}
	require.NotEmpty(t, out)
	return out
}

// Completing a token ID works for an application's and an instance's
// tokens too.
func TestCompletionWithAnOwnerFlag(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	r := w.exec(t, "", "__complete", "-a", fxApp, "get", "")
	assert.Contains(t, r.stdout, fxAppToken+"\t")
	r = w.exec(t, "", "__complete", "-i", fxInstance, "get", "")
	assert.Contains(t, r.stdout, "5a1f0e3b7ae143cd83dc4b03\t")
}

// A file-mode warning is given only for a regular file.
func TestTokenFileModeAdviceOnlyForARegularFile(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for _, path := range []string{"/dev/null", w.dir} {
		r := w.exec(t, "", "--token-file", path, "list")
		assert.Equal(t, exitBadInput, r.code)
		assert.NotContains(t, r.stderr, "chmod", path)
	}
}

// Help shows no "(default 0s)" beside a limit that is off, and the default
// window in days.
func TestHelpShowsDurationsAsTheyAreTyped(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	assert.NotContains(t, w.exec(t, "", "audit", "--help").stdout, "default 0s")
	assert.Contains(t, w.exec(t, "", "expiring", "--help").stdout, "(default 14d)")
	_ = time.Second
}

// execClosedStdout runs the binary with a stdout whose reader has gone, as
// `| true` or `| head -c1` leave it.
func (w *shellWorld) execClosedStdout(t *testing.T, args ...string) result {
	t.Helper()
	r, wr, err := os.Pipe()
	require.NoError(t, err)
	require.NoError(t, r.Close())
	cmd := exec.Command(filepath.Join(binary(t), "losant-tokens"), args...)
	cmd.Dir, cmd.Env, cmd.Stdout = w.dir, w.env, wr
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	wr.Close()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	}
	return result{stderr: stderr.String(), code: code}
}

// Output that fails after the API acted (a closed pipe, a full disk) names
// what now exists and exits 8; output of a read that fails changes
// nothing, and says so by its status.
func TestLostOutputSaysWhatTheAPIDid(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	r := w.execClosedStdout(t, "-o", "json", "create", "--name", "piped", "--scope", "all.User.read")
	assert.Equal(t, exitLocalWrite, r.code, "a closed pipe after a create: %s", r.stderr)
	assert.Regexp(t, `token [0-9a-f]{24} was created`, r.stderr)
	assert.NotContains(t, r.stderr, "lsnt_")

	r = w.execClosedStdout(t, "-o", "json", "list")
	assert.Equal(t, exitClosedPipe, r.code, "a read whose reader left: %s", r.stderr)
	assert.Empty(t, r.stderr)

	r = w.sh(t, "", "losant-tokens -o json list > /dev/full")
	assert.Equal(t, exitFailure, r.code, "a read whose output failed changed nothing: not 8")

	made := w.exec(t, "", "-o", "json", "create", "--name", "gone", "--scope", "all.User.read")
	var tok tokenJSON
	require.NoError(t, json.Unmarshal([]byte(made.stdout), &tok))
	r = w.sh(t, "", "losant-tokens -o json delete --yes "+tok.ID+" > /dev/full")
	assert.Equal(t, exitLocalWrite, r.code)
	assert.Contains(t, r.stderr, "deleted: "+tok.ID)

	file := filepath.Join(w.dir, "kept")
	r = w.sh(t, "", "losant-tokens -o ids create --name filed --scope all.User.read --secret-file "+file+" > /dev/full")
	assert.Equal(t, exitLocalWrite, r.code)
	assert.Contains(t, r.stderr, "its secret is in the --secret-file: nothing is lost")
	assert.NotContains(t, r.stderr, "delete it")
}

// Values that name one of a fixed list (a status, a role, a sort field)
// are checked by the CLI, and a pasted secret in their place, or as an
// unknown flag or a file's path, is never echoed.
func TestFixedValuesAreCheckedWithoutEcho(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for _, args := range [][]string{
		{"create", "--name", "n", "--scope", "all.User.read", "--status", pasted},
		{"create", "--name", "n", "--scope", "all.User.read", "--default-role", pasted},
		{"patch", fxBackup, "--status", pasted},
		{"list", "--sort", pasted},
		{"list", "--filter", "x", "--filter-field", pasted},
		{"list", "--" + pasted},
		{"create", "--from-file", pasted},
		{"create", "--name", "n", "--scope", "all.User.read", "--secret-file", ""},
		{"--token-file", "", "list"},
		{"--timeout", "1ns", "list"},
		{"--timeout", "2562047h", "list"},
		{"audit", "--forbid-scope", ""},
		{"audit", "--forbid-scope", " all.*"},
		{"audit", "--forbid-scope", "all.user"},
	} {
		before := len(w.Server.Requests())
		r := w.exec(t, "", args...)
		assert.Equal(t, exitBadInput, r.code, "%q: %s", args, r.stderr)
		assert.NotContains(t, r.stderr, "5ecret", args)
		assert.NotContains(t, r.stderr, "losant: ", "%q: said once, as losant-tokens:", args)
		assert.Len(t, w.Server.Requests(), before, "%q: nothing was sent", args)
	}
	assert.Equal(t, exitOK, w.exec(t, "", "--timeout", "2m", "list").code, "a sane timeout, in minutes")
}

// A secret is not printed where it is lost: stdout on /dev/null (or
// closed, which Go reopens on /dev/null) is refused before anything is
// made, unless --secret-file takes the secret.
func TestASecretIsNotPrintedIntoDevNull(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for _, line := range []string{
		"losant-tokens create --name n --scope all.User.read > /dev/null",
		"losant-tokens create --name n --scope all.User.read >&-",
		"losant-tokens rotate " + fxBackup + " --yes > /dev/null",
	} {
		before := len(w.Server.Requests())
		r := w.sh(t, "", line)
		assert.Equal(t, exitBadInput, r.code, "%s: %s", line, r.stderr)
		assert.Contains(t, r.stderr, "--secret-file", line)
		assert.Len(t, w.Server.Requests(), before, "%s: nothing was sent", line)
	}
	r := w.sh(t, "", "losant-tokens create --name n --scope all.User.read --secret-file "+filepath.Join(w.dir, "s")+" > /dev/null")
	assert.Equal(t, exitOK, r.code, "the file takes the secret: %s", r.stderr)
}

// Output that fails after --complete names what it did; a read-only
// command's failed output is a failure, not a success.
func TestEveryCommandReportsItsFailedOutput(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	file := filepath.Join(w.dir, "next")
	r := w.exec(t, "", "-o", "ids", "rotate", fxBackup, "--secret-file", file)
	require.Equal(t, exitOK, r.code, r.stderr)
	successor := strings.TrimSpace(r.stdout)
	r = w.sh(t, "", "losant-tokens rotate "+fxBackup+" --complete "+successor+" > /dev/full")
	assert.Equal(t, exitLocalWrite, r.code, r.stderr)
	assert.Contains(t, r.stderr, "the rotation is complete: "+fxBackup+" is inactive and "+successor+" active")
	for _, line := range []string{"losant-tokens scopes > /dev/full", "losant-tokens version > /dev/full"} {
		assert.Equal(t, exitFailure, w.sh(t, "", line).code, line)
	}
}

// File paths and file contents are not echoed: a path may be a pasted
// secret, and so may a key in a body file.
func TestFilesAreNotEchoed(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	named := filepath.Join(w.dir, pasted)
	require.NoError(t, os.WriteFile(named, []byte(""), 0o644))
	body := filepath.Join(w.dir, "body.json")
	require.NoError(t, os.WriteFile(body, []byte(`{"name": "n", "`+pasted+`": 1}`), 0o600))
	for _, args := range [][]string{
		{"--token-file", named, "list"},
		{"create", "--name", "n", "--scope", "all.User.read", "--secret-file", named},
		{"create", "--from-file", body},
	} {
		r := w.exec(t, "", args...)
		assert.Equal(t, exitBadInput, r.code, "%q: %s", args, r.stderr)
		assert.NotContains(t, r.stderr, "5ecret", args)
	}
}
