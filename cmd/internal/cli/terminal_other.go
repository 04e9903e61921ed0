//go:build !linux

package cli

import (
	"context"
	"errors"
	"io"
	"os"
)

// isTerminal reports whether f is a character device other than
// /dev/null: a terminal, where no terminal ioctl is made here.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0 && !isDevNull(f)
}

// readHidden refuses to read a token from a terminal where its echo
// cannot be turned off here: what is typed would be shown.
func readHidden(context.Context, *os.File, io.Writer, string) (string, error) {
	return "", errors.New("stdin is a terminal, whose echo losant-tokens cannot turn off on this system: pipe the token in, or give a file")
}
