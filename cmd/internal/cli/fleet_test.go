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

const (
	fleetSize          = 8
	fleetCheckInterval = 250 * time.Millisecond // the replicas' tokenfile.WithCheckInterval
	fleetGrace         = "1s"                   // rotate's --grace: a bit more than the check interval
	fleetFaultRate     = 0.1                    // of the replicas' GETs
	fleetFaultSeed     = 33
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
	}, 15*time.Second, 10*time.Millisecond, "every replica is calling the API")
	for i, r := range fleet {
		select {
		case <-r.done:
			t.Fatalf("replica %d exited early (%v): %s", i, r.err, r.stderr.String())
		default:
		}
	}
	return fleet
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
		case <-time.After(15 * time.Second):
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

// watchFile records the fingerprints the file holds, each once a change,
// until stop is called, which returns them.
func watchFile(t *testing.T, path string) (stop func() []string) {
	t.Helper()
	var (
		seen []string
		quit = make(chan struct{})
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		for {
			if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
				if fp := fingerprint(string(b)); len(seen) == 0 || seen[len(seen)-1] != fp {
					seen = append(seen, fp)
				}
			}
			select {
			case <-quit:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	var once sync.Once
	return func() []string {
		once.Do(func() { close(quit) })
		<-done
		return seen
	}
}

// fleetWorld is the test world of a fleet: the fake behind a fault
// proxy that faults the GETs alone, at fleetFaultRate, and the token
// file of the application's token, which the replicas read.
type fleetWorld struct {
	*testworld.World
	file string
	pred losant.APIToken // the token rotated: World.AppTarget, as the fake holds it
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
// replica succeeded, each replica made calls before, during and after the
// rotation, and the proxy did fault some of them.
func assertNoFailedCall(t *testing.T, w *fleetWorld, runs []fleetRun) {
	t.Helper()
	total := 0
	for i, run := range runs {
		assert.Zero(t, run.fail, "replica %d's failed calls: %v", i, run.failures)
		assert.Greater(t, run.ok, 10, "replica %d kept calling", i)
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
// secret before the old token is deactivated; with none, and replicas
// that would not look at the file for 10 s, they meet a 401, read the
// file again and send again, and no call fails either.
func TestFleetRotationCompletesWithNoFailedCall(t *testing.T) {
	t.Run("grace "+fleetGrace, func(t *testing.T) { fleetRotationCompletes(t, fleetGrace, fleetCheckInterval, false) })
	t.Run("no grace: late replicas meet a 401", func(t *testing.T) { fleetRotationCompletes(t, "0s", 10*time.Second, true) })
}

func fleetRotationCompletes(t *testing.T, grace string, checkInterval time.Duration, late bool) {
	w := newFleetWorld(t)
	before := w.appTokenIDs(t)
	fleet := startFleet(t, fleetSize, checkInterval, w.file, w.Proxy.URL, w.App.ID, w.pred.ID)
	watched := watchFile(t, w.file)

	began := time.Now()
	r := w.losantTokens(t, "-a", w.App.ID, "rotate", w.pred.ID, "--deliver-file", w.file, "--grace", grace)
	t.Logf("rotate took %s", time.Since(began))
	require.Equal(t, exitOK, r.code, r.stderr)
	m := successorID.FindStringSubmatch(r.stdout)
	require.NotNil(t, m, r.stdout)
	succID := m[1]
	assert.Contains(t, r.stdout, `"completed": true`)

	time.Sleep(4 * fleetCheckInterval) // the fleet runs on the new token a while
	runs := stopFleet(t, fleet)
	fileHistory := watched()

	predFP := fingerprint(w.AppTarget.Secret)
	require.Len(t, fileHistory, 2, "the file held the old secret, then the new one")
	assert.Equal(t, predFP, fileHistory[0])
	succFP := fileHistory[1]
	assert.NotEqual(t, predFP, succFP)
	assert.Equal(t, succFP, fingerprint(readString(t, w.file)), "the file holds the successor's secret")

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
	// With --grace, a replica whose call took longer than the grace (its
	// token is read once a call, retries included) may meet a 401 too: a
	// loaded machine may make one, so it is counted, not held to zero.
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
	w := newFleetWorld(t)
	before := w.appTokenIDs(t)
	fleet := startFleet(t, fleetSize, fleetCheckInterval, w.file, w.Proxy.URL, w.App.ID, w.pred.ID)
	watched := watchFile(t, w.file)

	began := time.Now()
	r := w.losantTokens(t, "-a", w.App.ID, "rotate", w.pred.ID, "--deliver-file", w.file, "--grace", fleetGrace,
		"--check", "exit 1", "--check-tries", "2", "--check-interval", "100ms")
	t.Logf("rotate took %s", time.Since(began))
	require.Equal(t, exitRolledBack, r.code, r.stderr)
	m := successorID.FindStringSubmatch(r.stdout)
	require.NotNil(t, m, r.stdout)
	succID := m[1]
	assert.Contains(t, r.stderr, "--check exited with status 1 (try 2 of 2)")
	assert.Contains(t, r.stderr, fmt.Sprintf("rolled back: successor %s was deleted and %s is active, and the --deliver-file holds what it held before", succID, w.pred.ID))

	time.Sleep(4 * fleetCheckInterval) // the fleet runs on the old token again a while
	runs := stopFleet(t, fleet)
	fileHistory := watched()

	predFP := fingerprint(w.AppTarget.Secret)
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
