// Package version reads this module's version from a program's build
// information, for the User-Agent and for telemetry.
package version

import (
	"cmp"
	"runtime/debug"
)

// modulePath is this module's path, to find its version among a
// program's dependencies.
const modulePath = "github.com/specdriven/losant"

// Of is this module's version in info (ok: debug.ReadBuildInfo's).
func Of(info *debug.BuildInfo, ok bool) string {
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
