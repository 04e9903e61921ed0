package losanttest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/specdriven/losant/gen"
)

// Fixtures is the data a server starts with (WithFixtures). Its JSON form
// is the fixtures file of cmd/losant-fake (see testdata/fixtures.json).
type Fixtures struct {
	Users        []User        `json:"users"`
	Applications []Application `json:"applications"`
	Instances    []Instance    `json:"instances"`
	Tokens       []Token       `json:"tokens"`
}

// User is a Losant user. The zero ID is filled with a new one.
type User struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// Application is a Losant application, owned by a user, in whose sandbox
// it is (ownerType user): its owner's user tokens reach its tokens and
// list it (GET /applications). The zero ID is filled with a new one.
type Application struct {
	ID string `json:"id"`
	// Name is "application <ID>" when zero; at most 255 characters.
	Name    string `json:"name"`
	OwnerID string `json:"ownerId"` // the owning user's ID
	// Description is optional; at most 1 024 characters.
	Description string `json:"description,omitempty"`
	// CreationDate is when the application was made, and its lastUpdated
	// too (the fake never changes an application); when zero, the time its
	// ID holds, as an ObjectId does: a new ID's is now, to the second.
	CreationDate time.Time `json:"creationDate,omitzero"`
}

// Instance is a Losant Enterprise instance. Members are the IDs of the
// users who belong to it: their user tokens reach the instance's tokens
// and list it (GET /instances). The zero ID is filled with a new one.
type Instance struct {
	ID string `json:"id"`
	// Name is "instance <ID>" when zero; at most 255 characters.
	Name    string   `json:"name"`
	Members []string `json:"members"`
	// MemberRoles gives a member's role by user ID: admin or view. A
	// member it leaves out is an admin, who may manage the instance's
	// tokens, as every member's tokens may in the fake.
	MemberRoles map[string]gen.InstanceMemberRole `json:"memberRoles,omitempty"`
	// CreationDate is when the instance was made, and its lastUpdated too
	// (the fake never changes an instance); when zero, the time its ID
	// holds, as an ObjectId does: a new ID's is now, to the second.
	CreationDate time.Time `json:"creationDate,omitzero"`
}

// Token is an API token: the record the API's actions work on, and the
// bearer credential a request presents (Secret). A token authenticates
// requests while it is active and not expired, and reaches what its owner
// reaches, with its scopes, which must be scopes the API knows.
type Token struct {
	// ID is filled with a new one when zero.
	ID string `json:"id"`
	// Name is "token <ID>" when zero; at most 255 characters.
	Name        string                `json:"name"`
	Description string                `json:"description,omitempty"`
	OwnerType   gen.APITokenOwnerType `json:"ownerType"`
	OwnerID     string                `json:"ownerId"`
	Scope       []string              `json:"scope"`
	// Status is active when zero.
	Status         gen.APITokenStatus `json:"status,omitempty"`
	ExpirationDate *time.Time         `json:"expirationDate,omitempty"`
	// CreationDate is when the token was made; now when zero. An earlier
	// one gives a token with a lifetime, or one made before a test began.
	CreationDate time.Time `json:"creationDate,omitzero"`
	// Secret is the bearer token string: printable ASCII, no spaces. The
	// zero Secret is filled with a new random one.
	Secret string `json:"token"`
}

// LoadFixtures reads a fixtures file strictly: an unknown key, a null or
// trailing data is an error that names the entry and field
// ("tokens[2].email"). It reads a regular file of at most MaxFixturesBytes
// and refuses a device, a FIFO or a directory before reading a byte. No
// error quotes the path.
func LoadFixtures(path string) (Fixtures, error) {
	data, err := readFixtures(path)
	if err != nil {
		return Fixtures{}, fmt.Errorf("losanttest: fixtures: %w", err)
	}
	f, err := decodeFixtures(data)
	if err != nil {
		return Fixtures{}, fmt.Errorf("losanttest: fixtures: %w", err)
	}
	return f, nil
}

// readFixtures reads the regular file at path, at most MaxFixturesBytes.
// It opens it non-blocking, so that a FIFO without a writer is opened at
// once, and then refused as not a regular file.
func readFixtures(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, withoutPath(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, withoutPath(err)
	}
	if mode := info.Mode(); !mode.IsRegular() {
		return nil, fmt.Errorf("not a regular file but %s", fileKind(mode))
	}
	tooLarge := fmt.Errorf("over %d MiB (MaxFixturesBytes)", MaxFixturesBytes>>20)
	if info.Size() > MaxFixturesBytes {
		return nil, tooLarge
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFixturesBytes+1))
	if err != nil {
		return nil, withoutPath(err)
	}
	if len(data) > MaxFixturesBytes { // it grew after the Stat
		return nil, tooLarge
	}
	return data, nil
}

// fileKind names what a file that is not a regular one is.
func fileKind(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// withoutPath is err without the path an *fs.PathError quotes: the
// operation and the cause, which errors.Is still finds (fs.ErrNotExist).
func withoutPath(err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return fmt.Errorf("%s: %w", pathErr.Op, pathErr.Err)
	}
	return err
}

// decodeFixtures decodes the fixtures object, each entry on its own so
// that an error can say which.
func decodeFixtures(data []byte) (Fixtures, error) {
	var raw struct {
		Users        []json.RawMessage `json:"users"`
		Applications []json.RawMessage `json:"applications"`
		Instances    []json.RawMessage `json:"instances"`
		Tokens       []json.RawMessage `json:"tokens"`
	}
	if err := refuseNulls("", data); err != nil {
		return Fixtures{}, err
	}
	if err := decodeStrict(data, &raw); err != nil {
		return Fixtures{}, err
	}
	var f Fixtures
	var err error
	if f.Users, err = decodeEntries[User]("users", raw.Users); err != nil {
		return f, err
	}
	if f.Applications, err = decodeEntries[Application]("applications", raw.Applications); err != nil {
		return f, err
	}
	if f.Instances, err = decodeEntries[Instance]("instances", raw.Instances); err != nil {
		return f, err
	}
	f.Tokens, err = decodeEntries[Token]("tokens", raw.Tokens)
	return f, err
}

func decodeEntries[T any](list string, raw []json.RawMessage) ([]T, error) {
	out := make([]T, len(raw))
	for i, entry := range raw {
		if err := refuseNulls(fmt.Sprintf("%s[%d]", list, i), entry); err != nil {
			return nil, err
		}
		if err := decodeStrict(entry, &out[i]); err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", list, i, err)
		}
	}
	return out, nil
}

// refuseNulls refuses an object that is null or holds a null as one of
// its values, naming it: where (such as "tokens[2]") and the key. Go would
// read a null as "absent", which a fixture must say by leaving the key out.
func refuseNulls(where string, data []byte) error {
	if isNull(data) && where == "" {
		return errors.New("null, want an object")
	}
	if isNull(data) {
		return fmt.Errorf("%s: null, want an object", where)
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return nil // decodeStrict says what is wrong
	}
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		if value := fields[key]; isNull(value) {
			return fmt.Errorf("%s: null, want a value (leave the key out for none)", strings.TrimPrefix(where+"."+key, "."))
		}
	}
	return nil
}

func isNull(data []byte) bool { return bytes.Equal(bytes.TrimSpace(data), []byte("null")) }

// decodeStrict decodes one JSON value into v, refusing unknown keys and
// anything after the value.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// seed adds fixtures: users first, then applications and instances, then
// tokens. An
// error names the entry by its place, as "tokens[2].scope[0]: ...".
func (s *Server) seed(f Fixtures) error {
	for i, u := range f.Users {
		if _, err := s.store.addUser(u); err != nil {
			return fmt.Errorf("losanttest: fixtures: users[%d].%w", i, err)
		}
	}
	for i, a := range f.Applications {
		if _, err := s.store.addApplication(a); err != nil {
			return fmt.Errorf("losanttest: fixtures: applications[%d].%w", i, err)
		}
	}
	for i, in := range f.Instances {
		if _, err := s.store.addInstance(in); err != nil {
			return fmt.Errorf("losanttest: fixtures: instances[%d].%w", i, err)
		}
	}
	for i, t := range f.Tokens {
		if _, err := s.store.addToken(t); err != nil {
			return fmt.Errorf("losanttest: fixtures: tokens[%d].%w", i, err)
		}
	}
	return nil
}
