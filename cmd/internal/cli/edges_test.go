//go:build unix

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
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

// The tests in this file hold rotate to its promises at the edges: a
// local user who swaps the files it writes, a server that sends what is
// not a token, signals at every step, a rotation left open, and output
// that fails after the API acted.

// proxy is a server in front of the fake that lets a test act as a
// request arrives (before), hold one until its client gives up (hold),
// or rewrite an answer's body (rewrite).
type proxy struct {
	*httptest.Server
	mu      sync.Mutex
	before  func(r *http.Request)
	hold    func(r *http.Request) bool // once true, the request is held and not passed on
	rewrite func(r *http.Request, body []byte) []byte
	held    chan struct{} // closed once a request is held
	release chan struct{} // closed to pass the held request on
}

func newProxy(t *testing.T, fake *losanttest.Server) *proxy {
	t.Helper()
	p := &proxy{held: make(chan struct{}), release: make(chan struct{})}
	p.Server = testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		rewrite := p.rewrite
		held := p.hold != nil && p.hold(r)
		if held {
			p.hold = nil // one request only
		}
		if p.before != nil {
			p.before(r)
		}
		p.mu.Unlock()
		if held {
			close(p.held)
			select {
			case <-r.Context().Done(): // the client gave up: the API never saw it
				return
			case <-p.release:
			}
		}
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rewrite != nil {
			body = rewrite(r, body)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	return p
}

// set changes p's behaviour, or reads what its functions recorded: the
// race detector cannot see the order a request through another process
// gives.
func (p *proxy) set(fn func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn()
}

// runAt runs a command line in process against the API at url, as
// runCLI does against the fake.
func runAt(t *testing.T, url string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"--base-url", url}, args...), environment{
		getenv: func(k string) string { return map[string]string{tokenEnv: secret}[k] },
		stdin:  strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		extraOpts: []losant.Option{losant.WithoutRetries()},
	})
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// running is the built binary, started: its stderr can be watched while
// it runs, and it is killed when the test ends.
type running struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	mu     sync.Mutex
	stderr bytes.Buffer
	done   chan struct{}
	err    error
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (w *shellWorld) start(t *testing.T, args ...string) *running {
	t.Helper()
	r := &running{done: make(chan struct{})}
	r.cmd = exec.Command(filepath.Join(binary(t), "losant-tokens"), args...)
	r.cmd.Dir, r.cmd.Env = w.dir, w.env
	r.cmd.Stdout, r.cmd.Stderr = &r.stdout, lockedWriter{&r.mu, &r.stderr}
	require.NoError(t, r.cmd.Start())
	go func() { r.err = r.cmd.Wait(); close(r.done) }()
	t.Cleanup(func() { _ = r.cmd.Process.Kill(); <-r.done })
	return r
}

func (r *running) stderrText() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stderr.String()
}

// exists waits until the file at path exists, or the run ends.
func (r *running) exists(t *testing.T, path string) {
	t.Helper()
	require.Eventually(t, func() bool {
		_, err := os.Stat(path)
		return err == nil || r.ended()
	}, 20*time.Second, 5*time.Millisecond, "waiting for a file")
	require.False(t, r.ended(), "the run ended first: %s", r.stderrText())
}

func (r *running) ended() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

func (r *running) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	require.NoError(t, r.cmd.Process.Signal(sig))
}

// end waits for the run to end, within bound: a run that outlasts it
// hangs, and fails the test.
func (r *running) end(t *testing.T, bound time.Duration) result {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(bound):
		t.Fatalf("still running after %s: %s", bound, r.stderrText())
	}
	code := 0
	var exit *exec.ExitError
	if errors.As(r.err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, r.err)
	}
	return result{stdout: r.stdout.String(), stderr: r.stderrText(), code: code}
}

// successorIn is the successor ID a message names as made.
func successorIn(t *testing.T, re, text string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(text)
	require.NotNil(t, m, "%s in: %s", re, text)
	return m[1]
}

// A rollback writes back what the file held when rotate first read it,
// never what its .previous copy names by then: a service that swaps the
// copy for a link to the operator's token file, or for a FIFO, and fails
// the check gets its old secret back, not the operator's, and no hang.
func TestRollbackNeverReadsASwappedCopy(t *testing.T) {
	t.Parallel()
	t.Run("link", func(t *testing.T) {
		w := newWorld(t)
		file := serviceFile(t)
		operator := filepath.Join(t.TempDir(), "admin-token")
		require.NoError(t, os.WriteFile(operator, []byte("the operator's admin token\n"), 0o600))
		swap := "rm -f " + shellQuote(file+previousSuffix) + " && ln -s " + shellQuote(operator) + " " + shellQuote(file+previousSuffix) + " && exit 1"
		r, _ := rotateApp(t, w, "--deliver-file", file, "--check", swap, "--check-tries", "1")
		assert.Equal(t, exitRolledBack, r.code, r.stderr)
		assert.Equal(t, "old secret\n", readString(t, file), "what it held, not what the link names")
		assert.Equal(t, "the operator's admin token\n", readString(t, operator))
		assert.NotContains(t, r.stderr, file)
	})
	t.Run("FIFO", func(t *testing.T) {
		w := newShellWorld(t)
		file := filepath.Join(w.dir, "service-token")
		require.NoError(t, os.WriteFile(file, []byte("old\n"), 0o600))
		swap := "rm -f service-token.previous && mkfifo service-token.previous && exit 1"
		run := w.start(t, "-a", fxApp, "rotate", fxAppToken, "--deliver-file", "service-token", "--check", swap, "--check-tries", "1")
		r := run.end(t, 20*time.Second)
		assert.Equal(t, exitRolledBack, r.code, r.stderr)
		assert.Equal(t, "old\n", readString(t, file))
	})
}

// A --deliver-file keeps its owner, group and mode when the secret is
// delivered and when it is rolled back: the services that read it as
// another user go on reading it. (Run as root, the file is nobody's.)
func TestDeliveryKeepsTheFilesOwnerGroupAndMode(t *testing.T) {
	t.Parallel()
	uid, gid := os.Getuid(), os.Getgid()
	if uid == 0 {
		uid, gid = 65534, 65534
	}
	owned := func(t *testing.T) string {
		file := serviceFile(t)
		require.NoError(t, os.Chown(file, uid, gid))
		require.NoError(t, os.Chmod(file, 0o640))
		return file
	}
	assertOwned := func(t *testing.T, file string) {
		t.Helper()
		info, err := os.Stat(file)
		require.NoError(t, err)
		st := info.Sys().(*syscall.Stat_t)
		assert.Equal(t, []int{uid, gid}, []int{int(st.Uid), int(st.Gid)}, "owner and group")
		assert.Equal(t, os.FileMode(0o640), info.Mode().Perm())
	}
	w := newWorld(t)
	file := owned(t)
	r, _ := rotateApp(t, w, "--deliver-file", file, "--check", "false", "--check-tries", "1")
	require.Equal(t, exitRolledBack, r.code, r.stderr)
	assert.Equal(t, "old secret\n", readString(t, file))
	assertOwned(t, file)

	r, _ = rotateApp(t, w, "--deliver-file", file)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `^lsnt_`, readString(t, file))
	assertOwned(t, file)
}

// A --deliver-file whose owner a new file cannot be given (rotate runs as
// a user who may not chown to it) is refused before anything is made:
// replacing it would lock its services out. Root runs the binary as
// nobody on a file of root's in nobody's directory.
func TestAnOwnerANewFileCannotGetIsRefusedFirst(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root, to make a file a user cannot chown to")
	}
	w := newShellWorld(t)
	open := func(dir string) {
		require.NoError(t, os.Chmod(dir, 0o755))
		require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
	}
	bin := t.TempDir()
	open(bin)
	built, err := os.ReadFile(filepath.Join(binary(t), "losant-tokens"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(bin, "losant-tokens"), built, 0o755))
	dir := t.TempDir()
	open(dir)
	require.NoError(t, os.Chown(dir, 65534, 65534))
	file := filepath.Join(dir, "service-token")
	require.NoError(t, os.WriteFile(file, []byte("old\n"), 0o644)) // root's

	before := len(w.Server.Requests())
	cmd := exec.Command(filepath.Join(bin, "losant-tokens"), "-a", fxApp, "rotate", fxAppToken, "--deliver-file", file)
	cmd.Dir, cmd.Env = dir, w.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, stderr.String())
	assert.Equal(t, exitBadInput, exit.ExitCode(), stderr.String())
	assert.Contains(t, stderr.String(), "cannot be given its owner and group")
	assert.Contains(t, stderr.String(), "nothing was made")
	assert.NotContains(t, stderr.String(), dir)
	assert.Len(t, w.Server.Requests(), before, "nothing was sent")
	assert.Equal(t, "old\n", readString(t, file))
	noneBeside(t, file)
}

// A --deliver-file or --secret-file in a directory others may write (and
// that is not a sticky directory of ours) is refused before anything is
// made: they could swap what rotate writes there.
func TestDirectoriesOthersCanWriteAreRefusedFirst(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o777))
	file := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(file, []byte("old secret\n"), 0o600))
	for _, args := range [][]string{
		{"-a", appID, "rotate", appToken, "--deliver-file", file},
		{"-a", appID, "rotate", appToken, "--secret-file", filepath.Join(dir, "new")},
		{"create", "--name", "n", "--scope", "all.User.read", "--secret-file", filepath.Join(dir, "new")},
	} {
		before := len(w.Server.Requests())
		r := runCLI(t, w, args...)
		assert.Equal(t, exitBadInput, r.code, "%v: %s", args, r.stderr)
		assert.Contains(t, r.stderr, "may be written by others than its owner")
		assert.NotContains(t, r.stderr, dir)
		assert.Len(t, w.Server.Requests(), before, "%v: nothing was sent", args)
	}
	assert.Equal(t, "old secret\n", readString(t, file))
	noneBeside(t, file)

	require.NoError(t, os.Chmod(dir, os.ModeSticky|0o777)) // sticky, and ours: as /tmp is root's
	r := runCLI(t, w, "create", "--name", "n", "--scope", "all.User.read", "--secret-file", filepath.Join(dir, "new"))
	assert.Equal(t, exitOK, r.code, r.stderr)
}

// A --secret-file name is reserved before the create is sent: someone who
// tries to take it during the create's round trip fails, and the secret
// goes to the file, not to stdout (under -o ids, not as JSON). A name
// swapped all the same (a link put in its place) diverts nothing either:
// the secret goes to a new private file beside it, which the message
// names, and nothing holds it on stdout or stderr.
func TestASecretFileNameTakenMeanwhileDivertsNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "new-token")
	p := newProxy(t, w.Server)
	var taken error
	p.set(func() {
		p.before = func(r *http.Request) {
			if r.Method == http.MethodPost {
				f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
				if err == nil {
					f.Close()
				}
				taken = err
			}
		}
	})
	r := runAt(t, p.URL, "-o", "ids", "-a", appID, "rotate", appToken, "--secret-file", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	p.set(func() { assert.ErrorIs(t, taken, os.ErrExist, "the name was reserved before the create") })
	assert.NotContains(t, r.stdout+r.stderr, "lsnt_", "the secret is in the file, and only there")
	assert.Regexp(t, `^lsnt_\S+\n$`, readString(t, path))
	assertMode(t, path, 0o600)

	elsewhere := filepath.Join(t.TempDir(), "elsewhere")
	require.NoError(t, os.WriteFile(elsewhere, nil, 0o644))
	path = filepath.Join(dir, "swapped")
	p.set(func() {
		p.before = func(r *http.Request) {
			if r.Method == http.MethodPost {
				_ = os.Remove(path)
				_ = os.Symlink(elsewhere, path)
			}
		}
	})
	r = runAt(t, p.URL, "-o", "ids", "create", "--name", "n", "--scope", "all.User.read", "--secret-file", path)
	assert.Equal(t, exitLocalWrite, r.code, r.stderr)
	assert.NotContains(t, r.stdout+r.stderr, "lsnt_")
	assert.NotContains(t, r.stderr, dir)
	assert.Empty(t, readString(t, elsewhere), "nothing written through the link")
	name := successorIn(t, `is in (\.losant-secret-\d+), a new file`, r.stderr)
	assert.Regexp(t, `^lsnt_\S+\n$`, readString(t, filepath.Join(dir, name)))
	assertMode(t, filepath.Join(dir, name), 0o600)
}

// A rename that fails (the --deliver-file made a directory during the
// create) rolls back with an error that quotes neither path a rename's
// error holds.
func TestRenameErrorsQuoteNoPath(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := newProxy(t, w.Server)
	file := serviceFile(t)
	p.set(func() {
		p.before = func(r *http.Request) {
			if r.Method == http.MethodPost {
				require.NoError(t, os.Remove(file))
				require.NoError(t, os.MkdirAll(filepath.Join(file, "x"), 0o700))
			}
		}
	})
	r := runAt(t, p.URL, "-a", appID, "rotate", appToken, "--deliver-file", file)
	assert.Equal(t, exitRolledBack, r.code, r.stderr)
	assert.Contains(t, r.stderr, "writing --deliver-file: rename: ")
	assert.NotContains(t, r.stderr, filepath.Dir(file))
}

// A secret the server sends that is not token-shaped (a newline and a
// KEY=value line, an escape sequence, white space, an over-long one) goes
// nowhere: not to --deliver-file, --deliver-command, --secret-file nor
// stdout; the message names the useless successor with the command that
// deletes it (exit 7), and that command works.
func TestSuccessorSecretsThatAreNotTokensGoNowhere(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"lsnt_x\nLD_PRELOAD=/tmp/evil.so", "lsnt_\x1b]0;pwned\x07", "lsnt x", strings.Repeat("a", maxSecret+1)} {
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
			{"create", "--name", "n", "--scope", "all.User.read", "--secret-file", kept},
		} {
			r := runAt(t, p.URL, args...)
			assert.Equal(t, exitUnknownOutcome, r.code, "%q %v: %s", bad, args, r.stderr)
			assert.Contains(t, r.stderr, "a secret that is not a token")
			for _, part := range []string{"LD_PRELOAD", "\x1b", "lsnt x", "aaaaaaaa"} {
				assert.NotContains(t, r.stdout+r.stderr, part)
			}
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

// rewriteSecret rewrites the answer to a create: its secret is bad.
func rewriteSecret(t *testing.T, bad string) func(r *http.Request, body []byte) []byte {
	return func(r *http.Request, body []byte) []byte {
		if r.Method != http.MethodPost {
			return body
		}
		var tok map[string]any
		require.NoError(t, json.Unmarshal(body, &tok))
		tok["token"] = bad
		out, err := json.Marshal(tok)
		require.NoError(t, err)
		return out
	}
}

// runLine runs in process a command line the CLI printed, its BASE_URL
// placeholder filled in with baseURL.
func runLine(t *testing.T, line, baseURL string) result {
	t.Helper()
	fields := strings.Fields(strings.ReplaceAll(line, "BASE_URL", baseURL))
	require.Equal(t, "losant-tokens", fields[0])
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), fields[1:], environment{
		getenv: func(k string) string { return map[string]string{tokenEnv: secret}[k] },
		stdin:  strings.NewReader(""), stdout: &stdout, stderr: &stderr,
	})
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// TestEveryStopSignalRollsBack: SIGHUP (a dropped SSH session), SIGTERM
// and SIGINT during the check each roll back: exit 130, the file holds
// what it held, the successor is deleted, and nothing is left beside the
// file.
func TestEveryStopSignalRollsBack(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			w := newShellWorld(t)
			file := filepath.Join(w.dir, "service-token")
			require.NoError(t, os.WriteFile(file, []byte("old\n"), 0o600))
			run := w.start(t, "-a", fxApp, "rotate", fxAppToken, "--deliver-file", "service-token", "--check", "touch ready; sleep 30")
			run.exists(t, filepath.Join(w.dir, "ready"))
			run.signal(t, sig)
			r := run.end(t, 20*time.Second)
			assert.Equal(t, exitInterrupted, r.code, r.stderr)
			successor := successorIn(t, `successor ([0-9a-f]{24}) was deleted`, r.stderr)
			assert.Equal(t, "deleted", status(w.World, successor))
			assert.Equal(t, "active", status(w.World, fxAppToken))
			assert.Equal(t, "old\n", readString(t, file))
			noneBeside(t, file)
		})
	}
}

// An interrupt after --check passed, before the deactivation reached the
// API (here, during the read that precedes it), rolls back as one before
// the check would: the rotation is not left open with two commands.
func TestAnInterruptAfterTheCheckPassedRollsBack(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	p := newProxy(t, w.Server)
	file := filepath.Join(w.dir, "service-token")
	require.NoError(t, os.WriteFile(file, []byte("old\n"), 0o600))
	reads := 0
	p.set(func() {
		p.hold = func(r *http.Request) bool {
			if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/tokens/"+fxAppToken) {
				reads++
			}
			return reads == 2 // Rotate's read, then Complete's
		}
	})
	run := w.start(t, "--base-url", p.URL, "-a", fxApp, "rotate", fxAppToken, "--deliver-file", "service-token", "--check", "true")
	select {
	case <-p.held:
	case <-run.done:
		t.Fatalf("ended first: %s", run.stderrText())
	}
	run.signal(t, os.Interrupt)
	r := run.end(t, 20*time.Second)
	assert.Equal(t, exitInterrupted, r.code, r.stderr)
	assert.Contains(t, r.stderr, "interrupted before completing")
	successor := successorIn(t, `successor ([0-9a-f]{24}) was deleted`, r.stderr)
	assert.Equal(t, "deleted", status(w.World, successor))
	assert.Equal(t, "active", status(w.World, fxAppToken))
	assert.Equal(t, "old\n", readString(t, file))
	assert.NotContains(t, r.stdout+r.stderr, "--complete")
}

// A second signal ends a rollback under way (here, its delete held by
// the network) at once, rather than after the rollback's own time limit:
// the run says what is left with exactly one command, and that command
// finishes the rollback.
func TestASecondSignalEndsTheRollbackWithOneCommand(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	p := newProxy(t, w.Server)
	file := filepath.Join(w.dir, "service-token")
	require.NoError(t, os.WriteFile(file, []byte("old\n"), 0o600))
	p.set(func() { p.hold = func(r *http.Request) bool { return r.Method == http.MethodDelete } })
	run := w.start(t, "--base-url", p.URL, "-a", fxApp, "rotate", fxAppToken, "--deliver-file", "service-token", "--check", "touch ready; sleep 30")
	run.exists(t, filepath.Join(w.dir, "ready"))
	run.signal(t, syscall.SIGTERM)
	select {
	case <-p.held:
	case <-run.done:
		t.Fatalf("ended first: %s", run.stderrText())
	}
	run.signal(t, syscall.SIGTERM)
	r := run.end(t, undoTimeout*2/3) // sooner than the rollback's own limit would end it
	assert.Equal(t, exitUnknownOutcome, r.code, r.stderr)
	assert.Equal(t, 1, strings.Count(r.stderr, "run: "), "one command: %s", r.stderr)
	undo := successorIn(t, `run: (losant-tokens [^;]*--rollback [0-9a-f]{24} --deliver-file FILE)`, r.stderr)
	successor := successorIn(t, `--rollback ([0-9a-f]{24})`, undo)
	assert.Equal(t, "active", status(w.World, successor))
	assert.NotContains(t, r.stderr, "lsnt_")

	// The placeholders filled in, as an operator does (TestHintsUsePlaceholdersForTheConfiguration).
	done := w.sh(t, "", strings.NewReplacer("BASE_URL", p.URL, "--deliver-file FILE", "--deliver-file service-token").Replace(undo))
	assert.Equal(t, exitOK, done.code, "the command finishes the rollback: %s", done.stderr)
	assert.Equal(t, "deleted", status(w.World, successor))
	assert.Equal(t, "old\n", readString(t, file))
	noneBeside(t, file)
}

// A --token-file that is a FIFO no one writes does not hang the run: its
// open is bounded (inputWait), and the run fails (exit 2) rather than
// waiting past it; a FIFO someone writes is read.
func TestAFIFOTokenFileDoesNotHang(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	fifo := filepath.Join(w.dir, "token")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	run := w.start(t, "--token-file", "token", "list")
	r := run.end(t, 2*inputWait)
	assert.Equal(t, exitBadInput, r.code, r.stderr)
	assert.Contains(t, r.stderr, "--token-file: a FIFO no one wrote to within")

	run = w.start(t, "--token-file", "token", "-o", "ids", "list")
	f, err := os.OpenFile(fifo, os.O_WRONLY, 0) // once the run opens it
	require.NoError(t, err)
	_, err = f.WriteString(fixtureSecret + "\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	r = run.end(t, 2*inputWait)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, fxBackup)
}

// One rotation of a token at a time: a rotate that finds a successor made
// since, still active, refuses (exit 7) before making another, and names
// it with the commands that finish or undo it.
func TestOneRotationOfATokenAtATime(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r, first := rotateApp(t, w)
	require.Equal(t, exitOK, r.code, r.stderr)
	before := len(w.Server.Requests())
	r, _ = rotateApp(t, w)
	assert.Equal(t, exitUnknownOutcome, r.code, r.stderr)
	assert.Contains(t, r.stderr, "a rotation of "+appToken+" is open: "+first)
	assert.Contains(t, r.stderr, "rotate "+appToken+" --complete "+first)
	assert.Contains(t, r.stderr, "rotate "+appToken+" --rollback "+first)
	for _, req := range w.Server.Requests()[before:] {
		assert.NotEqual(t, http.MethodPost, req.Method, "nothing was made")
	}
	r, _ = rotateApp(t, w, "--rollback", first)
	require.Equal(t, exitOK, r.code, r.stderr)
	r, _ = rotateApp(t, w, "--yes")
	assert.Equal(t, exitOK, r.code, "once undone, the token rotates: %s", r.stderr)
}

// Two rotations of one token at once, each finding none open before its
// create, leave one open, not two: the one whose create answers second
// finds the other's successor, deletes its own before its secret goes
// anywhere, and names the other's (exit 7).
func TestConcurrentRotationsLeaveOneOpen(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := newProxy(t, w.Server)
	p.set(func() { p.hold = func(r *http.Request) bool { return r.Method == http.MethodPost } })
	first := make(chan result)
	go func() { first <- runAt(t, p.URL, "-a", appID, "rotate", appToken) }()
	<-p.held // its create is under way

	second := runAt(t, p.URL, "-a", appID, "rotate", appToken)
	require.Equal(t, exitOK, second.code, second.stderr)
	m := successorID.FindStringSubmatch(second.stdout)
	require.NotNil(t, m, second.stdout)
	close(p.release)
	r := <-first
	assert.Equal(t, exitUnknownOutcome, r.code, r.stderr)
	assert.Contains(t, r.stderr, "a rotation of "+appToken+" is open: "+m[1])
	assert.NotContains(t, r.stdout+r.stderr, "lsnt_", "its secret went nowhere")
	withdrawn := successorIn(t, `this run made successor ([0-9a-f]{24}), which it deleted`, r.stderr)
	assert.Equal(t, "deleted", status(w, withdrawn))
	assert.Equal(t, "active", status(w, m[1]))
	assert.Equal(t, "active", status(w, appToken))
}

// A rotation killed midway (SIGKILL, during the check) leaves its record
// beside the --deliver-file: the next rotate of it refuses (exit 7), keeps
// the .previous copy as it was, and names the successor with the command
// that undoes it, which works; a .previous copy held without a record is
// refused too.
func TestAKilledRotationIsNamedByTheNext(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	file := filepath.Join(w.dir, "service-token")
	require.NoError(t, os.WriteFile(file, []byte("old\n"), 0o600))
	run := w.start(t, "-a", fxApp, "rotate", fxAppToken, "--deliver-file", "service-token", "--check", "touch ready; sleep 30")
	run.exists(t, filepath.Join(w.dir, "ready"))
	run.signal(t, os.Kill)
	run.end(t, 20*time.Second)
	require.Regexp(t, `^lsnt_`, readString(t, file), "killed with the secret delivered")

	r := w.exec(t, "", "-a", fxApp, "rotate", fxAppToken, "--deliver-file", "service-token")
	assert.Equal(t, exitUnknownOutcome, r.code, r.stderr)
	assert.Equal(t, "old\n", readString(t, file+previousSuffix), "the copy is kept as it was")
	undo := successorIn(t, `Undo it with: (losant-tokens [^;]*--rollback [0-9a-f]{24} --deliver-file FILE)`, r.stderr)
	assert.Contains(t, r.stderr, "nothing was made")
	r = w.sh(t, "", strings.Replace(undo, "FILE", "service-token", 1))
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "old\n", readString(t, file))
	noneBeside(t, file)

	require.NoError(t, os.WriteFile(file+previousSuffix, []byte("older\n"), 0o600))
	r = w.exec(t, "", "-a", fxApp, "rotate", fxAppToken, "--deliver-file", "service-token")
	assert.Equal(t, exitUnknownOutcome, r.code, r.stderr)
	assert.Contains(t, r.stderr, "has a .previous copy")
	assert.Equal(t, "older\n", readString(t, file+previousSuffix))
	require.NoError(t, os.Remove(file+previousSuffix))
	r = w.exec(t, "", "-a", fxApp, "rotate", fxAppToken, "--deliver-file", "service-token")
	assert.Equal(t, exitOK, r.code, r.stderr)
	noneBeside(t, file)
}

// retire --yes whose table, held back for alignment, then fails (a closed
// pipe, as `| head -1` leaves; a full disk) exits 8 naming what it
// deleted, not 141 or 1; a dry run's lost table changed nothing (141).
func TestDeletionsWhoseOutputFailsExit8(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	staleAndFresh(t, w.Server, gen.APITokenOwnerTypeUser, fxUser)
	r := w.execClosedStdout(t, "retire", "--older-than", "30d", "-o", "table")
	assert.Equal(t, exitClosedPipe, r.code, "a dry run: %s", r.stderr)

	r = w.execClosedStdout(t, "retire", "--older-than", "30d", "--yes", "-o", "table")
	assert.Equal(t, exitLocalWrite, r.code, r.stderr)
	assert.Contains(t, r.stderr, "1 tokens were deleted")

	staleAndFresh(t, w.Server, gen.APITokenOwnerTypeUser, fxUser)
	r = w.sh(t, "", "losant-tokens retire --older-than 30d --yes -o table > /dev/full")
	assert.Equal(t, exitLocalWrite, r.code, r.stderr)
	assert.Contains(t, r.stderr, "1 tokens were deleted")
}
