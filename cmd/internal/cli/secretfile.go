package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/specdriven/losant"
)

// secretFile is the file --secret-file names. Its temporary file, beside
// it and readable only by its owner, is made before the token is, so that
// a secret is never made with nowhere to go; the secret is written there,
// synced, and then linked into place, which fails rather than overwrite a
// file. The path holds the whole secret or nothing.
type secretFile struct {
	path string
	tmp  *os.File
}

// newSecretFile prepares the file at path; a zero secretFile when path is
// empty (the secret is printed).
func newSecretFile(path string) (*secretFile, error) {
	switch path {
	case "":
		return &secretFile{}, nil // not given (an empty value is refused as a flag)
	case "-":
		return nil, usageError{errors.New("--secret-file -: without --secret-file the secret goes to stdout; give a file's path")}
	}
	if _, err := os.Lstat(path); err == nil {
		return nil, usageError{errors.New("--secret-file names a file that exists: give a new file, so that no secret is overwritten")}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, usageError{fmt.Errorf("--secret-file: %w", withoutPath(err))}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return nil, usageError{fmt.Errorf("--secret-file: cannot write beside it: %w", withoutPath(err))}
	}
	return &secretFile{path: path, tmp: tmp}, nil
}

// keep writes t's secret to the file and takes it off t, so that it is
// printed nowhere. Without a file it does nothing. On an error the path
// is left absent, and the secret on t, to be printed with the error.
func (s *secretFile) keep(t *losant.APIToken) error {
	if s.tmp == nil {
		return nil
	}
	defer os.Remove(s.tmp.Name()) // linked into place, or abandoned
	_, err := s.tmp.WriteString(t.Token + "\n")
	if err == nil {
		err = s.tmp.Sync()
	}
	if cerr := s.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(s.tmp.Name(), s.path) // fails if the path exists: never overwrites
	}
	if err != nil {
		return &actedError{fmt.Errorf("token %s was made, but writing --secret-file failed (%w): its secret is printed instead", safe(t.ID), withoutPath(err))}
	}
	t.Token = ""
	return nil
}

// abandon removes the temporary file of a token that was not made.
func (s *secretFile) abandon() {
	if s.tmp != nil {
		s.tmp.Close()
		os.Remove(s.tmp.Name())
	}
}

// secretGoesSomewhere refuses, before a token is made, an output that
// would print only IDs while no --secret-file takes the one-time secret.
func (c *commands) secretGoesSomewhere(p printer, secretTo string) error {
	switch {
	case secretTo != "":
		return nil
	case p.format == formatIDs:
		return usageError{errors.New("-o ids prints no secret, and the new one would be lost: give --secret-file, or -o json or table")}
	case c.env.discards:
		return usageError{errors.New("stdout is /dev/null (or closed), and the new secret would be lost: give --secret-file")}
	}
	return nil
}

// outputLost is the error of a command whose output failed after the API
// acted: it names what now exists (IDs, never a secret) and what to do,
// on stderr, since stdout failed; its exit status (8) says not to rerun.
func (c *commands) outputLost(err error, secretLost bool, made, todo string) error {
	what := made + ", but writing the output failed"
	if secretLost {
		what += ", and its secret, printed nowhere else, is lost"
	}
	return &actedError{fmt.Errorf("%s: %s: %w", what, todo, err)}
}
