package losant

import (
	"cmp"
	"runtime/debug"
	"sync"
)

// modulePath is this module's path, to find its version among a
// program's dependencies.
const modulePath = "github.com/specdriven/losant"

// Version is the version of this library in the running program, from the
// build information the Go toolchain records: the version a program's
// go.mod requires (v1.2.3), "(devel)" when this module is the program
// itself, or "unknown" in a binary built without module information. It is
// sent in the User-Agent header.
func Version() string {
	versionOnce.Do(func() { version = moduleVersion(debug.ReadBuildInfo()) })
	return version
}

var (
	versionOnce sync.Once
	version     string
)

// moduleVersion is this module's version in info.
func moduleVersion(info *debug.BuildInfo, ok bool) string {
	switch {
	case !ok:
		return "unknown"
	case info.Main.Path == modulePath:
		return cmp.Or(info.Main.Version, "(devel)")
	}
	for _, dep := range info.Deps {
		if dep.Path == modulePath {
			if dep.Replace != nil && dep.Replace.Version != "" {
				return dep.Replace.Version
			}
			return dep.Version
		}
	}
	return "unknown" // a test binary of another package that imports this one by a path
}
