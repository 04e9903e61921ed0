package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/specdriven/losant/tokenfile"
)

// The files rotate writes for services (--deliver-file, its .previous copy
// and .rotating record, --secret-file, their temporary files) are opened
// once, without following a link and without waiting on a FIFO or a
// device, and what is read is held from then on: nothing is reopened by a
// name someone else may have swapped since.

// errNotRegular is the error of a name that is not a regular file.
var errNotRegular = errors.New("not a regular file (a link, a directory, a FIFO or a device): give the file itself")

// errOpenDirectory is the error of a directory others than its owner may
// write: they could swap the files rotate writes there.
var errOpenDirectory = errors.New("its directory may be written by others than its owner (and is not a sticky directory of yours): " +
	"they could swap what rotate writes there; use a directory only you, or the services' user, can write")

// errCannotChown is wrapped by the error of a file whose owner or group a
// new file cannot be given: its replacement would lock the services out.
var errCannotChown = errors.New("a new file cannot be given its owner and group (run as root, or as its owner with its group among yours)")

// openRegular opens path for reading, as openFile does: a name that is not
// a regular file (a link, a directory, a FIFO, a device) is refused before
// anything is read from it.
func openRegular(path string) (*os.File, fs.FileInfo, error) {
	f, info, err := openFile(path, os.O_RDONLY)
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, errNotRegular
	}
	return f, info, nil
}

// openFile opens path with flag, never following a link in its last
// element and never blocking on a FIFO or a device, and returns what
// fstat says of the file opened.
func openFile(path string, flag int) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(path, flag|oNoFollow|oNonBlock|syscall.O_CLOEXEC, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, nil, errNotRegular
	}
	if err != nil {
		return nil, nil, withoutPath(err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, withoutPath(err)
	}
	return f, info, nil
}

// readRegular reads at most limit bytes of the regular file at path.
func readRegular(path string, limit int64) ([]byte, fs.FileInfo, error) {
	f, info, err := openRegular(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return nil, nil, withoutPath(err)
	}
	return b, info, nil
}

// inputWait bounds a read of a FIFO given as an input file (--token-file,
// --from-file): a writer that never comes, or never ends, fails the
// command instead of hanging it past a signal.
const inputWait = 10 * time.Second

// fifoPoll is how often a FIFO no writer has opened yet is read again.
const fifoPoll = 20 * time.Millisecond

// maxInput bounds what is read of a FIFO: the largest input a caller
// takes, and a byte to tell that it is over.
const maxInput = max(tokenfile.MaxBytes, maxBodyFile) + 1

// openInput opens a file given as input, following links (a token mounted
// as a link is common), without blocking on the open: a directory, a
// device or a socket is refused, and a FIFO is read within inputWait.
func openInput(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|oNonBlock, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	switch {
	case err != nil:
		f.Close()
		return nil, err
	case info.Mode().IsRegular():
		return f, nil
	case info.Mode()&fs.ModeNamedPipe != 0:
		defer f.Close()
		return readFIFO(f)
	}
	f.Close()
	return nil, errors.New("not a file (a directory or a device): give a file that holds it")
}

// readFIFO reads the FIFO f, opened without blocking, within inputWait:
// until its writer closes it, waiting for a writer that has not opened it
// yet (a read then ends at once). What it read is returned as a pipe of
// its own, which the caller reads as it would the file.
func readFIFO(f *os.File) (*os.File, error) {
	deadline := time.Now().Add(inputWait)
	if err := f.SetReadDeadline(deadline); err != nil {
		return nil, fmt.Errorf("a FIFO that cannot be read within a time limit: %w", withoutPath(err))
	}
	var data []byte
	buf := make([]byte, 32<<10)
	for len(data) < maxInput {
		n, err := f.Read(buf)
		data = append(data, buf[:n]...)
		switch {
		case errors.Is(err, io.EOF) && len(data) > 0: // its writer closed it
			return asPipe(data)
		case errors.Is(err, io.EOF): // no writer yet
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("a FIFO no one wrote to within %s", inputWait)
			}
			time.Sleep(fifoPoll)
		case errors.Is(err, os.ErrDeadlineExceeded):
			return nil, fmt.Errorf("a FIFO no one wrote to within %s (or whose writer did not close it)", inputWait)
		case err != nil:
			return nil, withoutPath(err)
		}
	}
	return asPipe(data[:maxInput])
}

// asPipe is a pipe that holds data and then ends.
func asPipe(data []byte) (*os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	go func() {
		_, _ = w.Write(data)
		w.Close()
	}()
	return r, nil
}

// checkDirectory refuses the directory of path when others than its owner
// may write it, unless it is sticky (as /tmp is) and this user's: there,
// no one else can rename or remove the files rotate writes.
func checkDirectory(path string) error {
	info, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return withoutPath(err)
	}
	if !info.IsDir() {
		return errors.New("its directory is not a directory")
	}
	uid, _, ok := ownership(info)
	if !ok || info.Mode().Perm()&0o022 == 0 {
		return nil
	}
	if info.Mode()&fs.ModeSticky != 0 && uid == euid() {
		return nil
	}
	return errOpenDirectory
}

// fileKind is the owner, group and permissions a file put in place of
// another keeps: the services that read it must go on reading it.
type fileKind struct {
	uid, gid int
	owned    bool // uid and gid are known
	perm     fs.FileMode
}

// kindOf is the owner, group and permissions of the file info describes:
// the setuid, setgid and sticky bits included.
func kindOf(info fs.FileInfo) fileKind {
	uid, gid, ok := ownership(info)
	return fileKind{uid: uid, gid: gid, owned: ok, perm: info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)}
}

// apply gives f, a new file of ours, k's owner, group and permissions,
// through its descriptor: the owner first, since a chown may clear mode
// bits. An owner it cannot give wraps errCannotChown.
func (k fileKind) apply(f *os.File) error {
	if k.owned {
		info, err := f.Stat()
		if err != nil {
			return withoutPath(err)
		}
		if uid, gid, _ := ownership(info); uid != k.uid || gid != k.gid {
			if err := f.Chown(k.uid, k.gid); err != nil {
				return fmt.Errorf("%w: %w", errCannotChown, withoutPath(err))
			}
		}
	}
	return withoutPath(f.Chmod(k.perm))
}

// stillNamed reports whether path still names the file f, as opened: a
// file swapped in under its name since is not taken for it.
func stillNamed(f *os.File, path string) bool {
	opened, err := f.Stat()
	if err != nil {
		return false
	}
	named, err := os.Lstat(path)
	return err == nil && os.SameFile(opened, named)
}

// removeIfStill removes path when it still names f: a name someone else
// took over is left to them.
func removeIfStill(f *os.File, path string) {
	if stillNamed(f, path) {
		os.Remove(path)
	}
}

// writeBeside writes content to a new file of mode 0600 beside path
// (created O_EXCL, under a random name starting with prefix), given kind
// when it is not nil, synced and closed; it returns its name. Nothing of
// it is left when it fails.
func writeBeside(path, prefix string, content []byte, kind *fileKind) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), prefix)
	if err != nil {
		return "", withoutPath(err)
	}
	name := tmp.Name()
	if kind != nil {
		err = kind.apply(tmp)
	}
	if err == nil {
		err = writeSynced(tmp, string(content))
	} else {
		tmp.Close()
	}
	if err != nil {
		os.Remove(name)
		return "", withoutPath(err)
	}
	return name, nil
}
