//go:build unix

package losanttest_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/losanttest"
)

// A fixtures path that is a device, a FIFO with no writer or a directory
// is refused at once, without reading it or waiting for a writer, and the
// error quotes no path.
func TestFixturesThatAreNotRegularFilesAreRefusedAtOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fixtures.json")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	for name, path := range map[string]string{"device": "/dev/zero", "FIFO": fifo, "directory": dir} {
		t.Run(name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := losanttest.LoadFixtures(path)
				done <- err
			}()
			select {
			case err := <-done:
				assert.ErrorContains(t, err, "not a regular file")
				if err != nil {
					assert.NotContains(t, err.Error(), path)
				}
			case <-time.After(30 * time.Second): // a hang guard, not a timing check
				t.Fatal("LoadFixtures still reading or waiting")
			}
		})
	}
}

// A fixtures file over MaxFixturesBytes is refused, saying the limit.
func TestFixturesOverTheLimitAreRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "fixtures.json")
	f, err := os.Create(path)
	require.NoError(t, err)
	_, err = f.WriteString(`{"users": [`)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(losanttest.MaxFixturesBytes+1)) // sparse: zeros after the start
	require.NoError(t, f.Close())
	_, err = losanttest.LoadFixtures(path)
	assert.ErrorContains(t, err, "over 16 MiB")
	if err != nil {
		assert.NotContains(t, err.Error(), path)
	}
}
