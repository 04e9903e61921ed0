package cli

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// The tests in this file run the built binary, as an operator does: its
// real exit status, stdin, stdout and stderr, under a shell.

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binary builds losant-tokens once for the test run and returns the
// directory that holds it, to put on PATH. The directory is the same on
// every run of this checkout (named after it), so that a run that ends
// before TestMain's cleanup (a timeout, a panic) leaves nothing the next
// one does not reuse.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		wd, err := os.Getwd()
		if err != nil {
			buildErr = err
			return
		}
		binDir = filepath.Join(os.TempDir(), fmt.Sprintf("losant-tokens-bin-%x", sha256.Sum256([]byte(wd)))[:40])
		if buildErr = os.MkdirAll(binDir, 0o700); buildErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, "losant-tokens"), "../../losant-tokens").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	require.NoError(t, buildErr, "building losant-tokens")
	return binDir
}

// fixturesPath is the repository's fixtures, which README's examples use.
const fixturesPath = "../../../testdata/fixtures.json"

// fixtureSecret is the fixtures' user token, the README's $LOSANT_API_TOKEN.
const fixtureSecret = "lsnt_user_demo_secret"

// shellWorld is the test world seeded first with the repository's
// fixtures, with a working directory and the environment README's examples
// run in. It stays a type, where the other tests' worlds are functions of
// testworld's: a shell's working directory and environment are what its
// helpers (sh, exec, runExamples) share, and the testworld has neither.
type shellWorld struct {
	*testworld.World
	dir string
	env []string
}

func newShellWorld(t *testing.T) *shellWorld {
	t.Helper()
	fixtures, err := losanttest.LoadFixtures(fixturesPath)
	require.NoError(t, err)
	w := testworld.New(t, testworld.WithFake(losanttest.WithFixtures(fixtures)))
	bin := binary(t)
	return &shellWorld{World: w, dir: t.TempDir(), env: []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		baseURLEnv + "=" + w.Server.URL,
		tokenEnv + "=" + fixtureSecret,
	}}
}

// sh runs a command line under sh in the world's directory, with stdin.
func (w *shellWorld) sh(t *testing.T, stdin, line string) result {
	t.Helper()
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir, cmd.Env = w.dir, w.env
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err, line)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// exec runs the binary with args, each passed as it is (no shell).
func (w *shellWorld) exec(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	quoted := []string{"losant-tokens"}
	for _, a := range args {
		quoted = append(quoted, shellQuote(a))
	}
	return w.sh(t, stdin, strings.Join(quoted, " "))
}

// example is a command line a document shows, and the exit status its
// comment promises ("# exit 6"), 0 by default.
type example struct {
	where string
	line  string
	code  int
}

var exitComment = regexp.MustCompile(`#\s*exit (\d+)`)

// shellExamples are the losant-tokens lines of the ```sh blocks of a
// Markdown file.
func shellExamples(t *testing.T, path string) []example {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []example
	inShell := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "```"):
			inShell = !inShell && strings.TrimPrefix(line, "```") == "sh"
		case inShell && strings.HasPrefix(line, "losant-tokens "):
			ex := example{where: path + ":" + strconv.Itoa(n), line: line}
			if m := exitComment.FindStringSubmatch(line); m != nil {
				ex.code, _ = strconv.Atoi(m[1])
			}
			out = append(out, ex)
		}
	}
	require.NoError(t, sc.Err())
	return out
}

var completeHint = regexp.MustCompile(`--complete ([0-9a-f]{24})`)

// runExamples runs examples in order in one world, as a reader would, each
// "<successor ID>" standing for the successor the last rotation printed.
func (w *shellWorld) runExamples(t *testing.T, examples []example) {
	t.Helper()
	// The file a service reads its token from, for rotate --deliver-file.
	require.NoError(t, os.WriteFile(filepath.Join(w.dir, "service-token"), []byte("lsnt_app_demo_secret\n"), 0o600))
	successor := ""
	for _, ex := range examples {
		line := strings.ReplaceAll(ex.line, "<successor ID>", successor)
		r := w.sh(t, "", line)
		if ex.code != r.code {
			t.Errorf("%s: %s\nexit status %d, want %d\nstdout: %s\nstderr: %s", ex.where, line, r.code, ex.code, r.stdout, r.stderr)
		}
		if m := completeHint.FindStringSubmatch(r.stdout + r.stderr); m != nil {
			successor = m[1]
		}
	}
}

// TestMain removes the built binary's directory once the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}
