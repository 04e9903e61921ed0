package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/specdriven/losant"
)

// secretFile is the file --secret-file names, made before the token is so
// that a secret is never made with nowhere to go: a new file (never one
// that exists), readable only by its owner.
type secretFile struct {
	path string
	f    *os.File
}

// newSecretFile makes the file at path; a zero secretFile when path is
// empty (the secret is printed).
func newSecretFile(path string) (*secretFile, error) {
	switch path {
	case "":
		return &secretFile{}, nil
	case "-":
		return nil, usageError{errors.New("--secret-file -: without --secret-file the secret goes to stdout; give a file's path")}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, usageError{fmt.Errorf("--secret-file %s exists: give a new file, so that no secret is overwritten", safe(path))}
	}
	if err != nil {
		return nil, usageError{fmt.Errorf("--secret-file: %w", err)}
	}
	return &secretFile{path: path, f: f}, nil
}

// keep writes t's secret to the file and takes it off t, so that it is
// printed nowhere. Without a file it does nothing.
func (s *secretFile) keep(t *losant.APIToken) error {
	if s.f == nil {
		return nil
	}
	_, err := s.f.WriteString(t.Token + "\n")
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// The file failed: the secret must not be lost, so it is left on
		// t to be printed, with the error.
		return fmt.Errorf("--secret-file %s: %w (the secret is printed instead)", safe(s.path), err)
	}
	t.Token = ""
	return nil
}

// abandon removes the file of a token that was not made.
func (s *secretFile) abandon() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.path)
	}
}
