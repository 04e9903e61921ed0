package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A directory above --deliver-file swapped during the rotation (moved away
// and another made in its place, by someone who can write its parent)
// gets nothing: neither the secret nor the rollback's old content is
// written by name into the new one (red-team finding F4).
func TestASwappedDirectoryOfTheDeliverFileGetsNothing(t *testing.T) {
	for _, step := range []string{"deliver", "restore"} {
		t.Run(step, func(t *testing.T) {
			parent := t.TempDir()
			inner := filepath.Join(parent, "inner")
			require.NoError(t, os.Mkdir(inner, 0o755))
			path := filepath.Join(inner, "tok")
			require.NoError(t, os.WriteFile(path, []byte("OLD\n"), 0o600))
			d, err := prepareDeliveryFile(path, "5a1f0e3b7ae143cd83dc4b02")
			require.NoError(t, err)
			if step == "restore" {
				require.NoError(t, d.deliver("lsnt_successor_secret"))
			}
			require.NoError(t, os.Rename(inner, inner+".real"))
			require.NoError(t, os.Mkdir(inner, 0o777))
			if step == "deliver" {
				require.Error(t, d.deliver("lsnt_successor_secret"))
			} else {
				require.Error(t, d.restore())
			}
			entries, err := os.ReadDir(inner)
			require.NoError(t, err)
			assert.Empty(t, entries, "nothing was written into the directory put in its place")
		})
	}
}
