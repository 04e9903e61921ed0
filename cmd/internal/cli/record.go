package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/specdriven/losant/internal/shipped/limits"
)

// rotationRecord is PATH.rotating, the record of a rotation open on a
// --deliver-file: made O_EXCL, so that of two rotations of one file only
// one begins, and kept open for the run, it names the predecessor and,
// once the create has answered, the successor. A run that is killed
// leaves it, and the next rotation names what it records.
type rotationRecord struct {
	name string
	f    *os.File
	pred string
}

// newRotationRecord records a rotation of predID open on the file at
// path; a rotation already recorded is an *openRotationError.
func newRotationRecord(path, predID string) (*rotationRecord, error) {
	name := path + recordSuffix
	f, _, err := openFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL)
	if errors.Is(err, fs.ErrExist) {
		return nil, readRotationRecord(name)
	}
	if err != nil {
		return nil, usageError{fmt.Errorf("--deliver-file: cannot write beside it: %w; nothing was made", err)}
	}
	return &rotationRecord{name: name, f: f, pred: predID}, nil
}

// successor records the rotation and its successor, once made: until
// then the record is empty, a rotation whose successor is not known.
func (r *rotationRecord) successor(id string) error {
	_, err := r.f.WriteAt([]byte(r.pred+" "+id+"\n"), 0)
	if err == nil {
		err = r.f.Sync()
	}
	return withoutPath(err)
}

// remove removes the record, if it is still this run's.
func (r *rotationRecord) remove() {
	if r != nil {
		removeIfStill(r.f, r.name)
		r.f.Close()
	}
}

// readRotationRecord is the open rotation the record at name names.
func readRotationRecord(name string) *openRotationError {
	b, _, err := readRegular(name, 128)
	if err != nil {
		return &openRotationError{}
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 {
		return &openRotationError{unrecorded: true}
	}
	if len(fields) != 2 || limits.ObjectIDProblem(fields[0]) != "" || limits.ObjectIDProblem(fields[1]) != "" {
		return &openRotationError{}
	}
	return &openRotationError{pred: fields[0], succ: fields[1]}
}

// checkRecordFor refuses to finish or undo, on the file at path, a
// rotation other than pred's to succ when the file's record names
// another.
func checkRecordFor(path, pred, succ string) error {
	if _, err := os.Lstat(path + recordSuffix); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	open := readRotationRecord(path + recordSuffix)
	if open.unrecorded || open.pred == pred && open.succ == succ {
		return nil
	}
	return usageError{fmt.Errorf("the --deliver-file's %s record names another rotation (of %s to %s): nothing was changed",
		recordSuffix, orUnknown(open.pred), orUnknown(open.succ))}
}

func orUnknown(id string) string {
	if id == "" {
		return "an unknown token"
	}
	return id
}

// openRotationError is the error of a rotation refused because another
// is open on the same --deliver-file: its record names pred and succ, or
// is empty (unrecorded: its create had not answered), or cannot be read
// (neither), or only its .previous copy is left (heldCopy).
type openRotationError struct {
	pred, succ string
	unrecorded bool
	heldCopy   bool
}

func (e *openRotationError) Error() string {
	if e.heldCopy {
		return "--deliver-file has a " + previousSuffix + " copy, kept by a rotation still open or one that was stopped"
	}
	return "--deliver-file has a rotation open (its " + recordSuffix + " record names it)"
}

// openRotation is the error of a rotation refused because e is open: it
// names what the record names and the commands that undo or finish it.
func (c *commands) openRotation(e *openRotationError) error {
	const nothing = "; nothing was made"
	switch {
	case e.heldCopy:
		return &unfinishedError{fmt.Errorf("%w: undo that rotation with %s, or, if none is open, remove the copy by hand%s",
			e, c.rerun("rotate", "TOKEN_ID", "--rollback", "SUCCESSOR_ID", "--deliver-file", "FILE"), nothing)}
	case e.pred != "" && e.succ != "":
		return &unfinishedError{fmt.Errorf("%w: a rotation of %s to successor %s, begun earlier (by another run, or one that was stopped). "+
			"Undo it with: %s; or, once its secret is in place everywhere, finish it with: %s%s", e, e.pred, e.succ,
			c.rerun("rotate", e.pred, "--rollback", e.succ, "--deliver-file", "FILE"),
			c.rerun("rotate", e.pred, "--complete", e.succ, "--deliver-file", "FILE"), nothing)}
	case e.unrecorded:
		return &unfinishedError{fmt.Errorf("%w: a rotation whose successor is not recorded (under way in another run, or stopped before its create answered). "+
			"If no other run is rotating a token delivered there, look for a successor made since (%s) and delete it; "+
			"then remove the --deliver-file's %s and %s files by hand%s", e, c.rerun("list"), recordSuffix, previousSuffix, nothing)}
	}
	return &unfinishedError{fmt.Errorf("%w, which cannot be read: check it, and remove it by hand if no rotation is open%s", e, nothing)}
}
