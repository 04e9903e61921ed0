//go:build linux

package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file run the built binary on a terminal: a
// pseudo-terminal made with the kernel's /dev/ptmx, the binary's
// controlling terminal, as an operator's shell would give it.

// pty is a pseudo-terminal: the test types into and reads the screen of
// the master; the binary has the slave.
type pty struct {
	master, slave *os.File
	mu            sync.Mutex
	screen        bytes.Buffer // all the master read: what the terminal showed
}

func openPTY(t *testing.T) *pty {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)
	var unlock int32
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock)))
	require.Zero(t, errno, "unlocking the pty")
	var n uint32
	_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n)))
	require.Zero(t, errno, "naming the pty")
	slave, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)
	p := &pty{master: master, slave: slave}
	t.Cleanup(func() { master.Close(); slave.Close() })
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			p.mu.Lock()
			p.screen.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return p
}

func (p *pty) shown() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen.String()
}

func (p *pty) typeIn(t *testing.T, s string) {
	t.Helper()
	_, err := p.master.WriteString(s)
	require.NoError(t, err)
}

// echoes reports whether the terminal echoes what is typed, now.
func (p *pty) echoes(t *testing.T) bool {
	t.Helper()
	tio, err := termios(p.slave)
	require.NoError(t, err)
	return tio.Lflag&syscall.ECHO != 0
}

// startOnTerminal starts the binary in w with args, its stdin (and
// stderr, where a prompt goes) the terminal, its controlling terminal, and
// stdout into the returned buffer, or the terminal when stdout is nil.
func (w *shellWorld) startOnTerminal(t *testing.T, p *pty, stdout *bytes.Buffer, args ...string) (wait func() int) {
	t.Helper()
	cmd := exec.Command(filepath.Join(binary(t), "losant-tokens"), args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	cmd.Stdin, cmd.Stderr = p.slave, p.slave
	cmd.Stdout = p.slave
	if stdout != nil {
		cmd.Stdout = stdout
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	require.NoError(t, cmd.Start())
	done := make(chan int, 1)
	go func() {
		err := cmd.Wait()
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit):
			done <- exit.ExitCode()
		case err != nil:
			done <- -1
		default:
			done <- 0
		}
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return func() int {
		select {
		case code := <-done:
			return code
		case <-time.After(20 * time.Second):
			t.Fatalf("losant-tokens %s did not end; the terminal shows: %q", strings.Join(args, " "), p.shown())
			return -1
		}
	}
}

// --token-file - on a terminal asks for the token with the terminal's
// echo off: what is typed is not shown. Echo is back on afterwards.
func TestATokenTypedAtATerminalIsNotShown(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	w.env = []string{w.env[0], w.env[1], w.env[2]} // no $LOSANT_API_TOKEN
	p := openPTY(t)
	var stdout bytes.Buffer
	wait := w.startOnTerminal(t, p, &stdout, "--token-file", "-", "-o", "json", "get", fxCLI)
	require.Eventually(t, func() bool { return strings.Contains(p.shown(), "access token") }, 10*time.Second, 10*time.Millisecond, "a prompt")
	p.typeIn(t, fixtureSecret+"\n")
	assert.Equal(t, exitOK, wait(), "stdout %s; the terminal shows %q", stdout.String(), p.shown())
	assert.Contains(t, stdout.String(), fxCLI)
	assert.NotContains(t, p.shown(), fixtureSecret, "the typed token is not echoed")
	assert.True(t, p.echoes(t), "the terminal echoes again")
}

// Ctrl-C at the token prompt ends the command (exit 130), sends nothing,
// and leaves the terminal echoing.
func TestCtrlCAtTheTokenPromptEndsTheCommand(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	w.env = []string{w.env[0], w.env[1], w.env[2]} // no $LOSANT_API_TOKEN
	p := openPTY(t)
	before := len(w.Server.Requests())
	wait := w.startOnTerminal(t, p, &bytes.Buffer{}, "--token-file", "-", "list")
	require.Eventually(t, func() bool { return strings.Contains(p.shown(), "access token") }, 10*time.Second, 10*time.Millisecond, "a prompt")
	p.typeIn(t, "lsnt_half")
	p.typeIn(t, "\x03") // Ctrl-C: the terminal sends SIGINT
	assert.Equal(t, exitInterrupted, wait(), p.shown())
	assert.Eventually(t, func() bool { return strings.Contains(p.shown(), "nothing was sent") }, 10*time.Second, 10*time.Millisecond, p.shown()) // the pty's reader may lag the process's end
	assert.Len(t, w.Server.Requests(), before)
	assert.True(t, p.echoes(t), "the terminal echoes again")
}

// delete at an interactive shell asks before deleting when its output
// goes to a file (delete ID > log): stdin is the terminal.
func TestDeleteAsksWhenStdinIsATerminal(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	p := openPTY(t)
	var log bytes.Buffer
	wait := w.startOnTerminal(t, p, &log, "delete", fxBackup)
	require.Eventually(t, func() bool { return strings.Contains(p.shown(), "[y/N]") }, 10*time.Second, 10*time.Millisecond, "a question, on the terminal")
	p.typeIn(t, "n\n")
	assert.Equal(t, exitFailure, wait(), p.shown())
	// The pty's reader may not have read the last line yet when the process ends: wait for it.
	assert.Eventually(t, func() bool { return strings.Contains(p.shown(), "nothing was deleted") }, 10*time.Second, 10*time.Millisecond, p.shown())
	assert.Equal(t, "active", status(w.World, fxBackup))

	p = openPTY(t)
	wait = w.startOnTerminal(t, p, &log, "delete", fxBackup)
	require.Eventually(t, func() bool { return strings.Contains(p.shown(), "[y/N]") }, 10*time.Second, 10*time.Millisecond, "a question, on the terminal")
	p.typeIn(t, "y\n")
	assert.Equal(t, exitOK, wait(), p.shown())
	assert.Equal(t, "deleted", status(w.World, fxBackup))
}
