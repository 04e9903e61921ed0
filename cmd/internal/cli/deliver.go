package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// previousSuffix names the copy of a --deliver-file kept beside it for a
// rollback: PATH.previous holds what PATH held before the rotation.
const previousSuffix = ".previous"

// recordSuffix names the record of a rotation open on a --deliver-file:
// PATH.rotating, made O_EXCL before anything else, names the predecessor
// and, once made, the successor. While it exists, no other rotation
// delivers to PATH.
const recordSuffix = ".rotating"

// maxDeliveryFile bounds what a --deliver-file may hold: a token and a
// newline, or a small config a person keeps beside it.
const maxDeliveryFile = 64 << 10

// deliveryFile is the file --deliver-file names: the one the services read
// their token from. Before the successor is made, rotate reads PATH once
// (no link followed, no FIFO waited on) and holds its content, owner,
// group and mode, records the rotation beside it (PATH.rotating), copies
// the content to PATH.previous (mode 0600) and makes the temporary file
// the secret will go to, owned as PATH is: a directory others can write,
// or an owner a new file cannot be given, fails before anything is made.
// The secret is then written to the temporary file, synced and renamed
// over PATH: a reader sees the old secret or the new one, whole. A
// rollback writes the held content back the same way, never reading
// PATH.previous, which someone may have swapped since.
type deliveryFile struct {
	path      string
	previous  []byte   // what PATH held
	kind      fileKind // PATH's owner, group and mode, which what replaces it keeps
	tmp       *os.File
	dir       fs.FileInfo // PATH's directory as rotate began: a swapped one is refused
	record    *rotationRecord
	delivered bool // PATH holds the successor's secret
}

// prepareDeliveryFile checks the file at path, records a rotation of
// predID open on it and keeps its content in PATH.previous; nil when path
// is empty (no --deliver-file). A rotation found open on it is an
// *openRotationError.
func prepareDeliveryFile(path, predID string) (*deliveryFile, error) {
	if path == "" {
		return nil, nil
	}
	fail := func(err error) error {
		return usageError{fmt.Errorf("--deliver-file: %w; nothing was made", err)}
	}
	if err := checkDirectory(path); err != nil {
		return nil, fail(err)
	}
	previous, info, err := readRegular(path, maxDeliveryFile+1)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fail(errors.New("no such file: give the file the services read their token from now, whose content is kept for a rollback"))
	case err != nil:
		return nil, fail(err)
	case len(previous) > maxDeliveryFile:
		return nil, fail(fmt.Errorf("over %d bytes: not a token file", maxDeliveryFile))
	case links(info) > 1:
		// The secret is renamed over this name only: the others would go
		// on holding the old one, and a rollback would not reach them.
		return nil, fail(fmt.Errorf("it has %d names (hard links), and the others would keep the old secret: give the one file the services read, with no other name", links(info)))
	}
	record, err := newRotationRecord(path, predID)
	if err != nil {
		return nil, err
	}
	dir, err := os.Stat(filepath.Dir(path))
	if err != nil {
		record.remove()
		return nil, fail(withoutPath(err))
	}
	d := &deliveryFile{path: path, previous: previous, kind: kindOf(info), dir: dir, record: record}
	if _, err := os.Lstat(path + previousSuffix); !errors.Is(err, fs.ErrNotExist) {
		record.remove()
		return nil, &openRotationError{heldCopy: true}
	}
	if d.tmp, err = os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*"); err != nil {
		record.remove()
		return nil, fail(fmt.Errorf("cannot write beside it: %w", withoutPath(err)))
	}
	if err := d.kind.apply(d.tmp); err != nil {
		d.abandon()
		return nil, fail(err)
	}
	copied, err := writeBeside(path, "."+filepath.Base(path)+".tmp-*", previous, nil)
	if err == nil {
		err = os.Link(copied, path+previousSuffix) // fails if the name was taken since: never overwrites
		os.Remove(copied)
	}
	if err != nil {
		d.tmp.Close()
		os.Remove(d.tmp.Name())
		record.remove()
		return nil, fail(fmt.Errorf("keeping its content beside it: %w", withoutPath(err)))
	}
	syncDir(path)
	return d, nil
}

// deliver writes secret to the file. On an error the file is as it was.
func (d *deliveryFile) deliver(secret string) error {
	name := d.tmp.Name()
	defer os.Remove(name) // renamed into place, or abandoned
	_, err := d.tmp.WriteString(secret + "\n")
	if err == nil {
		err = d.tmp.Sync()
	}
	if err == nil && !stillNamed(d.tmp, name) {
		err = errors.New("its temporary file was replaced")
	}
	if cerr := d.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = d.sameDirectory()
	}
	if err == nil {
		err = os.Rename(name, d.path)
	}
	if err != nil {
		return fmt.Errorf("writing --deliver-file: %w", withoutPath(err))
	}
	d.delivered = true
	syncDir(d.path)
	return nil
}

// restore puts back what the file held, as it was first read, with its
// owner, group and mode.
func (d *deliveryFile) restore() error {
	if err := d.sameDirectory(); err != nil {
		return fmt.Errorf("restoring --deliver-file: %w", err)
	}
	if err := replaceFile(d.path, d.previous, d.kind); err != nil {
		return fmt.Errorf("restoring --deliver-file: %w", err)
	}
	return nil
}

// sameDirectory refuses to write by PATH once its directory is not the one
// rotate began with: someone who can write a directory above it may have
// moved it away and put another in its place, and a write by name would
// land in theirs.
func (d *deliveryFile) sameDirectory() error {
	now, err := os.Stat(filepath.Dir(d.path))
	if err != nil || !os.SameFile(now, d.dir) {
		return errors.New("its directory was replaced since rotate began (moved, or put in place of another): nothing was written there")
	}
	return nil
}

// abandon removes what was made for a secret that was not delivered: the
// temporary file, the .previous copy and the record.
func (d *deliveryFile) abandon() {
	if d == nil || d.delivered {
		return
	}
	d.tmp.Close()
	os.Remove(d.tmp.Name())
	os.Remove(d.path + previousSuffix)
	d.record.remove()
}

// replaceFile writes content over path, through a new file given kind
// renamed into place: path holds the old content or the new, whole.
func replaceFile(path string, content []byte, kind fileKind) error {
	name, err := writeBeside(path, "."+filepath.Base(path)+".tmp-*", content, &kind)
	if err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return withoutPath(err)
	}
	syncDir(path)
	return nil
}

// restoreDeliveryFile puts PATH.previous back in place of PATH, for a
// rollback run after the rotation's own: the copy must be the one rotate
// keeps (a regular file of this user's, mode 0600, with no other link),
// and the file it replaces keeps its owner, group and mode. A missing
// PATH.previous is an error: nothing was delivered to PATH for a rotation
// still open (a rotation that ends, completed or rolled back, removes it),
// and an older copy may hold a token no longer active.
func restoreDeliveryFile(path string) error {
	if err := checkDirectory(path); err != nil {
		return fmt.Errorf("--deliver-file: %w", err)
	}
	content, info, err := readRegular(path+previousSuffix, maxDeliveryFile+1)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errNoPreviousCopy
	case err != nil:
		return fmt.Errorf("reading the --deliver-file's %s copy: %w", previousSuffix, err)
	case len(content) > maxDeliveryFile:
		return fmt.Errorf("the --deliver-file's %s copy is over %d bytes: not one rotate kept", previousSuffix, maxDeliveryFile)
	}
	if uid, _, ok := ownership(info); ok && (uid != euid() || links(info) != 1) {
		return fmt.Errorf("the --deliver-file's %s copy is not one rotate kept (another user's, or linked elsewhere): "+
			"nothing was restored; check it, and restore the file by hand", previousSuffix)
	}
	current, currentInfo, err := openRegular(path)
	if err != nil {
		return fmt.Errorf("--deliver-file: %w", err)
	}
	current.Close()
	if err := replaceFile(path, content, kindOf(currentInfo)); err != nil {
		return fmt.Errorf("restoring --deliver-file from its %s copy: %w", previousSuffix, err)
	}
	return nil
}

// errNoPreviousCopy is the error of a rollback whose --deliver-file has no
// .previous copy to restore.
var errNoPreviousCopy = fmt.Errorf("--deliver-file has no %s copy: nothing was delivered to it for a rotation still open "+
	"(a rotation that completed or was rolled back removes it); roll back without --deliver-file", previousSuffix)

// removePreviousCopy removes PATH.previous, then PATH.rotating, once the
// rotation they were kept for has ended (completed: the copy holds a token
// now inactive; rolled back: it is what PATH holds), so that no later
// rollback restores it and the next rotation may begin.
func removePreviousCopy(path string) error {
	if err := os.Remove(path + previousSuffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the --deliver-file's %s copy: %w", previousSuffix, withoutPath(err))
	}
	if err := os.Remove(path + recordSuffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the --deliver-file's %s record: %w", recordSuffix, withoutPath(err))
	}
	return nil
}

// writeSynced writes s to f, syncs and closes it.
func writeSynced(f *os.File, s string) error {
	_, err := f.WriteString(s)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir syncs the directory of path, so that a rename into it survives
// a crash; where a directory cannot be synced, the rename stands as it is.
func syncDir(path string) {
	if dir, err := os.Open(filepath.Dir(path)); err == nil {
		_ = dir.Sync()
		dir.Close()
	}
}

// runShell runs line with sh -c, as a CI step would, in a process group of
// its own that is killed whole when ctx ends or timeout passes. stdin is
// all it is given of ours: its environment is this process's without the
// access token. Its output (stdout and stderr) goes to out, or is
// discarded when out is nil, since a command that reads a secret may
// print it.
func runShell(ctx context.Context, line, stdin string, timeout time.Duration, out io.Writer) error {
	run, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(run, "sh", "-c", line)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	cmd.Env = withoutAccessToken(os.Environ())
	if out != nil {
		cmd.Stdout, cmd.Stderr = out, out
	}
	cmd.WaitDelay = time.Second // a child that keeps stdin open does not hold the run
	ownProcessGroup(cmd)
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("killed: %w", ctx.Err())
	case run.Err() != nil:
		return fmt.Errorf("killed after %s", timeout)
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return fmt.Errorf("exited with status %d", exit.ExitCode())
	case errors.As(err, &exit):
		return fmt.Errorf("ended by a signal (%s)", exit.ProcessState)
	}
	return fmt.Errorf("could not be run: %w", withoutPath(err))
}

// withoutAccessToken is env without $LOSANT_API_TOKEN: a command rotate
// runs acts on the services, not on the API.
func withoutAccessToken(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, tokenEnv+"=") {
			out = append(out, kv)
		}
	}
	return out
}
