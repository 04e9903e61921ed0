//go:build unix

package cli

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup runs cmd in a process group of its own, killed whole
// when its context ends: a shell's children die with it, and a Ctrl-C at
// the terminal reaches rotate, which ends the command itself.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}

// killGroup kills what is left of the process group of cmd, which has
// ended: a child the shell left running (sleep 100 &) dies with it. The
// group's ID is not reused while any of it is left.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
