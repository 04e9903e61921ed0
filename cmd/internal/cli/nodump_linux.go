//go:build linux

package cli

import (
	"fmt"
	"syscall"
)

// nonDumpable makes this process one its children cannot read: with
// PR_SET_DUMPABLE 0, a process of the same user without CAP_SYS_PTRACE
// (a --check, a --deliver-command, a --token-command) can neither read
// /proc/PID/environ, where $LOSANT_API_TOKEN is, nor /proc/PID/mem, where
// the token is however it came, nor attach a debugger. It also keeps the
// token out of a core dump.
func nonDumpable() error {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_DUMPABLE, 0, 0); errno != 0 {
		return fmt.Errorf("prctl(PR_SET_DUMPABLE, 0): %w", errno)
	}
	return nil
}
