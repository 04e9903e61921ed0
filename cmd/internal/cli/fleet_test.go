package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/faultproxy"
	"github.com/specdriven/losant/internal/harness/testworld"
)

// The tests in this file are the proof of a rollout across a fleet: eight
// replicas of a service (testdata/replica, each its own process) read one
// token file through tokenfile.New and call the API every
// 20 ms through a proxy that drops, cuts and stalls a tenth of their GETs,
// while the built losant-tokens rotates their token with --deliver-file.
// Not one call fails, whether the rotation completes or rolls back, and
// the tokens are where the operator was told they are.
//
// Nothing here waits for a time to pass or counts calls in a window: the
// test waits for what the replicas print (a call answered with a given
// token), so a loaded machine makes it slower, never wrong. The bounds on
// those waits only end a test that would otherwise hang.

const (
	fleetSize          = 8
	fleetCheckInterval = 250 * time.Millisecond // the replicas' tokenfile.WithCheckInterval
	fleetGrace         = "1s"                   // rotate's --grace: a bit more than the check interval
	fleetFaultRate     = 0.1                    // of the replicas' GETs
	fleetFaultSeed     = 33
	fleetCallsAfter    = 3               // calls each replica makes on the token it ends on, once rotate has exited
	fleetWait          = 2 * time.Minute // the bound on a wait for the fleet: a hang, not a slow machine
)

var (
	replicaOnce sync.Once
	replicaErr  error
)

// replicaBinary builds testdata/replica once for the test run, beside
// losant-tokens (in binary's directory, which TestMain removes).
func replicaBinary(t *testing.T) string {
	t.Helper()
	dir := binary(t)
	path := filepath.Join(dir, "losant-replica")
	replicaOnce.Do(func() {
		if out, err := exec.Command("go", "build", "-o", path, "./testdata/replica").CombinedOutput(); err != nil {
			replicaErr = errors.New(string(out))
		}
	})
	require.NoError(t, replicaErr, "building testdata/replica")
	return path
}

// fingerprint names a token without showing it, as the replicas do: the
// first 8 hex digits of its SHA-256.
func fingerprint(token string) string {
	sum := sha256.Sum256([]byte(strings.TrimRight(token, "\r\n")))
	return hex.EncodeToString(sum[:])[:8]
}

// lockedBuffer is a buffer a process writes while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// replica is one running replica process.
type replica struct {
	cmd            *exec.Cmd
	stdin          io.WriteCloser
	stdout, stderr lockedBuffer
	done           chan struct{} // closed once it has exited
	err            error         // its exit, once done
}

// fleetRun is what a replica printed, once stopped.
type fleetRun struct {
	ok, fail int
	failures []string
	last     string
	seen     []string
}

// startFleet starts n replicas reading file (looking at it once per
// checkInterval), calling baseURL for the token id of application app.
// They are killed when the test ends, if they are still running.
func startFleet(t *testing.T, n int, checkInterval time.Duration, file, baseURL, app, id string) []*replica {
	t.Helper()
	bin := replicaBinary(t)
	fleet := make([]*replica, n)
	for i := range fleet {
		r := &replica{done: make(chan struct{})}
		r.cmd = exec.Command(bin, "-file", file, "-base-url", baseURL, "-application", app, "-get", id,
			"-check-interval", checkInterval.String())
		r.cmd.Stdout, r.cmd.Stderr = &r.stdout, &r.stderr
		stdin, err := r.cmd.StdinPipe()
		require.NoError(t, err)
		r.stdin = stdin
		require.NoError(t, r.cmd.Start())
		go func() {
			r.err = r.cmd.Wait()
			close(r.done)
		}()
		t.Cleanup(func() {
			select {
			case <-r.done:
			default:
				_ = r.cmd.Process.Kill()
				<-r.done
			}
		})
		fleet[i] = r
	}
	require.Eventually(t, func() bool {
		for _, r := range fleet {
			select {
			case <-r.done:
				return true // reported below
			default:
			}
			if strings.Count(r.stdout.String(), "ok ") < 3 {
				return false
			}
		}
		return true
	}, fleetWait, 10*time.Millisecond, "every replica is calling the API")
	for i, r := range fleet {
		select {
		case <-r.done:
			t.Fatalf("replica %d exited early (%v): %s", i, r.err, r.stderr.String())
		default:
		}
	}
	return fleet
}

// printed returns how much each replica has printed so far, a mark to
// wait from.
func printed(fleet []*replica) []int {
	marks := make([]int, len(fleet))
	for i, r := range fleet {
		marks[i] = len(r.stdout.String())
	}
	return marks
}

// callsWith counts the calls answered with the token of fingerprint fp
// that r printed past mark.
func (r *replica) callsWith(fp string, mark int) int {
	return strings.Count(r.stdout.String()[mark:], "ok "+fp+"\n")
}

// waitForFleet waits until every replica has printed n calls answered
// with the token of fingerprint fp past its mark, and the proxy has
// faulted a GET. A replica that exits, or a wait past fleetWait, fails
// the test with what each replica printed.
func waitForFleet(t *testing.T, w *fleetWorld, fleet []*replica, marks []int, fp string, n int, why string) {
	t.Helper()
	deadline := time.Now().Add(fleetWait)
	for {
		behind := 0
		for i, r := range fleet {
			select {
			case <-r.done:
				t.Fatalf("%s: replica %d exited (%v): %s", why, i, r.err, r.stderr.String())
			default:
			}
			if r.callsWith(fp, marks[i]) < n {
				behind++
			}
		}
		if behind == 0 && w.Proxy.Faulted() > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: after %s, %d replicas have not made %d calls with %s (the proxy faulted %d requests)", why, fleetWait, behind, n, fp, w.Proxy.Faulted())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// signalWhenMoved creates the file signal once the watched file has
// changed and every replica has made a call answered with the token it
// changed to: a --check that waits for signal passes once the whole
// fleet is on the new token, however long that takes. It stops when the
// test ends.
func signalWhenMoved(t *testing.T, fleet []*replica, watched *fileWatch, signal string) {
	t.Helper()
	quit := make(chan struct{})
	done := make(chan struct{})
	t.Cleanup(func() { close(quit); <-done })
	go func() {
		defer close(done)
		for {
			fp, moved := watched.changedTo()
			for _, r := range fleet {
				moved = moved && r.callsWith(fp, 0) > 0
			}
			if moved {
				if err := os.WriteFile(signal, nil, 0o600); err != nil {
					t.Error(err)
				}
				return
			}
			select {
			case <-quit:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
}

var summaryLine = regexp.MustCompile(`^summary ok=(\d+) fail=(\d+) last=([0-9a-f]*) seen=([0-9a-f,]*)$`)

// stopFleet closes each replica's stdin, waits for it to exit and reads
// what it printed.
func stopFleet(t *testing.T, fleet []*replica) []fleetRun {
	t.Helper()
	for _, r := range fleet {
		require.NoError(t, r.stdin.Close())
	}
	runs := make([]fleetRun, len(fleet))
	for i, r := range fleet {
		select {
		case <-r.done:
		case <-time.After(fleetWait):
			t.Fatalf("replica %d did not stop once its stdin closed", i)
		}
		require.NoError(t, r.err, "replica %d: %s", i, r.stderr.String())
		var run fleetRun
		summaries := 0
		for _, line := range strings.Split(strings.TrimSuffix(r.stdout.String(), "\n"), "\n") {
			switch {
			case strings.HasPrefix(line, "ok "):
				run.ok++
			case strings.HasPrefix(line, "fail "):
				run.fail++
				run.failures = append(run.failures, line)
			case summaryLine.MatchString(line):
				summaries++
				m := summaryLine.FindStringSubmatch(line)
				ok, _ := strconv.Atoi(m[1])
				fail, _ := strconv.Atoi(m[2])
				assert.Equal(t, run.ok, ok, "replica %d: the summary counts the lines", i)
				assert.Equal(t, run.fail, fail, "replica %d: the summary counts the lines", i)
				run.last = m[3]
				if m[4] != "" {
					run.seen = strings.Split(m[4], ",")
				}
			default:
				t.Errorf("replica %d printed %q", i, line)
			}
		}
		assert.Equal(t, 1, summaries, "replica %d: one summary line", i)
		assert.NotContains(t, r.stdout.String()+r.stderr.String(), "lsnt_", "replica %d prints no secret", i)
		runs[i] = run
	}
	return runs
}

// fileWatch records the fingerprints a file holds, each once a change.
type fileWatch struct {
	mu   sync.Mutex
	seen []string
	quit chan struct{}
	done chan struct{}
	once sync.Once
}

// watchFile records the fingerprints the file at path holds, each once a
// change, until its stop is called.
func watchFile(t *testing.T, path string) *fileWatch {
	t.Helper()
	f := &fileWatch{quit: make(chan struct{}), done: make(chan struct{})}
	t.Cleanup(func() { f.stop() })
	go func() {
		defer close(f.done)
		for {
			if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
				fp := fingerprint(string(b))
				f.mu.Lock()
				if len(f.seen) == 0 || f.seen[len(f.seen)-1] != fp {
					f.seen = append(f.seen, fp)
				}
				f.mu.Unlock()
			}
			select {
			case <-f.quit:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return f
}

// changedTo returns the fingerprint the file first changed to, if it has.
func (f *fileWatch) changedTo() (fp string, changed bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.seen) < 2 {
		return "", false
	}
	return f.seen[1], true
}

// stop ends the watch and returns what the file held, in order.
func (f *fileWatch) stop() []string {
	f.once.Do(func() { close(f.quit) })
	<-f.done
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.seen)
}

// fleetWorld is the test world of a fleet: the fake behind a fault
// proxy that faults the GETs alone, at fleetFaultRate, and the token
// file of the application's token, which the replicas read.
type fleetWorld struct {
	*testworld.World
	file string
	pred gen.APIToken // the token rotated: World.AppTarget, as the fake holds it
}

func newFleetWorld(t *testing.T) *fleetWorld {
	t.Helper()
	w := testworld.New(t, testworld.WithFaultProxy())
	w.Proxy.Set(faultproxy.Only(faultproxy.Method(http.MethodGet), faultproxy.Random(fleetFaultSeed, fleetFaultRate,
		faultproxy.DropBefore, faultproxy.DropAfter, faultproxy.CutBody, faultproxy.StallBody)))
	file := filepath.Join(t.TempDir(), "service-token")
	require.NoError(t, os.WriteFile(file, []byte(w.AppTarget.Secret+"\n"), 0o600))
	pred, ok := w.Server.Token(w.AppTarget.ID)
	require.True(t, ok)
	return &fleetWorld{World: w, file: file, pred: pred}
}

// losantTokens runs the built losant-tokens against the fake itself (an
// operator's network is not the fleet's), as the world's user.
func (w *fleetWorld) losantTokens(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(filepath.Join(binary(t), "losant-tokens"), args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), baseURLEnv + "=" + w.Server.URL, tokenEnv + "=" + w.UserBearer.Secret}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	r := result{stdout: stdout.String(), stderr: stderr.String(), code: code}
	assert.NotContains(t, r.stdout+r.stderr, "lsnt_", "no secret is printed")
	return r
}

// appTokenIDs lists the IDs of the application's tokens in the fake.
func (w *fleetWorld) appTokenIDs(t *testing.T) []string {
	t.Helper()
	var ids []string
	for tok, err := range w.Server.Client(w.UserBearer.Secret).APITokens(losant.Application(w.App.ID)).All(t.Context(), losant.APITokenListOptions{}) {
		require.NoError(t, err)
		ids = append(ids, tok.ID)
	}
	slices.Sort(ids)
	return ids
}

// assertNoFailedCall holds the fleet to its promise: every call of every
// replica succeeded, and the proxy did fault some of them. (That each
// replica made calls before, during and after the rotation is what
// startFleet, the tokens each was answered with and waitForFleet hold.)
func assertNoFailedCall(t *testing.T, w *fleetWorld, runs []fleetRun) {
	t.Helper()
	total := 0
	for i, run := range runs {
		assert.Zero(t, run.fail, "replica %d's failed calls: %v", i, run.failures)
		total += run.ok + run.fail
	}
	t.Logf("%d calls by %d replicas; the proxy faulted %d of its %d requests (seed %d)",
		total, len(runs), w.Proxy.Faulted(), w.Proxy.Requests(), fleetFaultSeed)
	assert.Positive(t, w.Proxy.Faulted(), "the proxy faulted some GETs")
}

// A rotation delivered to the file eight replicas read completes with no
// failed call: each replica goes from the old token to the new one and
// ends on it, the old token is inactive and the new one active; retire,
// once the retention period has passed, deletes the old one. With
// --grace longer than the replicas' check interval, each has read the new
// secret before the old token is deactivated (a --check waits for every
// replica to have made a call with it); with none, and replicas that would
// not look at the file for an hour, they meet a 401, read the file again
// and send again, and no call fails either.
func TestFleetRotationCompletesWithNoFailedCall(t *testing.T) {
	t.Parallel()
	t.Run("grace "+fleetGrace, func(t *testing.T) { fleetRotationCompletes(t, fleetGrace, fleetCheckInterval, false) })
	t.Run("no grace: late replicas meet a 401", func(t *testing.T) { fleetRotationCompletes(t, "0s", time.Hour, true) })
}

func fleetRotationCompletes(t *testing.T, grace string, checkInterval time.Duration, late bool) {
	w := newFleetWorld(t)
	before := w.appTokenIDs(t)
	fleet := startFleet(t, fleetSize, checkInterval, w.file, w.Proxy.URL, w.App.ID, w.pred.ID)
	watched := watchFile(t, w.file)
	args := []string{"-a", w.App.ID, "rotate", w.pred.ID, "--deliver-file", w.file, "--grace", grace}
	if !late {
		// The check passes once every replica has made a call with the
		// secret delivered.
		moved := filepath.Join(t.TempDir(), "moved")
		signalWhenMoved(t, fleet, watched, moved)
		args = append(args, "--check", "until [ -e "+shellQuote(moved)+" ]; do sleep 0.01; done",
			"--check-tries", "1", "--check-timeout", fleetWait.String())
	}

	began := time.Now()
	r := w.losantTokens(t, args...)
	t.Logf("rotate took %s", time.Since(began))
	require.Equal(t, exitOK, r.code, r.stderr)
	m := successorID.FindStringSubmatch(r.stdout)
	require.NotNil(t, m, r.stdout)
	succID := m[1]
	assert.Contains(t, r.stdout, `"completed": true`)

	succFP := fingerprint(readString(t, w.file))
	waitForFleet(t, w, fleet, printed(fleet), succFP, fleetCallsAfter, "the fleet runs on the new token")
	runs := stopFleet(t, fleet)
	fileHistory := watched.stop()

	predFP := fingerprint(w.AppTarget.Secret)
	require.Len(t, fileHistory, 2, "the file held the old secret, then the new one")
	assert.Equal(t, predFP, fileHistory[0])
	assert.Equal(t, succFP, fileHistory[1])
	assert.NotEqual(t, predFP, succFP, "the file holds the successor's secret")

	assertNoFailedCall(t, w, runs)
	for i, run := range runs {
		assert.Equal(t, succFP, run.last, "replica %d ends on the successor", i)
		assert.Equal(t, []string{predFP, succFP}, run.seen, "replica %d went from the old token to the new one, once", i)
	}
	refused := 0
	for _, req := range w.Server.Requests() {
		if req.Status == http.StatusUnauthorized {
			refused++
		}
	}
	// With --grace, a replica whose call began on the old token before the
	// check saw it move (its token is read once a call, retries included)
	// may meet a 401 too, so it is counted, not held to zero.
	t.Logf("%d requests met a 401", refused)
	if late {
		assert.GreaterOrEqual(t, refused, fleetSize, "each replica was still on the old token when it was deactivated")
	}
	assert.Equal(t, "inactive", status(w.World, w.pred.ID))
	assert.Equal(t, "active", status(w.World, succID))
	assert.Equal(t, sortedIDs(append(before, succID)), w.appTokenIDs(t))

	// Retire keeps the old token for the retention period (a dry run finds
	// nothing), and deletes it once the period has passed: the same command
	// run 31 days later, by a clock moved on.
	r = w.losantTokens(t, "-a", w.App.ID, "retire", "--older-than", "30d", "-o", "ids")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stdout, "nothing is older than 30 days yet")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--base-url", w.Server.URL, "-a", w.App.ID, "retire", "--older-than", "30d", "--yes", "-o", "ids"}, environment{
		getenv: func(k string) string { return map[string]string{tokenEnv: w.UserBearer.Secret}[k] },
		stdin:  strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		now: func() time.Time { return time.Now().Add(31 * 24 * time.Hour) },
	})
	require.Equal(t, exitOK, code, stderr.String())
	assert.Equal(t, "--application="+w.App.ID+" "+w.pred.ID+"\n", stdout.String(), "the old token, and only it, is deleted")
	assert.Equal(t, "deleted", status(w.World, w.pred.ID))
	assert.Equal(t, "active", status(w.World, succID))
}

// A rotation whose --check fails rolls back with no failed call: each
// replica goes to the new token and back, and ends on the old one; rotate
// exits 10, the file holds the old secret again, the old token is active
// and no successor is left.
func TestFleetRotationRollsBackWithNoFailedCall(t *testing.T) {
	t.Parallel()
	w := newFleetWorld(t)
	before := w.appTokenIDs(t)
	fleet := startFleet(t, fleetSize, fleetCheckInterval, w.file, w.Proxy.URL, w.App.ID, w.pred.ID)
	watched := watchFile(t, w.file)
	moved := filepath.Join(t.TempDir(), "moved")
	signalWhenMoved(t, fleet, watched, moved)

	// The check fails once every replica has moved to the new token, and
	// fails again at once: rotate rolls back.
	began := time.Now()
	r := w.losantTokens(t, "-a", w.App.ID, "rotate", w.pred.ID, "--deliver-file", w.file, "--grace", fleetGrace,
		"--check", "until [ -e "+shellQuote(moved)+" ]; do sleep 0.01; done; exit 1", "--check-tries", "2", "--check-interval", "100ms",
		"--check-timeout", fleetWait.String())
	t.Logf("rotate took %s", time.Since(began))
	require.Equal(t, exitRolledBack, r.code, r.stderr)
	m := successorID.FindStringSubmatch(r.stdout)
	require.NotNil(t, m, r.stdout)
	succID := m[1]
	assert.Contains(t, r.stderr, "--check exited with status 1 (try 2 of 2)")
	assert.Contains(t, r.stderr, fmt.Sprintf("rolled back: successor %s was deleted and %s is active, and the --deliver-file holds what it held before", succID, w.pred.ID))

	predFP := fingerprint(w.AppTarget.Secret)
	waitForFleet(t, w, fleet, printed(fleet), predFP, fleetCallsAfter, "the fleet runs on the old token again")
	runs := stopFleet(t, fleet)
	fileHistory := watched.stop()

	require.Len(t, fileHistory, 3, "the file held the old secret, the new one, then the old one")
	assert.Equal(t, predFP, fileHistory[0])
	succFP := fileHistory[1]
	assert.NotEqual(t, predFP, succFP)
	assert.Equal(t, predFP, fileHistory[2])
	assert.Equal(t, predFP, fingerprint(readString(t, w.file)), "the file holds the old secret")

	assertNoFailedCall(t, w, runs)
	for i, run := range runs {
		assert.Equal(t, predFP, run.last, "replica %d ends on the old token", i)
		assert.Equal(t, []string{predFP, succFP, predFP}, run.seen, "replica %d went to the new token and back", i)
	}
	assert.Equal(t, "active", status(w.World, w.pred.ID))
	assert.Equal(t, "deleted", status(w.World, succID))
	assert.Equal(t, before, w.appTokenIDs(t), "no successor is left")
}

func sortedIDs(ids []string) []string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}
