//go:build linux

package cli

import (
	"context"
	"io"
	"os"
	"syscall"
	"unsafe"
)

// isTerminal reports whether f is a terminal: one that answers a terminal's
// ioctl, which /dev/null, a character device too, does not.
func isTerminal(f *os.File) bool {
	_, err := termios(f)
	return err == nil
}

func termios(f *os.File) (*syscall.Termios, error) {
	var t syscall.Termios
	if err := ioctl(f, syscall.TCGETS, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func ioctl(f *os.File, request uintptr, t *syscall.Termios) error {
	conn, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var errno syscall.Errno
	if err := conn.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, request, uintptr(unsafe.Pointer(t)))
	}); err != nil {
		return err
	}
	if errno != 0 {
		return errno
	}
	return nil
}

// readHidden writes prompt to w and reads one line from the terminal f with
// its echo off, as ssh and sudo ask for a password: what is typed is not
// shown, nor left on the screen or in a recording of it. The terminal is
// put back as it was however the read ends. Ctrl-C at the terminal ends
// the read, since the process's signal handling ends ctx: the read is not
// waited for, and a byte typed after it is lost.
func readHidden(ctx context.Context, f *os.File, w io.Writer, prompt string) (string, error) {
	old, err := termios(f)
	if err != nil {
		return "", err
	}
	hidden := *old
	hidden.Lflag &^= syscall.ECHO | syscall.ECHONL
	hidden.Lflag |= syscall.ICANON | syscall.ISIG
	if err := ioctl(f, syscall.TCSETS, &hidden); err != nil {
		return "", err
	}
	defer func() {
		_ = ioctl(f, syscall.TCSETS, old)
		_, _ = io.WriteString(w, "\n") // the Enter the terminal did not echo
	}()
	_, _ = io.WriteString(w, prompt)
	return readLine(ctx, f)
}
