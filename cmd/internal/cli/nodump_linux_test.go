//go:build linux

package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The commands rotate runs (--deliver-command, --check) run as the
// operator, and cannot read the access token from losant-tokens: not from
// their own environment, which lacks $LOSANT_API_TOKEN, nor from the
// parent's, /proc/$PPID/environ, nor its memory. The binary runs as an
// unprivileged user (nobody, when the tests run as root, whose
// CAP_SYS_PTRACE reads any process), as an operator's shell does.
func TestChildrenCannotReadTheAccessTokenFromTheParent(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	dir, err := os.MkdirTemp("", "losant-tokens-children-*")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	bin := filepath.Join(dir, "losant-tokens")
	copyExecutable(t, filepath.Join(binary(t), "losant-tokens"), bin)
	work := filepath.Join(dir, "work")
	require.NoError(t, os.Mkdir(work, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(work, "service-token"), []byte("old\n"), 0o600))

	read := `cat /proc/$PPID/environ > %[1]s-environ 2>&1; od -c /proc/$PPID/mem > /dev/null 2> %[1]s-mem; env > %[1]s-env`
	cmd := exec.Command(bin, "-o", "json", "-a", fxApp, "rotate", fxAppToken, "--deliver-file", "service-token",
		"--deliver-command", fmt.Sprintf(read, "delivery")+"; cat > /dev/null",
		"--check", fmt.Sprintf(read, "check")+"; true")
	cmd.Dir, cmd.Env = work, w.env // $LOSANT_API_TOKEN holds the token
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if os.Getuid() == 0 {
		const nobody = 65534
		require.NoError(t, os.Chown(work, nobody, nobody))
		require.NoError(t, os.Chown(filepath.Join(work, "service-token"), nobody, nobody))
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	require.NoError(t, cmd.Run(), stderr.String())

	for _, child := range []string{"delivery", "check"} {
		environ := readString(t, filepath.Join(work, child+"-environ"))
		assert.NotContains(t, environ, fixtureSecret, "%s read the parent's environment", child)
		assert.Contains(t, environ, "Permission denied", child)
		assert.Contains(t, readString(t, filepath.Join(work, child+"-mem")), "Permission denied", child)
		env := readString(t, filepath.Join(work, child+"-env"))
		assert.NotContains(t, env, tokenEnv+"=", child)
		assert.NotContains(t, env, fixtureSecret, child)
		assert.Contains(t, env, baseURLEnv+"=", "the rest of the environment is passed on")
	}
}

func copyExecutable(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	require.NoError(t, err)
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}
