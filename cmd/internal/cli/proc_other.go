//go:build !unix

package cli

import "os/exec"

// ownProcessGroup leaves cmd as it is where there are no process groups:
// its context's end kills the shell alone.
func ownProcessGroup(*exec.Cmd) {}

// killGroup does nothing where there are no process groups.
func killGroup(*exec.Cmd) {}
