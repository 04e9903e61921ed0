//go:build linux

package cli

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rotate's question on a terminal, not answered y, leaves the rotation
// begun and not finished: "n" exits 7 and Ctrl-C 130, both with the
// command that finishes it; neither deactivates the old token.
func TestRotateNotConfirmedAtTheQuestionIsNotDone(t *testing.T) {
	for key, want := range map[string]int{"n\n": exitUnknownOutcome, "\x03": exitInterrupted} {
		t.Run(strings.TrimSpace(key), func(t *testing.T) {
			w := newShellWorld(t)
			p := openPTY(t)
			wait := w.startOnTerminal(t, p, nil, "-a", fxApp, "rotate", fxAppToken)
			require.Eventually(t, func() bool { return strings.Contains(p.shown(), "[y/N]") }, 10*time.Second, 10*time.Millisecond, "a question")
			p.typeIn(t, key)
			assert.Equal(t, want, wait(), p.shown())
			// The terminal shows what the run wrote once the master has read
			// it: the message, on stderr, comes last.
			said := map[int]string{exitUnknownOutcome: "not confirmed", exitInterrupted: "interrupted at the question"}[want]
			assert.Eventually(t, func() bool { return strings.Contains(p.shown(), said) }, 10*time.Second, 10*time.Millisecond, said)
			assert.Eventually(t, func() bool { return strings.Contains(p.shown(), "--complete") }, 10*time.Second, 10*time.Millisecond, p.shown()) // the pty's reader may lag the process's end
			assert.Equal(t, "active", status(w.World, fxAppToken))
		})
	}
}

// delete ID > log 2>err at a terminal asks on the terminal itself, where
// the operator sees it, not on the redirected stderr.
func TestDeleteAsksOnTheTerminalWhenStdoutAndStderrAreFiles(t *testing.T) {
	w := newShellWorld(t)
	p := openPTY(t)
	var stdout, stderr bytes.Buffer
	var mu sync.Mutex // stderr is read while the binary writes it
	errText := func() string { mu.Lock(); defer mu.Unlock(); return stderr.String() }
	cmd := exec.Command(filepath.Join(binary(t), "losant-tokens"), "delete", fxBackup)
	cmd.Dir, cmd.Env = w.dir, w.env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = p.slave, &stdout, lockedWriter{&mu, &stderr}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	require.Eventually(t, func() bool {
		select {
		case err := <-done:
			done <- err
			return true
		default:
			return strings.Contains(p.shown(), "[y/N]")
		}
	}, 10*time.Second, 10*time.Millisecond, "a question, on the terminal")
	require.Contains(t, p.shown(), "[y/N]", "stderr: %s", errText())
	p.typeIn(t, "y\n")
	select {
	case err := <-done:
		require.NoError(t, err, errText())
	case <-time.After(20 * time.Second):
		t.Fatalf("did not end: %q", p.shown())
	}
	assert.NotContains(t, errText(), "[y/N]")
	assert.Equal(t, "deleted", status(w.World, fxBackup))
}
