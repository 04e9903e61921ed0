package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/specdriven/losant/tokenfile"
)

// tokenCommandTimeout bounds a --token-command: a credential helper that
// asks a vault answers in seconds, and one that hangs must not hold the
// command line.
const tokenCommandTimeout = 30 * time.Second

// maxTokenCommandStderr bounds what of a --token-command's stderr is
// passed on.
const maxTokenCommandStderr = 4 << 10

// runTokenCommand runs --token-command once, as AWS's credential_process
// and kubectl's exec plugins run theirs, and takes the access token from
// its stdout, trimmed as a token file is: the token need sit neither in
// the environment nor in a file. The command runs with sh -c, with no
// stdin, this process's environment (which has no $LOSANT_API_TOKEN) and
// a process group of its own killed whole once it has exited, outlasted
// tokenCommandTimeout or the run was interrupted. Its stdout is read up to
// one byte past tokenfile.MaxBytes and never echoed; its stderr, up to
// maxTokenCommandStderr, is passed on once it has ended, escaped and with
// the token cut out, so that it can say why it failed.
func (c *commands) runTokenCommand(ctx context.Context) (string, error) {
	timeout := c.env.tokenCommandTimeout
	if timeout == 0 {
		timeout = tokenCommandTimeout
	}
	run, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(run, "sh", "-c", c.g.tokenCommand)
	cmd.Env = withoutAccessToken(os.Environ())
	stdout := &cappedBuffer{limit: tokenfile.MaxBytes + 1}
	stderr := &cappedBuffer{limit: maxTokenCommandStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = time.Second // a child that keeps the pipes open does not hold the run
	ownProcessGroup(cmd)
	err := cmd.Run()
	killGroup(cmd) // in every path: a child left running holds nothing of ours
	if errors.Is(err, exec.ErrWaitDelay) {
		// The command exited 0 and a child of it kept stdout open: what
		// it printed before it exited is the token.
		err = nil
	}
	token, tokenErr := tokenFrom("--token-command", "its output", stdout.Bytes())
	c.passOnStderr(stderr, token)
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return "", fmt.Errorf("interrupted while --token-command ran: nothing was sent: %w", ctx.Err())
	case run.Err() != nil:
		return "", usageError{fmt.Errorf("--token-command was killed after %s: nothing was sent", timeout)}
	case errors.As(err, &exit):
		return "", usageError{fmt.Errorf("--token-command failed (%s): nothing was sent", exit.ProcessState)}
	case err != nil:
		return "", usageError{fmt.Errorf("--token-command could not be run: %w", withoutPath(err))}
	}
	return token, tokenErr
}

// passOnStderr writes what a --token-command wrote on stderr to ours, each
// line after the program's name and escaped, with token (when it printed
// one) cut out: a helper that echoes what it fetched does not reach a log.
func (c *commands) passOnStderr(stderr *cappedBuffer, token string) {
	text := strings.TrimRight(stderr.String(), "\n")
	if text == "" {
		return
	}
	if token != "" {
		text = strings.ReplaceAll(text, token, "[the access token]")
	}
	for _, line := range strings.Split(text, "\n") {
		c.env.warnf("--token-command: %s", safe(line))
	}
	if stderr.dropped > 0 {
		c.env.warnf("--token-command: (%d more bytes of its stderr were dropped)", stderr.dropped)
	}
}

// cappedBuffer keeps the first limit bytes written to it and counts the
// rest, which it drops: a writer that never blocks its command and never
// grows past limit. (It holds its buffer rather than embedding one, whose
// ReadFrom io.Copy would call instead of Write.)
type cappedBuffer struct {
	buf     bytes.Buffer
	limit   int
	dropped int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	keep := min(len(p), max(b.limit-b.buf.Len(), 0))
	b.buf.Write(p[:keep])
	b.dropped += len(p) - keep
	return len(p), nil
}

// Bytes is what was kept.
func (b *cappedBuffer) Bytes() []byte { return b.buf.Bytes() }

// String is what was kept, as text.
func (b *cappedBuffer) String() string { return b.buf.String() }
