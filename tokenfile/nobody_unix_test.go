//go:build unix

package tokenfile_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// runAsNobody runs the test name again, in a copy of this test binary, as
// the user nobody, for a test whose case root cannot make (root reads a
// file of any mode). It fails unless the test ran there and passed.
func runAsNobody(t *testing.T, name string) {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	dir, err := os.MkdirTemp("", "as-nobody-") // not t.TempDir: its parents are root's alone
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	bin, err := os.ReadFile(exe)
	require.NoError(t, err)
	copied := filepath.Join(dir, "tokenfile.test")
	require.NoError(t, os.WriteFile(copied, bin, 0o755))
	cmd := exec.Command(copied, "-test.run=^"+name+"$", "-test.count=1", "-test.v")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "as nobody:\n%s", out)
	require.Contains(t, string(out), "--- PASS: "+name, "as nobody, the test ran and passed:\n%s", out)
}
