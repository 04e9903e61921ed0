package example_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The example's generator is the one the main module pins, so that the
// generated client shows what a user of this library's version gets.
func TestTheGeneratorIsTheMainModulesVersion(t *testing.T) {
	version := func(dir string) string {
		cmd := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "github.com/oapi-codegen/oapi-codegen/v2")
		cmd.Dir = dir
		out, err := cmd.Output()
		require.NoError(t, err, "go list -m in %s", dir)
		return strings.TrimSpace(string(out))
	}
	main, own := version("../.."), version(".")
	require.NotEmpty(t, main)
	assert.Equal(t, main, own, "examples/devices/go.mod pins another oapi-codegen than the main module's")
}
