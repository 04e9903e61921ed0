//go:build !unix

package cli

import (
	"io/fs"
	"os"
)

// Where there are no such flags, a file is opened as it is named.
const (
	oNoFollow = 0
	oNonBlock = 0
)

// ownership says nothing where files have no numeric owner.
func ownership(fs.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }

// links is 1 where the system does not count them.
func links(fs.FileInfo) uint64 { return 1 }

// euid is -1 where users are not numbered.
func euid() int { return os.Geteuid() }
