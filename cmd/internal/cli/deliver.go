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

// maxDeliveryFile bounds what a --deliver-file may hold: a token and a
// newline, or a small config a person keeps beside it.
const maxDeliveryFile = 64 << 10

// deliveryFile is the file --deliver-file names: the one the services read
// their token from. Before the successor is made, its content is copied to
// PATH.previous (mode 0600) and a temporary file is made beside it, so
// that a directory that cannot be written fails before anything is made.
// The secret is then written to the temporary file, synced and renamed
// over PATH: a reader sees the old secret or the new one, whole.
type deliveryFile struct {
	path      string
	tmp       *os.File
	delivered bool // PATH holds the successor's secret
}

// prepareDeliveryFile checks the file at path and keeps its content in
// PATH.previous; nil when path is empty (no --deliver-file).
func prepareDeliveryFile(path string) (*deliveryFile, error) {
	if path == "" {
		return nil, nil
	}
	fail := func(err error) error {
		return usageError{fmt.Errorf("--deliver-file: %w; nothing was made", withoutPath(err))}
	}
	info, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fail(errors.New("no such file: give the file the services read their token from now, whose content is kept for a rollback"))
	case err != nil:
		return nil, fail(err)
	case !info.Mode().IsRegular():
		return nil, fail(errors.New("not a regular file (a link, a directory or a device): give the file itself"))
	}
	if err := copyFile(path, path+previousSuffix); err != nil {
		return nil, fail(fmt.Errorf("keeping its content beside it: %w", err))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return nil, fail(fmt.Errorf("cannot write beside it: %w", err))
	}
	return &deliveryFile{path: path, tmp: tmp}, nil
}

// deliver writes secret to the file. On an error the file is as it was.
func (d *deliveryFile) deliver(secret string) error {
	defer os.Remove(d.tmp.Name()) // renamed into place, or abandoned
	err := writeSynced(d.tmp, secret+"\n")
	if err == nil {
		err = os.Rename(d.tmp.Name(), d.path)
	}
	if err != nil {
		return fmt.Errorf("writing --deliver-file: %w", withoutPath(err))
	}
	d.delivered = true
	syncDir(d.path)
	return nil
}

// abandon removes the temporary file of a secret that was not delivered.
func (d *deliveryFile) abandon() {
	if d != nil && !d.delivered {
		d.tmp.Close()
		os.Remove(d.tmp.Name())
	}
}

// restoreDeliveryFile puts PATH.previous back in place of PATH, whole. A
// missing PATH.previous is an error: nothing was delivered to PATH for a
// rotation still open (a rotation that ends, completed or rolled back,
// removes it), and an older copy may hold a token no longer active.
func restoreDeliveryFile(path string) error {
	if _, err := os.Lstat(path + previousSuffix); errors.Is(err, fs.ErrNotExist) {
		return errNoPreviousCopy
	}
	if err := copyFile(path+previousSuffix, path); err != nil {
		return fmt.Errorf("restoring --deliver-file from its %s copy: %w", previousSuffix, withoutPath(err))
	}
	return nil
}

// errNoPreviousCopy is the error of a rollback whose --deliver-file has no
// .previous copy to restore.
var errNoPreviousCopy = fmt.Errorf("--deliver-file has no %s copy: nothing was delivered to it for a rotation still open "+
	"(a rotation that completed or was rolled back removes it); roll back without --deliver-file", previousSuffix)

// removePreviousCopy removes PATH.previous once the rotation it was kept
// for has ended (completed: it holds a token now inactive; rolled back: it
// is what PATH holds), so that no later rollback restores it.
func removePreviousCopy(path string) error {
	if err := os.Remove(path + previousSuffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the --deliver-file's %s copy: %w", previousSuffix, withoutPath(err))
	}
	return nil
}

// copyFile writes what from holds to to, mode 0600, through a temporary
// file beside it renamed into place: to holds the old content or the new.
func copyFile(from, to string) error {
	content, err := readFileLimited(from, maxDeliveryFile+1)
	if err != nil {
		return withoutPath(err)
	}
	if len(content) > maxDeliveryFile {
		return fmt.Errorf("over %d bytes: not a token file", maxDeliveryFile)
	}
	tmp, err := os.CreateTemp(filepath.Dir(to), "."+filepath.Base(to)+".tmp-*")
	if err != nil {
		return withoutPath(err)
	}
	defer os.Remove(tmp.Name())
	if err := writeSynced(tmp, string(content)); err != nil {
		return withoutPath(err)
	}
	if err := os.Rename(tmp.Name(), to); err != nil {
		return withoutPath(err)
	}
	syncDir(to)
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
