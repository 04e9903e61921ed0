package tokenfile

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
)

// Error says why a token file was not taken. It names the file, never its
// content. Err is the cause: an error of the file system (errors.Is it
// fs.ErrNotExist or fs.ErrPermission), or one that wraps ErrInvalid.
type Error struct {
	// Path is the file's path, as given to New.
	Path string
	// Err is why the file was not taken.
	Err error
}

// Error names the file, quoted, and the cause.
func (e *Error) Error() string {
	return "losant: token file " + strconv.Quote(e.Path) + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// pathCause is err without the path a *PathError repeats: an Error names
// the file once.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
