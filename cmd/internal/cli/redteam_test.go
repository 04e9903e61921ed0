//go:build unix

package cli

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file hold the CLI to the promises a red team broke
// against the built binary and its docs.

// A server that answers a create with the operator's own access token
// (or a secret that holds it) as the successor's secret does not have it
// delivered, piped, kept or printed: it is refused as a secret that is
// not a token, and the useless successor is named with the command that
// deletes it.
func TestASuccessorSecretThatHoldsTheAccessTokenGoesNowhere(t *testing.T) {
	for _, bad := range []string{secret, "x" + secret + "y", secret[:len(secret)-4]} {
		w := newWorld(t)
		p := newProxy(t, w.Server)
		p.set(func() { p.rewrite = rewriteSecret(t, bad) })
		file := serviceFile(t)
		piped := filepath.Join(t.TempDir(), "piped")
		kept := filepath.Join(t.TempDir(), "kept")
		for _, args := range [][]string{
			{"-a", appID, "rotate", appToken, "--deliver-file", file, "--deliver-command", "cat > " + shellQuote(piped)},
			{"-a", appID, "rotate", appToken, "--secret-file", kept},
			{"-a", appID, "rotate", appToken, "-o", "json"},
			{"create", "--name", "n", "--scope", "all.User.read", "-o", "json"},
		} {
			r := runAt(t, p.URL, args...)
			assert.Equal(t, exitUnknownOutcome, r.code, "%v: %s", args, r.stderr)
			assert.Contains(t, r.stderr, "holds the access token")
			assert.NotContains(t, r.stdout+r.stderr, secret)
			id := successorIn(t, `Token ([0-9a-f]{24}) was made`, r.stderr)
			del := successorIn(t, `delete it with (losant-tokens [^,]*delete --yes `+id+`)`, r.stderr)
			assert.Equal(t, exitOK, runLine(t, del, p.URL).code, "the command deletes it")
			assert.Equal(t, "deleted", status(w, id))
			assert.Equal(t, "active", status(w, appToken))
		}
		assert.Equal(t, "old secret\n", readString(t, file))
		assert.NoFileExists(t, piped, "nothing piped")
		assert.NoFileExists(t, kept)
		noneBeside(t, file)
	}
}

// The access token a server puts into a token's name or description
// (plainly, or \u-escaped in its JSON) is printed as [REDACTED] by get
// and list, in JSON and in a table.
func TestTheAccessTokenInAServersTextIsRedacted(t *testing.T) {
	w := newWorld(t)
	p := newProxy(t, w.Server)
	escaped := `\u006c` + strings.TrimPrefix(secret, "l") // "l" as \u006c
	p.set(func() {
		p.rewrite = func(r *http.Request, body []byte) []byte {
			body = bytes.ReplaceAll(body, []byte(`"Gateway"`), []byte(`"req-`+secret+`"`))
			return bytes.ReplaceAll(body, []byte(`"uploads"`), []byte(`"`+escaped+` x"`))
		}
	})
	for _, args := range [][]string{
		{"-a", appID, "get", appToken, "-o", "json"},
		{"-a", appID, "get", appToken, "-o", "table"},
		{"-a", appID, "list", "-o", "json"},
		{"-a", appID, "list", "-o", "table"},
	} {
		r := runAt(t, p.URL, args...)
		assert.Equal(t, exitOK, r.code, "%v: %s", args, r.stderr)
		assert.Contains(t, r.stdout, "req-[REDACTED]", "%v", args)
		assert.NotContains(t, r.stdout+r.stderr, secret, "%v", args)
		assert.NotContains(t, r.stdout+r.stderr, strings.TrimPrefix(secret, "l"), "%v", args)
	}
}

// A first signal during a rollback (here, while its delete of the
// successor is held by the network) lets the rollback run to its end, and
// the run exits 130, saying it was interrupted and what the rollback left.
func TestAFirstSignalDuringARollbackExits130(t *testing.T) {
	w := newShellWorld(t)
	p := newProxy(t, w.Server)
	file := filepath.Join(w.dir, "service-token")
	require.NoError(t, os.WriteFile(file, []byte("old\n"), 0o600))
	p.set(func() { p.hold = func(r *http.Request) bool { return r.Method == http.MethodDelete } })
	run := w.start(t, "--base-url", p.URL, "-a", fxApp, "rotate", fxAppToken, "--deliver-file", "service-token", "--check", "false", "--check-tries", "1")
	select {
	case <-p.held:
	case <-run.done:
		t.Fatalf("ended first: %s", run.stderrText())
	}
	run.signal(t, syscall.SIGTERM)
	require.Eventually(t, func() bool { return strings.Contains(run.stderrText(), "interrupted") || run.ended() },
		20*time.Second, 5*time.Millisecond, "waiting for the signal to be taken")
	close(p.release)
	r := run.end(t, 20*time.Second)
	assert.Equal(t, exitInterrupted, r.code, r.stderr)
	assert.Contains(t, r.stderr, "interrupted while rolling back")
	successor := successorIn(t, `successor ([0-9a-f]{24}) was deleted`, r.stderr)
	assert.Equal(t, "deleted", status(w.World, successor))
	assert.Equal(t, "active", status(w.World, fxAppToken))
	assert.Equal(t, "old\n", readString(t, file))
	noneBeside(t, file)
}

// An argument to completion's shell commands (a secret pasted in the
// wrong place) is refused unquoted, as every unknown argument is.
func TestCompletionQuotesNoArgument(t *testing.T) {
	w := newWorld(t)
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		r := runCLI(t, w, "completion", shell, "lsnt_Pasted.Secret")
		assert.Equal(t, exitBadInput, r.code, "%s: %s", shell, r.stderr)
		assert.Contains(t, r.stderr, "(not shown)", shell)
		assert.NotContains(t, r.stdout+r.stderr, "Pasted", shell)
	}
}

// A --token-command whose child keeps its stdout open (a helper that
// leaves a daemon behind) gives the token it printed before it exited,
// and the child is killed with its process group.
func TestATokenCommandsLeftoverChildIsKilledAndTheTokenTaken(t *testing.T) {
	w := newWorld(t)
	pidFile := filepath.Join(t.TempDir(), "pid")
	command := `(sh -c 'echo $$ > ` + shellQuote(pidFile) + `; exec sleep 100' &) ; while ! test -s ` + shellQuote(pidFile) + `; do sleep 0.01; done; echo ` + secret
	r := runWith(t, w, nil, nil, "--token-command", command, "get", cliToken)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, cliToken)
	pid, err := strconv.Atoi(strings.TrimSpace(readString(t, pidFile)))
	require.NoError(t, err)
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	assert.Eventually(t, func() bool { return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) }, 20*time.Second, 10*time.Millisecond, "the child is killed")
}

// A --deliver-file with another name (a hard link) is refused before
// anything is made (exit 2): the secret, renamed over one name, would
// leave the other with the old one.
func TestADeliverFileWithHardLinksIsRefusedFirst(t *testing.T) {
	w := newWorld(t)
	file := serviceFile(t)
	other := filepath.Join(filepath.Dir(file), "other-name")
	require.NoError(t, os.Link(file, other))
	before := len(w.Server.Requests())
	r, _ := rotateApp(t, w, "--deliver-file", file)
	assert.Equal(t, exitBadInput, r.code, r.stderr)
	assert.Contains(t, r.stderr, "hard links")
	assert.Contains(t, r.stderr, "nothing was made")
	for _, req := range w.Server.Requests()[before:] {
		assert.NotEqual(t, http.MethodPost, req.Method, "nothing made")
	}
	assert.Equal(t, "old secret\n", readString(t, file))
	assert.Equal(t, "old secret\n", readString(t, other))
	entries, err := os.ReadDir(filepath.Dir(file))
	require.NoError(t, err)
	assert.Len(t, entries, 2, "nothing beside it")
}

// A --deliver-file's setgid bit (mode 2640) is kept through a delivery
// and a rollback.
func TestDeliveryKeepsTheSetgidBit(t *testing.T) {
	w := newWorld(t)
	file := serviceFile(t)
	require.NoError(t, os.Chmod(file, 0o640|os.ModeSetgid))
	mode := func() os.FileMode {
		info, err := os.Stat(file)
		require.NoError(t, err)
		return info.Mode()
	}
	require.Equal(t, 0o640|os.ModeSetgid, mode(), "the file system keeps it")
	r, _ := rotateApp(t, w, "--deliver-file", file, "--check", "false", "--check-tries", "1")
	require.Equal(t, exitRolledBack, r.code, r.stderr)
	assert.Equal(t, 0o640|os.ModeSetgid, mode(), "rolled back")
	r, _ = rotateApp(t, w, "--deliver-file", file)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `^lsnt_`, readString(t, file))
	assert.Equal(t, 0o640|os.ModeSetgid, mode(), "delivered")
}

// Rotating a token rotated already (inactive, its successor active) says
// it is inactive (exit 2, nothing made), not that a rotation of it is open
// with commands that would complete or roll it back.
func TestRotatingAnInactiveTokenSaysSo(t *testing.T) {
	w := newWorld(t)
	r, successor := rotateApp(t, w, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.NotEmpty(t, successor)
	require.Equal(t, "inactive", status(w, appToken))
	file := serviceFile(t)
	for _, args := range [][]string{nil, {"--deliver-file", file}} {
		before := len(w.Server.Requests())
		r, _ = rotateApp(t, w, args...)
		assert.Equal(t, exitBadInput, r.code, "%v: %s", args, r.stderr)
		assert.Contains(t, r.stderr, "inactive", args)
		assert.NotContains(t, r.stderr, "is open", args)
		assert.NotContains(t, r.stderr, "--complete", args)
		assert.NotContains(t, r.stderr, "--rollback", args)
		for _, req := range w.Server.Requests()[before:] {
			assert.NotEqual(t, http.MethodPost, req.Method, "nothing made")
		}
	}
	assert.Equal(t, "old secret\n", readString(t, file))
	noneBeside(t, file)
}

// nopCloser is a buffer that stands for the terminal /dev/tty opens.
type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

// delete's question, when stdin is a terminal and stdout is not, goes to
// the terminal when it can be opened, and to stderr when it cannot.
func TestDeletesQuestionGoesToTheTerminalOrStderr(t *testing.T) {
	for _, opens := range []bool{true, false} {
		w := newWorld(t)
		var tty bytes.Buffer
		r := runWith(t, w, map[string]string{tokenEnv: secret}, func(e *environment) {
			e.stdinTTY, e.stdin = true, strings.NewReader("n\n")
			e.openTTY = func() (io.WriteCloser, error) {
				if !opens {
					return nil, errors.New("no terminal")
				}
				return nopCloser{&tty}, nil
			}
		}, "delete", appToken)
		assert.Equal(t, exitFailure, r.code, r.stderr)
		assert.Contains(t, r.stderr, "nothing was deleted")
		assert.Equal(t, !opens, strings.Contains(r.stderr, "[y/N]"), "on stderr when the terminal cannot be opened")
		assert.Equal(t, opens, strings.Contains(tty.String(), "[y/N]"), "on the terminal when it can be")
		assert.NotContains(t, r.stdout, "[y/N]")
		assert.Equal(t, "active", status(w, appToken))
	}
}
