package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

// A spool past spoolMemory moves to a temporary file, gives its rows back
// in order, and leaves no file once closed.
func TestSpoolSpillsToAFileAndCleansUp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s := newSpool[gen.APIToken]()
	const n = 5000 // well past spoolMemory
	for i := range n {
		require.NoError(t, s.put(&gen.APIToken{ID: fmt.Sprintf("%024x", i), Name: fmt.Sprintf("token %d with a name long enough to fill the memory", i)}))
	}
	require.NotNil(t, s.file, "spilled")
	assert.Zero(t, s.mem.Cap(), "its memory freed")
	i := 0
	for tok, err := range s.rows() {
		require.NoError(t, err)
		require.Equal(t, fmt.Sprintf("%024x", i), tok.ID)
		i++
	}
	assert.Equal(t, n, i)
	s.close()
	left, err := filepath.Glob(filepath.Join(tmp, "losant-tokens-sweep-*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no file left")

	small := newSpool[gen.APIToken]()
	require.NoError(t, small.put(&gen.APIToken{ID: "a"}))
	assert.Nil(t, small.file, "a small owner stays in memory")
	small.close()
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

// With owners spooled to files, an owner whose read fails midway is
// printed not at all, the others whole, and no file is left.
func TestAllOwnersSpooledToFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	defer func(n int) { spoolMemory = n }(spoolMemory)
	spoolMemory = 1 << 10
	w := newWorld(t)
	apps := withApps(w, 3, 150) // two pages each
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.For(losanttest.ListApplicationAPITokens), losanttest.Nth(3), losanttest.Times(1))
	r := runCLI(t, w, "list", "--all-owners", "--concurrency", "1", "-o", "json")
	assert.Equal(t, exitSomeOwners, r.code, r.stderr)
	got := decodeSweep(t, r.stdout).tokensByOwner()
	assert.NotContains(t, got, "application "+apps[0], "nothing of the failed owner")
	assert.Len(t, got["application "+apps[1]], 150)
	assert.Len(t, got["application "+apps[2]], 150)
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, entries, "no spool left")
}
