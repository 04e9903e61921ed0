package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// The tests in this file hold rotate's delivery to its promises: the
// secret goes to the file and the command, and nowhere else; a failed
// delivery or check is rolled back; each step's failure says what exists
// and the one command that finishes or undoes it.

var successorID = regexp.MustCompile(`"successor": \{\s+"id": "([0-9a-f]{24})"`)

// serviceFile is a file a service reads its token from, holding the
// application token's old secret.
func serviceFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(path, []byte("old secret\n"), 0o644))
	return path
}

// rotateApp rotates the fixtures' application token with args.
func rotateApp(t *testing.T, w *testworld.World, args ...string) (r result, successor string) {
	t.Helper()
	r = runCLI(t, w, append([]string{"-a", appID, "rotate", appToken}, args...)...)
	if m := successorID.FindStringSubmatch(r.stdout); m != nil {
		successor = m[1]
	}
	return r, successor
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// assertMode asserts the permissions of the file at path.
func assertMode(t *testing.T, path string, perm os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, perm, info.Mode().Perm(), path)
}

// noneBeside asserts that rotate left nothing beside the file at path.
func noneBeside(t *testing.T, path string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), filepath.Base(path)+".") || strings.HasPrefix(e.Name(), "."+filepath.Base(path)),
			"left beside it: %s", e.Name())
	}
}

// status is a token's status in the fake, or "deleted".
func status(w *testworld.World, id string) string {
	tok, ok := w.Server.Token(id)
	if !ok {
		return "deleted"
	}
	return string(tok.Status)
}

func TestRotateDeliversToTheFileServicesRead(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	file := serviceFile(t)
	// The check sees the copy kept for a rollback while the rotation is open.
	check := fmt.Sprintf(`test "$(stat -c %%a '%[1]s.previous')" = 600 && test "$(cat '%[1]s.previous')" = "old secret"`, file)
	r, successor := rotateApp(t, w, "--deliver-file", file, "--check", check)
	require.Equal(t, exitOK, r.code, "the copy is what the file held, mode 0600: %s", r.stderr)
	require.NotEmpty(t, successor, r.stdout)
	assert.Regexp(t, `^lsnt_\S+\n$`, readString(t, file), "the successor's secret, whole, at the same path")
	assertMode(t, file, 0o644)
	assert.NoFileExists(t, file+".previous", "removed once complete: it holds a token now inactive")
	assert.Contains(t, r.stdout, `"completed": true`)
	assert.Contains(t, r.stdout, `"delivered": [`+"\n"+`    "--deliver-file"`)
	assert.NotContains(t, r.stdout+r.stderr, "lsnt_", "delivered, and printed nowhere")
	assert.NotContains(t, r.stdout+r.stderr, file, "the path is not echoed")
	assert.Equal(t, "inactive", status(w, appToken))
	assert.Equal(t, "active", status(w, successor))
	entries, err := os.ReadDir(filepath.Dir(file))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left")
}

// The delivery command gets the secret on stdin, and neither in its
// arguments nor its environment, which holds no access token either: run
// by the built binary, with $LOSANT_API_TOKEN set.
func TestDeliveryCommandGetsTheSecretOnStdinOnly(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	file := filepath.Join(w.dir, "service-token")
	require.NoError(t, os.WriteFile(file, []byte("old\n"), 0o600))
	deliver := `printf '%s\n' "$0" "$@" > argv; env > env; cat > stdin; echo "$(cat stdin) on stdout"; echo on stderr >&2`
	r := w.exec(t, "", "-o", "table", "-a", fxApp, "rotate", fxAppToken, "--deliver-command", deliver, "--deliver-file", file)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "delivered to --deliver-file and --deliver-command, and shown nowhere")
	got := readString(t, filepath.Join(w.dir, "stdin"))
	require.Regexp(t, `^lsnt_\S+\n$`, got)
	newSecret := strings.TrimSpace(got)
	assert.Equal(t, got, readString(t, file), "the same secret in the file")
	for _, name := range []string{"argv", "env"} {
		assert.NotContains(t, readString(t, filepath.Join(w.dir, name)), newSecret, name)
	}
	assert.NotContains(t, readString(t, filepath.Join(w.dir, "env")), tokenEnv, "the access token is not passed on")
	assert.NotContains(t, r.stdout+r.stderr, newSecret, "the command's output is not echoed")
	assert.NotContains(t, r.stdout+r.stderr, "on stderr")
}

// --grace waits before completing; --check runs until it passes, within
// --check-tries.
func TestGraceAndCheckComeBeforeCompleting(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	file := serviceFile(t)
	count := filepath.Join(t.TempDir(), "count")
	check := `n=$(cat ` + count + ` 2>/dev/null || echo 0); n=$((n+1)); echo $n > ` + count + `; [ $n -ge 3 ]`
	began := time.Now()
	r, successor := rotateApp(t, w, "--deliver-file", file, "--grace", "300ms", "--check", check, "--check-tries", "3", "--check-interval", "10ms")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.GreaterOrEqual(t, time.Since(began), 300*time.Millisecond, "--grace")
	assert.Equal(t, "3\n", readString(t, count), "the check ran until it passed")
	assert.Equal(t, "inactive", status(w, appToken))
	assert.Equal(t, "active", status(w, successor))
}

// A check that never passes rolls back: the file is restored, the
// successor deleted, the predecessor active; the exit status is 10.
func TestFailedCheckRollsBack(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	file := serviceFile(t)
	r, successor := rotateApp(t, w, "--deliver-file", file, "--check", "exit 3", "--check-tries", "2", "--check-interval", "1ms")
	assert.Equal(t, exitRolledBack, r.code, r.stderr)
	assert.Contains(t, r.stderr, "--check exited with status 3 (try 2 of 2)")
	assert.Contains(t, r.stderr, "rolled back: successor "+successor+" was deleted and "+appToken+" is active")
	assert.Contains(t, r.stdout, `"rolledBack": true`)
	assert.Equal(t, "old secret\n", readString(t, file), "restored")
	assertMode(t, file, 0o644)
	assert.Equal(t, "deleted", status(w, successor))
	assert.Equal(t, "active", status(w, appToken))
	assert.NotContains(t, r.stdout+r.stderr, "lsnt_")
}

// A delivery command that fails, or is killed by --deliver-timeout, rolls
// back the file delivered before it.
func TestFailedDeliveryCommandRollsBack(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		command, say string
		flags        []string
	}{
		{"cat > /dev/null; exit 4", "--deliver-command exited with status 4", nil},
		{"sleep 120", "--deliver-command killed after 200ms", []string{"--deliver-timeout", "200ms"}},
	} {
		t.Run(tc.say, func(t *testing.T) {
			w := newWorld(t)
			file := serviceFile(t)
			began := time.Now()
			r, successor := rotateApp(t, w, append([]string{"--deliver-file", file, "--deliver-command", tc.command}, tc.flags...)...)
			assert.Less(t, time.Since(began), time.Minute, "not waiting for the command: it sleeps two minutes")
			assert.Equal(t, exitRolledBack, r.code, r.stderr)
			assert.Contains(t, r.stderr, tc.say)
			assert.Equal(t, "old secret\n", readString(t, file))
			assert.Equal(t, "deleted", status(w, successor))
			assert.Equal(t, "active", status(w, appToken))
		})
	}
}

// rotate --rollback undoes a rotation left open; run again, it finds no
// successor and says so (exit 3), changing nothing; it refuses a completed
// rotation, and a token that is not the successor.
func TestRollbackUndoesAnOpenRotation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r, successor := rotateApp(t, w)
	require.Equal(t, exitOK, r.code, r.stderr)
	file := serviceFile(t)
	require.NoError(t, os.Rename(file, file+".previous"))
	require.NoError(t, os.WriteFile(file, []byte("the successor's secret\n"), 0o600))

	r, _ = rotateApp(t, w, "--rollback", successor, "--deliver-file", file)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"rolledBack": true`)
	assert.Contains(t, r.stdout, `"fileRestored": true`)
	assert.Equal(t, "old secret\n", readString(t, file))
	assert.Equal(t, "deleted", status(w, successor))
	assert.Equal(t, "active", status(w, appToken))
	require.NoError(t, os.WriteFile(file, []byte("written since\n"), 0o600))
	r, _ = rotateApp(t, w, "--rollback", successor, "--deliver-file", file)
	assert.Equal(t, exitNotFound, r.code, "a rollback already done: %s", r.stderr)
	assert.Contains(t, r.stderr, "successor "+successor+" was not found")
	assert.Contains(t, r.stderr, "If it was deleted already (by an earlier rollback")
	assert.Equal(t, "written since\n", readString(t, file), "nothing was changed")

	r = runCLI(t, w, "-a", appID, "rotate", appToken, "--rollback", cliToken)
	assert.Equal(t, exitNotFound, r.code, "another owner's token is not found, so not deleted: %s", r.stderr)
	assert.Contains(t, r.stderr, "successor "+cliToken+" was not found")
	assert.Equal(t, "active", status(w, cliToken))

	r, successor = rotateApp(t, w, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	r, _ = rotateApp(t, w, "--rollback", successor)
	assert.Equal(t, exitBadInput, r.code, r.stderr)
	assert.Contains(t, r.stderr, "the rotation was completed")
	assert.Equal(t, "active", status(w, successor))
}

// A rollback restores a --deliver-file only from the copy of a rotation
// still open: a completed rotation removes its copy, which holds a token
// now inactive, so a later rotation's rollback named the same file is
// refused (exit 2) before anything changes, instead of writing a dead
// token where every service reads it.
func TestRollbackRestoresOnlyTheCopyOfAnOpenRotation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	file := serviceFile(t)
	r, first := rotateApp(t, w, "--deliver-file", file)
	require.Equal(t, exitOK, r.code, r.stderr)
	delivered := readString(t, file)
	require.NoFileExists(t, file+".previous")

	r = runCLI(t, w, "-a", appID, "rotate", first, "--secret-file", filepath.Join(t.TempDir(), "new"))
	require.Equal(t, exitOK, r.code, r.stderr)
	m := regexp.MustCompile(`"successor": \{\s+"id": "([0-9a-f]{24})"`).FindStringSubmatch(r.stdout)
	require.NotNil(t, m, r.stdout)
	second := m[1]

	r = runCLI(t, w, "-a", appID, "rotate", first, "--rollback", second, "--deliver-file", file)
	assert.Equal(t, exitBadInput, r.code, r.stderr)
	assert.Contains(t, r.stderr, "has no .previous copy")
	assert.Equal(t, delivered, readString(t, file), "the file keeps the active token")
	assert.Equal(t, "active", status(w, second), "nothing deleted")
	assert.Equal(t, "active", status(w, first))

	r = runCLI(t, w, "-a", appID, "rotate", first, "--rollback", second)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "deleted", status(w, second))
}

// rotate --rollback with a successor ID that names no token (mistyped)
// reports that the successor was not found, with exit 3, and changes
// nothing: the open rotation's successor stays, the file keeps the
// successor's secret it holds, and the predecessor is said to be active,
// as it is. The right ID then rolls back.
func TestRollbackOfAnUnknownSuccessorSaysNotFound(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r, successor := rotateApp(t, w)
	require.Equal(t, exitOK, r.code, r.stderr)
	file := serviceFile(t)
	require.NoError(t, os.Rename(file, file+".previous"))
	require.NoError(t, os.WriteFile(file, []byte("the successor's secret\n"), 0o600))
	mistyped := successor[:23] + map[bool]string{true: "0", false: "1"}[successor[23] != '0']
	before := len(w.Server.Requests())

	r, _ = rotateApp(t, w, "--rollback", mistyped, "--deliver-file", file)
	assert.Equal(t, exitNotFound, r.code, r.stderr)
	assert.Contains(t, r.stderr, "successor "+mistyped+" was not found")
	assert.Contains(t, r.stderr, appToken+" is active, and nothing was changed (the --deliver-file was not restored)")
	assert.Contains(t, r.stderr, "check the ID; to see the tokens, run: losant-tokens")
	assert.NotContains(t, r.stderr, "rolled back")
	assert.NotContains(t, r.stdout, `"rolledBack"`)
	assert.Equal(t, "the successor's secret\n", readString(t, file), "not restored")
	assert.Equal(t, "active", status(w, successor), "the open rotation's successor is left")
	assert.Equal(t, "active", status(w, appToken))
	for _, req := range w.Server.Requests()[before:] {
		assert.NotEqual(t, "DELETE", req.Method, "nothing is deleted")
	}

	r, _ = rotateApp(t, w, "--rollback", successor, "--deliver-file", file)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "old secret\n", readString(t, file))
	assert.Equal(t, "deleted", status(w, successor))
}

// Each step's lost answer leaves a true report and the one command that
// finishes or undoes it, which works.
func TestRolloutLostAnswersSayWhatToRun(t *testing.T) {
	t.Parallel()
	t.Run("create", func(t *testing.T) {
		w := newShellWorld(t).World // the real clock: the library finds the token made since the rotation began
		env := map[string]string{tokenEnv: fixtureSecret}
		file := serviceFile(t)
		delivered := filepath.Join(t.TempDir(), "delivered")
		w.Server.Inject(losanttest.Fault{LoseAnswer: true}, losanttest.For(losanttest.CreateApplicationAPIToken))
		r := runCLIWith(t, w, env, "-a", fxApp, "rotate", fxAppToken, "--deliver-file", file, "--deliver-command", "touch "+delivered)
		assert.Equal(t, exitUnknownOutcome, r.code, r.stderr)
		assert.Equal(t, "old secret\n", readString(t, file), "nothing delivered")
		assert.NoFileExists(t, delivered)
		m := regexp.MustCompile(`delete --yes ([0-9a-f]{24})\)`).FindStringSubmatch(r.stderr)
		require.NotNil(t, m, "the command that deletes the successor whose secret is lost: %s", r.stderr)
		require.Equal(t, exitOK, runCLIWith(t, w, env, "-a", fxApp, "delete", "--yes", m[1]).code)
		assert.Equal(t, "active", status(w, fxAppToken))
	})
	t.Run("deactivation", func(t *testing.T) {
		w := newWorld(t)
		file := serviceFile(t)
		w.Server.Inject(losanttest.Fault{LoseAnswer: true}, losanttest.For(losanttest.PatchApplicationAPIToken))
		r, successor := rotateApp(t, w, "--deliver-file", file)
		assert.Equal(t, exitUnknownOutcome, r.code, r.stderr)
		assert.Contains(t, r.stderr, "may already be inactive")
		assert.Regexp(t, `^lsnt_`, readString(t, file), "delivered, and left so")
		assert.Contains(t, r.stdout, `"completeWith"`)
		require.Contains(t, r.stderr, "rotate "+appToken+" --complete "+successor)
		r = runCLI(t, w, "-a", appID, "rotate", appToken, "--complete", successor)
		assert.Equal(t, exitOK, r.code, r.stderr)
	})
	t.Run("rollback's delete", func(t *testing.T) {
		w := newWorld(t)
		file := serviceFile(t)
		w.Server.Inject(losanttest.Fault{LoseAnswer: true}, losanttest.For(losanttest.DeleteApplicationAPIToken))
		r, successor := rotateApp(t, w, "-o", "ids", "--deliver-file", file, "--check", "false", "--check-tries", "1")
		assert.Equal(t, exitUnknownOutcome, r.code, r.stderr)
		assert.Equal(t, "old secret\n", readString(t, file), "restored before the delete")
		assert.Contains(t, r.stdout, `"secret": "lsnt_`, "the secret, in no file, is printed rather than dropped, as JSON under -o ids")
		assert.NotContains(t, r.stderr, "lsnt_")
		assert.NotContains(t, r.stdout+r.stderr, "--complete", "the file holds the predecessor's secret again: completing would break the services")
		require.Contains(t, r.stderr, "rotate "+appToken+" --rollback "+successor+" --deliver-file FILE")
		assert.Contains(t, r.stderr, "the successor may be deleted already: then the same command says it was not found, and the rollback is done")
		r, _ = rotateApp(t, w, "--rollback", successor, "--deliver-file", file)
		assert.Equal(t, exitNotFound, r.code, "the lost answer was to a delete that was done: %s", r.stderr)
		assert.Contains(t, r.stderr, "successor "+successor+" was not found")
		assert.Equal(t, "deleted", status(w, successor))
		assert.Equal(t, "old secret\n", readString(t, file))
	})
}

// A --deliver-file whose directory cannot be written, or that is missing,
// is refused before anything is made.
func TestUnwritableDeliveryFileIsRefusedFirst(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	notADir := serviceFile(t)
	for _, path := range []string{filepath.Join(notADir, "token"), filepath.Join(t.TempDir(), "missing"), t.TempDir()} {
		before := len(w.Server.Requests())
		r, _ := rotateApp(t, w, "--deliver-file", path)
		assert.Equal(t, exitBadInput, r.code, r.stderr)
		assert.Contains(t, r.stderr, "nothing was made")
		assert.NotContains(t, r.stderr, path)
		assert.Len(t, w.Server.Requests(), before, "nothing was sent")
	}
}

// A file that fails to be written after the successor is made (here, a
// file-size limit of zero past the empty copy: the rotation's record of
// its successor cannot be written) leaves the file as it was and the
// successor deleted.
func TestDeliveryFileThatFailsLateRollsBack(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	file := filepath.Join(w.dir, "service-token")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	r := w.sh(t, "", "ulimit -f 0; losant-tokens -a "+fxApp+" rotate "+fxAppToken+" --deliver-file service-token")
	assert.Equal(t, exitRolledBack, r.code, r.stderr)
	assert.Contains(t, r.stderr, "beside --deliver-file: write: file too large")
	assert.Empty(t, readString(t, file))
	assert.NoFileExists(t, file+previousSuffix)
	assert.NoFileExists(t, file+recordSuffix)
	tokens := 0
	for tok, err := range w.Client(t, losanttest.Token{Secret: fixtureSecret}).APITokens(losant.Application(fxApp)).All(t.Context(), losant.APITokenListOptions{}) {
		require.NoError(t, err)
		assert.Equal(t, gen.APITokenStatusActive, tok.Status)
		tokens++
	}
	assert.Equal(t, 1, tokens, "the successor was deleted")
}

// Flags that do not go together are refused before anything is sent.
func TestRolloutFlagsAreChecked(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	file := serviceFile(t)
	for _, args := range [][]string{
		{"--grace", "1s"},
		{"--check", "true"},
		{"--deliver-file", file, "--secret-file", filepath.Join(t.TempDir(), "f")},
		{"--deliver-file", file, "--yes"},
		{"--deliver-file", ""},
		{"--deliver-command", "true", "--check-tries", "0"},
		{"--deliver-command", "true", "--deliver-timeout", "0s"},
		{"--complete", cliToken, "--deliver-file", ""},
		{"--complete", cliToken, "--deliver-file", file, "--grace", "1s"},
		{"--rollback", cliToken, "--expires", "3d"},
		{"--rollback", cliToken, "--complete", cliToken},
		{"--rollback", "lsnt_pasted"},
	} {
		before := len(w.Server.Requests())
		r, _ := rotateApp(t, w, args...)
		assert.Equal(t, exitBadInput, r.code, "%v: %s", args, r.stderr)
		assert.Len(t, w.Server.Requests(), before, "%v: nothing was sent", args)
		assert.NotContains(t, r.stderr, "lsnt_pasted")
	}
	assert.Equal(t, "old secret\n", readString(t, file))
}

// A stop signal (SIGINT, SIGTERM or SIGHUP to the built binary, a
// different one at each step) at each step of a rollout exits 130 and
// leaves what the message says: before the create, nothing; during the
// delivery, grace or check, a rollback; during the deactivation, the one
// command that finishes it, which works.
func TestInterruptedRolloutSaysWhatIsLeft(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		step     string
		sig      os.Signal
		args     []string
		fault    losanttest.Operation
		ready    string // a file that exists once the step is under way
		say      string
		restored bool
	}{
		{"create", syscall.SIGHUP, nil, losanttest.CreateApplicationAPIToken, "", "still active", false},
		{"delivery", syscall.SIGTERM, []string{"--deliver-command", "touch ready; sleep 30"}, "", "ready", "rolled back", true},
		{"grace", os.Interrupt, []string{"--deliver-command", "touch ready", "--grace", "1m"}, "", "ready", "interrupted during --grace", true},
		{"check", syscall.SIGHUP, []string{"--check", "touch ready; sleep 30"}, "", "ready", "rolled back", true},
		{"deactivation", syscall.SIGTERM, nil, losanttest.PatchApplicationAPIToken, "", "--complete", false},
	} {
		t.Run(tc.step, func(t *testing.T) {
			w := newShellWorld(t)
			file := filepath.Join(w.dir, "service-token")
			require.NoError(t, os.WriteFile(file, []byte("old\n"), 0o600))
			if tc.fault != "" {
				w.Server.Inject(losanttest.Fault{Latency: 2 * time.Second}, losanttest.For(tc.fault))
			}
			cmd := exec.Command(filepath.Join(binary(t), "losant-tokens"),
				append([]string{"-a", fxApp, "rotate", fxAppToken, "--deliver-file", "service-token"}, tc.args...)...)
			cmd.Dir, cmd.Env = w.dir, w.env
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			require.NoError(t, cmd.Start())
			require.Eventually(t, func() bool {
				if tc.ready != "" {
					_, err := os.Stat(filepath.Join(w.dir, tc.ready))
					return err == nil
				}
				// A request is recorded once answered: the one delayed is
				// under way once the reads before it are.
				reads := 0
				for _, req := range w.Server.Requests() {
					if req.Operation == losanttest.GetApplicationAPIToken {
						reads++
					}
				}
				return tc.fault == losanttest.CreateApplicationAPIToken && reads == 1 || reads == 3 // Rotate's read; Complete's two
			}, 10*time.Second, 10*time.Millisecond, "the step began")
			time.Sleep(200 * time.Millisecond)
			require.NoError(t, cmd.Process.Signal(tc.sig))
			err := cmd.Wait()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, stderr.String())
			assert.Equal(t, exitInterrupted, exit.ExitCode(), stderr.String())
			assert.Contains(t, stderr.String(), tc.say)
			assert.NotContains(t, stdout.String()+stderr.String(), "lsnt_")
			if tc.restored || tc.step == "create" {
				assert.Equal(t, "old\n", readString(t, file))
			}
			pred, _ := w.Server.Token(fxAppToken)
			if tc.step != "deactivation" {
				assert.Equal(t, gen.APITokenStatusActive, pred.Status, "the predecessor is active")
			}
			if tc.restored {
				successor := regexp.MustCompile(`successor ([0-9a-f]{24}) was deleted`).FindStringSubmatch(stderr.String())
				require.NotNil(t, successor, stderr.String())
				assert.Equal(t, "deleted", status(w.World, successor[1]))
			}
			if tc.step == "deactivation" {
				assert.Equal(t, 1, strings.Count(stderr.String(), "run: "), "one command: %s", stderr.String())
				next := regexp.MustCompile(`run: (losant-tokens [^;)]*--complete [0-9a-f]{24} --deliver-file FILE)`).FindStringSubmatch(stderr.String())
				require.NotNil(t, next, stderr.String())
				w.Server.ClearFaults()
				r := w.sh(t, "", strings.Replace(next[1], "FILE", "service-token", 1))
				assert.Equal(t, exitOK, r.code, "the command finishes it: %s", r.stderr)
				noneBeside(t, file)
			}
		})
	}
}
