//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// -fixtures naming a device or a FIFO with no writer stops losant-fake by
// itself, with exit status 2 and an error that says why: it neither reads
// the device until memory runs out nor waits for a writer.
func TestFixturesThatCannotBeReadStopTheFake(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fixtures.json")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	for name, path := range map[string]string{"device": "/dev/zero", "FIFO": fifo} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang guard, not a timing check
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-addr", "127.0.0.1:0", "-fixtures", path)
			cmd.Env = append(os.Environ(), runMainEnv+"=1")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			require.NoError(t, ctx.Err(), "losant-fake did not stop by itself")
			var exit *exec.ExitError
			require.True(t, errors.As(err, &exit), "%v", err)
			assert.Equal(t, 2, exit.ExitCode())
			assert.Contains(t, stderr.String(), "not a regular file")
			assert.NotContains(t, stderr.String(), path)
			assert.NotContains(t, stdout.String(), "serving")
		})
	}
}
