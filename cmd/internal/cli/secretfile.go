package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/limits"
)

// secretFile is the file --secret-file names. Its name is reserved before
// the token is made (created O_EXCL, mode 0600, empty, in a directory no
// one else can write), so that a secret is never made with nowhere to go
// and no one can take the name meanwhile; the secret is written to a new
// file beside it, synced, and renamed over the reserved name, which then
// holds the whole secret or nothing. A secret is never printed in its
// place: when the rename fails, the new file keeps it and is named.
type secretFile struct {
	path string
	held *os.File // the reserved name's file
}

// newSecretFile reserves the file at path; a zero secretFile when path is
// empty (the secret is printed).
func newSecretFile(path string) (*secretFile, error) {
	switch path {
	case "":
		return &secretFile{}, nil // not given (an empty value is refused as a flag)
	case "-":
		return nil, usageError{errors.New("--secret-file -: without --secret-file the secret goes to stdout; give a file's path")}
	}
	if err := checkDirectory(path); err != nil {
		return nil, usageError{fmt.Errorf("--secret-file: %w; nothing was made", err)}
	}
	held, _, err := openFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	switch {
	case errors.Is(err, fs.ErrExist):
		return nil, usageError{errors.New("--secret-file names a file that exists: give a new file, so that no secret is overwritten")}
	case err != nil:
		return nil, usageError{fmt.Errorf("--secret-file: %w", err)}
	}
	return &secretFile{path: path, held: held}, nil
}

// keep writes t's secret to the file and takes it off t, so that it is
// printed nowhere. Without a file it does nothing. On an error the secret
// is off t too, and the error, a *secretNotKept, says where it is.
func (s *secretFile) keep(t *gen.APIToken) error {
	if s.held == nil {
		return nil
	}
	secret := t.Token
	t.Token = "" // in the file, or in no output
	name, err := writeBeside(s.path, ".losant-secret-*", []byte(secret+"\n"), nil)
	if err != nil {
		s.abandon()
		return &secretNotKept{id: t.ID, err: err}
	}
	if !stillNamed(s.held, s.path) {
		err = errors.New("the name was taken over since it was reserved")
	} else if err = os.Rename(name, s.path); err != nil {
		removeIfStill(s.held, s.path) // the empty reservation
	}
	s.held.Close()
	if err != nil {
		return &secretNotKept{id: t.ID, err: withoutPath(err), in: filepath.Base(name)}
	}
	syncDir(s.path)
	return nil
}

// abandon removes the reserved name of a token that was not made, or
// whose secret did not reach it.
func (s *secretFile) abandon() {
	if s.held != nil {
		removeIfStill(s.held, s.path)
		s.held.Close()
	}
}

// secretNotKept is the error of a secret --secret-file did not take: in
// names the new file beside it that holds it instead, or is "" when it is
// lost (a full disk: it is printed nowhere, not even then).
type secretNotKept struct {
	id  string
	err error
	in  string
}

func (e *secretNotKept) Error() string {
	if e.in != "" {
		return fmt.Sprintf("writing --secret-file failed (%v): the secret of %s is in %s, a new file (mode 0600) in --secret-file's directory", e.err, safe(e.id), e.in)
	}
	return fmt.Sprintf("writing --secret-file failed (%v): the secret of %s is lost, printed nowhere", e.err, safe(e.id))
}

func (e *secretNotKept) Unwrap() error { return e.err }

// maxSecret bounds a secret the API sends: a Losant token is a JWT of a
// few hundred bytes.
const maxSecret = 4096

// secretProblem says what is wrong with a secret the API sent, before it
// goes to any file, command or output; "" when it is token-shaped: a
// bearer token's characters (RFC 6750's b64token: letters, digits and
// -._~+/, then = padding), within maxSecret bytes. No white space, no
// control or format character, nothing a file or a shell reads as more.
func secretProblem(secret string) string {
	switch {
	case secret == "":
		return "it is empty"
	case len(secret) > maxSecret:
		return fmt.Sprintf("it is over %d bytes", maxSecret)
	}
	body := strings.TrimRight(secret, "=")
	if body == "" {
		return "it is only padding"
	}
	for i := 0; i < len(body); i++ {
		switch b := body[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', strings.IndexByte("-._~+/", b) >= 0:
		default:
			return fmt.Sprintf("it holds a character no token has (byte %d)", i)
		}
	}
	return ""
}

// secretProblem is what the function secretProblem finds, and beyond it
// a secret that holds the access token this run sent, or is a part of it:
// a server that answers a create with the operator's own token would have
// it delivered to the services.
func (c *commands) secretProblem(secret string) string {
	if problem := secretProblem(secret); problem != "" {
		return problem
	}
	if c.env.hide.holdsToken(secret) || c.env.hide.partOfToken(secret) {
		return "it holds the access token this command sent, or a part of it"
	}
	return ""
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

// untokenlikeSecret is the error of token t, made by the API with a
// secret that is not a token (problem): the secret is dropped, written,
// piped and printed nowhere, and t, of no use, is named with the command
// that deletes it; then is what to do after.
func (c *commands) untokenlikeSecret(t *gen.APIToken, problem, then string) error {
	t.Token = ""
	id, del := "(named with what is not an ID)", "find it with "+c.rerun("list")+" and delete it"
	if limits.ObjectIDProblem(t.ID) == "" {
		id, del = t.ID, "delete it with "+c.rerun("delete", "--yes", t.ID)
	}
	return &unfinishedError{fmt.Errorf("the API answered with a secret that is not a token (%s): it was written, piped and printed nowhere. "+
		"Token %s was made and cannot be used: %s, then %s", problem, id, del, then)}
}
