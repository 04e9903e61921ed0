package main

import (
	"go/importer"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A renamed method, a changed signature and a removed field are
// incompatible unless acknowledged; an added declaration is not.
func TestIncompatibleChangesAreThoseNotAcknowledged(t *testing.T) {
	old := []string{
		"pkg p, method (*Client) Get(string) error",
		"pkg p, func New(string) *Client",
		"pkg p, type T struct, F int",
	}
	current := []string{
		"pkg p, method (*Client) Fetch(string) error", // renamed
		"pkg p, func New(string, ...Option) *Client",  // changed
		"pkg p, func WithX() Option",                  // added
	}
	removed, unacknowledged := incompatible(old, current, map[string]string{})
	assert.Equal(t, old, removed)
	assert.Equal(t, old, unacknowledged)
	_, unacknowledged = incompatible(old, current, map[string]string{old[0]: "renamed to Fetch", old[2]: "F was never set"})
	assert.Equal(t, []string{old[1]}, unacknowledged)
	_, unacknowledged = incompatible(old, append(current, old...), nil)
	assert.Empty(t, unacknowledged, "only additions")
}

func TestAcknowledgementsNeedAReason(t *testing.T) {
	path := filepath.Join(t.TempDir(), "acks.txt")
	require.NoError(t, os.WriteFile(path, []byte("# comment\npkg p, func A()  # gone: unused\n"), 0o644))
	acks, err := readAcks(path)
	require.NoError(t, err)
	assert.Equal(t, "gone: unused", acks["pkg p, func A()"])
	require.NoError(t, os.WriteFile(path, []byte("pkg p, func A()\n"), 0o644))
	_, err = readAcks(path)
	assert.ErrorContains(t, err, "with a reason")
}

// The listing names methods with their receivers and signatures without
// parameter names, fields with their types, and constants without values.
func TestDeclarationsOfAPackage(t *testing.T) {
	pkg, err := importer.ForCompiler(token.NewFileSet(), "source", nil).Import("container/ring")
	require.NoError(t, err)
	listing := strings.Join(declarations(pkg), "\n")
	assert.Contains(t, listing, "pkg container/ring, func New(int) *Ring")
	assert.Contains(t, listing, "pkg container/ring, method (*Ring) Link(*Ring) *Ring")
	assert.Contains(t, listing, "pkg container/ring, type Ring struct, Value any")
	assert.NotContains(t, listing, "next", "unexported fields are not API")
}
