package losant

import (
	"runtime/debug"
	"sync"

	"github.com/specdriven/losant/internal/shipped/version"
)

// Version is the version of this library in the running program, from the
// build information the Go toolchain records: the version a program's
// go.mod requires (v1.2.3), "(devel)" when this module is the program
// itself, or "unknown" in a binary built without module information. It is
// sent in the User-Agent header.
func Version() string {
	versionOnce.Do(func() { moduleVersion = version.Of(debug.ReadBuildInfo()) })
	return moduleVersion
}

var (
	versionOnce   sync.Once
	moduleVersion string
)
