package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/harness/testworld"
)

// The tests in this file hold the access token's own path: where it may
// come from (--token-command), and what the commands rotate runs can read
// of it.

// runWith runs a command line against w's fake as runCLI does, with env
// (no $LOSANT_API_TOKEN unless it says so) and the environment changed by
// change.
func runWith(t *testing.T, w *testworld.World, env map[string]string, change func(*environment), args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := environment{
		getenv: func(k string) string { return env[k] },
		stdin:  strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		extraOpts: []losant.Option{losant.WithoutRetries()},
	}
	if change != nil {
		change(&e)
	}
	code := run(context.Background(), append([]string{"--base-url", w.Server.URL}, args...), e)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// --token-command's stdout is the token, trimmed as a token file is.
func TestTokenCommandGivesTheToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := runWith(t, w, nil, nil, "--token-command", `printf '\357\273\277  %s  \n\n' "`+secret+`"`, "get", cliToken)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, cliToken)

	// The hint it prints names it by a placeholder, never its text.
	r = runWith(t, w, nil, nil, "--token-command", "echo "+secret, "-a", appID, "rotate", appToken)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "--token-command TOKEN_COMMAND")
	assert.NotContains(t, r.stdout+r.stderr, "echo "+secret)
}

// A --token-command that fails, prints no token, too much, or more than a
// token, or that hangs, is an error (exit 2) that never holds what it
// printed on stdout; its stderr is passed on bounded, escaped, and with the
// token cut out.
func TestTokenCommandFailuresNeverEchoItsOutput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const leaked = "lsnt_printed_by_the_helper_0123"
	for _, tc := range []struct {
		command, say string
	}{
		{"echo " + leaked + "; exit 3", "--token-command failed (exit status 3)"},
		{"echo " + leaked + " " + leaked, "its output is not a token: a space at byte 31: want the token alone"},
		{"true", "its output is not a token: empty"},
		{"head -c 70000 /dev/zero | tr '\\0' a", "its output is not a token: larger than 4096 bytes"},
		{"sleep 30; echo " + leaked, "--token-command was killed after 200ms"},
	} {
		r := runWith(t, w, nil, func(e *environment) { e.tokenCommandTimeout = 200 * time.Millisecond }, "--token-command", tc.command, "list")
		assert.Equal(t, exitBadInput, r.code, "%s: %s", tc.command, r.stderr)
		assert.Contains(t, r.stderr, tc.say, tc.command)
		assert.NotContains(t, r.stderr+r.stdout, leaked, tc.command)
		assert.NotContains(t, r.stderr, "aaaaaaaa", tc.command)
	}

	// Its stderr reaches the operator: bounded, escaped, and without the
	// token, which a careless helper echoes.
	r := runWith(t, w, nil, nil, "--token-command",
		`echo `+secret+`; printf 'vault: \033[2J sealed? no, fetched %s\n' `+secret+` >&2; head -c 100000 /dev/zero | tr '\0' e >&2`, "get", cliToken)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, `losant-tokens: --token-command: vault: \x1b[2J sealed? no, fetched [the access token]`)
	assert.NotContains(t, r.stderr, "\x1b")
	assert.NotContains(t, r.stderr, secret)
	assert.Less(t, len(r.stderr), 6<<10, "bounded")
	assert.Contains(t, r.stderr, "more bytes of its stderr were dropped")
}

// --token-command is one source of the token: given with --token-file or
// $LOSANT_API_TOKEN it is refused (exit 2), and not run.
func TestTokenCommandIsTheOnlySource(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	dir := t.TempDir()
	ran := filepath.Join(dir, "ran")
	tokenFile := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(secret), 0o600))
	for _, tc := range []struct {
		env  map[string]string
		args []string
	}{
		{map[string]string{tokenEnv: secret}, nil},
		{nil, []string{"--token-file", tokenFile}},
		{nil, []string{"--token-file", "-"}},
	} {
		r := runWith(t, w, tc.env, nil, append(tc.args, "--token-command", "touch '"+ran+"'; echo "+secret, "list")...)
		assert.Equal(t, exitBadInput, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, "give one source of the access token")
		assert.NoFileExists(t, ran, "not run")
	}
}

// A failing --check's output reaches the operator: the end of it (4 KiB),
// escaped, since it is text for a terminal, with the successor's secret
// cut out (the check may read the file it was delivered to).
func TestAFailingChecksOutputReachesTheOperator(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	file := serviceFile(t)
	check := `head -c 10000 /dev/zero | tr '\0' x; cat '` + file + `'; printf 'replica 3: 401 \033[2J\n' >&2; exit 1`
	r, successor := rotateApp(t, w, "--deliver-file", file, "--check", check, "--check-tries", "1")
	assert.Equal(t, exitRolledBack, r.code, r.stderr)
	require.NotEmpty(t, successor)
	assert.Contains(t, r.stderr, `replica 3: 401 \x1b[2J`)
	assert.NotContains(t, r.stderr, "\x1b")
	assert.Contains(t, r.stderr, "[the successor's secret]", "the delivered secret is cut out")
	assert.NotRegexp(t, regexp.MustCompile(`lsnt_[0-9a-f]{8}`), r.stdout+r.stderr)
	assert.Less(t, strings.Count(r.stderr, "x"), 4<<10+100, "bounded: the end of the output")
	assert.Greater(t, strings.Count(r.stderr, "x"), 3<<10, "the end of the output")
	assert.Equal(t, "old secret\n", readString(t, file), "restored")
}
