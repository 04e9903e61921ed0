package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/losanttest"
)

// staleAndFresh adds to the fake an inactive token of owner last updated
// 40 days ago, and one 5 days ago.
func staleAndFresh(t *testing.T, srv *losanttest.Server, ownerType losant.APITokenOwnerType, ownerID string) (stale, fresh string) {
	t.Helper()
	add := func(age time.Duration) string {
		return srv.AddToken(losanttest.Token{OwnerType: ownerType, OwnerID: ownerID, Scope: []string{"all.User.read"},
			Status: losant.APITokenStatusInactive, CreationDate: time.Now().Add(-age)}).ID
	}
	return add(40 * 24 * time.Hour), add(5 * 24 * time.Hour)
}

// retire is a dry run unless --yes; with it, each deletion is reported; an
// audit with --max-inactive finds the same tokens.
func TestRetireDeletesOnlyWithYes(t *testing.T) {
	w := newWorld(t)
	stale, fresh := staleAndFresh(t, w.Server, losant.APITokenOwnerTypeUser, userID)

	r := runCLI(t, w, "audit", "--max-inactive", "30d", "--allow-never-expires", "-o", "ids")
	assert.Equal(t, exitFindings, r.code, r.stderr)
	assert.Equal(t, stale+"\n", r.stdout, "inactive for 40 days, over the 30 kept; not the one of 5 days")

	r = runCLI(t, w, "retire", "--older-than", "30d", "-o", "ids")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, stale+"\n", r.stdout)
	assert.Contains(t, r.stderr, "a dry run: 1 tokens would be deleted")
	assert.Equal(t, "inactive", status(w, stale), "a dry run deletes nothing")

	r = runCLI(t, w, "retire", "--older-than", "30d", "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"id": "`+stale+`"`)
	assert.Equal(t, "deleted", status(w, stale))
	assert.Equal(t, "inactive", status(w, fresh))
	assert.Equal(t, "active", status(w, cliToken))

	r = runCLI(t, w, "audit", "--max-inactive", "30d", "--allow-never-expires")
	assert.Equal(t, exitOK, r.code, r.stderr)
	r = runCLI(t, w, "audit", "--max-inactive", "30d", "--allow-inactive")
	assert.Equal(t, exitBadInput, r.code, r.stderr)
	r = runCLI(t, w, "retire")
	assert.Equal(t, exitBadInput, r.code, "no retention period: %s", r.stderr)
}

// retire --all-owners retires every owner's stale tokens; a deletion whose
// answer is lost is named, with exit 7.
func TestRetireEveryOwner(t *testing.T) {
	w := newWorld(t)
	userStale, _ := staleAndFresh(t, w.Server, losant.APITokenOwnerTypeUser, userID)
	appStale, _ := staleAndFresh(t, w.Server, losant.APITokenOwnerTypeApplication, appID)
	r := runCLI(t, w, "retire", "--older-than", "30d", "--all-owners", "-o", "ids", "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, userStale+"\n--application="+appID+" "+appStale+"\n", r.stdout)
	assert.Equal(t, "deleted", status(w, userStale))
	assert.Equal(t, "deleted", status(w, appStale))

	lost, _ := staleAndFresh(t, w.Server, losant.APITokenOwnerTypeUser, userID)
	w.Server.InjectFor(losanttest.DeleteUserAPIToken, losanttest.Fault{LoseAnswer: true})
	r = runCLI(t, w, "retire", "--older-than", "30d", "--yes", "-o", "ids")
	assert.Equal(t, exitUnknownOutcome, r.code, r.stderr)
	assert.Contains(t, r.stderr, "delete "+lost)
}

// An interrupt (SIGINT to the built binary) at each step of a rollout
// exits 130 and leaves what the message says: before the create, nothing;
// during the delivery, grace or check, a rollback; during the
// deactivation, the command that finishes it.
func TestInterruptedRolloutSaysWhatIsLeft(t *testing.T) {
	for _, tc := range []struct {
		step     string
		args     []string
		fault    losanttest.Operation
		ready    string // a file that exists once the step is under way
		say      string
		restored bool
	}{
		{"create", nil, losanttest.CreateApplicationAPIToken, "", "still active", false},
		{"delivery", []string{"--deliver-command", "touch ready; sleep 30"}, "", "ready", "rolled back", true},
		{"grace", []string{"--deliver-command", "touch ready", "--grace", "1m"}, "", "ready", "interrupted during --grace", true},
		{"check", []string{"--check", "touch ready; sleep 30"}, "", "ready", "rolled back", true},
		{"deactivation", nil, losanttest.PatchApplicationAPIToken, "", "--complete", false},
	} {
		t.Run(tc.step, func(t *testing.T) {
			w := newShellWorld(t)
			file := filepath.Join(w.dir, "service-token")
			require.NoError(t, os.WriteFile(file, []byte("old\n"), 0o600))
			if tc.fault != "" {
				w.Server.InjectFor(tc.fault, losanttest.Fault{Latency: 2 * time.Second})
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
			require.NoError(t, cmd.Process.Signal(os.Interrupt))
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
				assert.Equal(t, losant.APITokenStatusActive, pred.Status, "the predecessor is active")
			}
			if tc.restored {
				successor := regexp.MustCompile(`successor ([0-9a-f]{24}) was deleted`).FindStringSubmatch(stderr.String())
				require.NotNil(t, successor, stderr.String())
				assert.Equal(t, "deleted", status(w.World, successor[1]))
			}
			if tc.step == "deactivation" {
				next := regexp.MustCompile(`run: (losant-tokens [^;]*--complete [0-9a-f]{24})`).FindStringSubmatch(stderr.String())
				require.NotNil(t, next, stderr.String())
				w.Server.ClearFaults()
				r := w.sh(t, "", strings.TrimSpace(next[1]))
				assert.Equal(t, exitOK, r.code, "the command finishes it: %s", r.stderr)
			}
		})
	}
}
