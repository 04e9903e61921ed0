//go:build unix

package cli

import (
	"io/fs"
	"os"
	"syscall"
)

// The open flags of a file rotate writes for services or reads back: a
// link in the last element is not followed (ELOOP), and a FIFO or a
// device does not block the open.
const (
	oNoFollow = syscall.O_NOFOLLOW
	oNonBlock = syscall.O_NONBLOCK
)

// ownership is a file's owner and group, as fstat reads them; ok is
// false where the system does not say.
func ownership(info fs.FileInfo) (uid, gid int, ok bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

// links is a file's number of hard links; 1 where the system does not say.
func links(info fs.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

// euid is the user this process acts as.
func euid() int { return os.Geteuid() }
