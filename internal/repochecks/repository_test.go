package repochecks_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// make lint's scripts/check-tracked-files.sh refuses a repository that
// tracks a file over 1 MiB or an executable binary, whatever its name.
func TestTrackedFilesCheckRefusesBuildOutputs(t *testing.T) {
	script, err := filepath.Abs("scripts/check-tracked-files.sh")
	require.NoError(t, err)
	check := func(files map[string][]byte) (string, error) {
		repo := t.TempDir()
		git := func(args ...string) {
			out, err := exec.Command("git", append([]string{"-C", repo}, args...)...).CombinedOutput()
			require.NoError(t, err, "git %v: %s", args, out)
		}
		git("init", "-q")
		for name, content := range files {
			require.NoError(t, os.WriteFile(filepath.Join(repo, name), content, 0o644))
		}
		git("add", ".")
		out, err := exec.Command("bash", script, repo).CombinedOutput()
		return string(out), err
	}

	out, err := check(map[string][]byte{"main.go": []byte("package main\n"), "notes.md": make([]byte, 1<<20)})
	assert.NoError(t, err, "sources, and a file of exactly 1 MiB, pass: %s", out)

	out, err = check(map[string][]byte{"main.go": []byte("package main\n"), "data.json": make([]byte, 1<<20+1)})
	assert.Error(t, err)
	assert.Contains(t, out, "over 1 MiB: data.json")

	for name, magic := range map[string]string{"losant.test": "\x7fELF", "tool": "\xcf\xfa\xed\xfe", "app.exe": "MZ\x90\x00"} {
		out, err = check(map[string][]byte{name: []byte(magic + "\x02\x01\x01")})
		assert.Error(t, err, name)
		assert.Contains(t, out, "executable binary: "+name)
	}
}
