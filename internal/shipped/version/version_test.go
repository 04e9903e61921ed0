package version

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The version comes from the build information: the version a program
// requires, "(devel)" in this module's own builds, a replacement's own
// version, and "unknown" without module information.
func TestVersionComesFromTheBuildInformation(t *testing.T) {
	t.Parallel()
	dep := func(v string, replace *debug.Module) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "example.com/app", Version: "v9.9.9"},
			Deps: []*debug.Module{{Path: "golang.org/x/sync", Version: "v0.1.0"}, {Path: modulePath, Version: v, Replace: replace}}}
	}
	assert.Equal(t, "v1.2.3", Of(dep("v1.2.3", nil), true))
	assert.Equal(t, "v1.2.4", Of(dep("v1.2.3", &debug.Module{Path: "example.com/fork", Version: "v1.2.4"}), true))
	assert.Equal(t, "(devel)", Of(&debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}, true))
	assert.Equal(t, "unknown", Of(nil, false))
	assert.Equal(t, "unknown", Of(&debug.BuildInfo{Main: debug.Module{Path: "example.com/app"}}, true))
	// This test binary has module information, of this module: it is read,
	// not fallen back from.
	assert.Equal(t, "(devel)", Of(debug.ReadBuildInfo()))
}
