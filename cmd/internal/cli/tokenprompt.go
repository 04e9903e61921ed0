package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/specdriven/losant/tokenfile"
)

// tokenPrompt is what --token-file - asks on a terminal.
const tokenPrompt = "losant-tokens: access token (not shown): "

// readTokenFromTerminal reads the access token for --token-file - from the
// terminal that is stdin, with its echo off (read), and checks it as a
// token file's content is checked.
func readTokenFromTerminal(ctx context.Context, read func(ctx context.Context, prompt string) (string, error)) (string, error) {
	line, err := read(ctx, tokenPrompt)
	switch {
	case ctx.Err() != nil:
		return "", fmt.Errorf("interrupted while asking for the access token: nothing was sent: %w", ctx.Err())
	case err != nil:
		return "", usageError{fmt.Errorf("--token-file -: %w", withoutPath(err))}
	}
	return tokenFrom("--token-file -", "what was typed", []byte(line))
}

// readLine reads one line from r, at most tokenfile.MaxBytes bytes, or returns
// once ctx ends, leaving the read behind (a terminal's read cannot be
// interrupted; the process is about to end).
func readLine(ctx context.Context, r io.Reader) (string, error) {
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		line, err := bufio.NewReader(io.LimitReader(r, tokenfile.MaxBytes+1)).ReadString('\n')
		if errors.Is(err, io.EOF) && line != "" {
			err = nil // Ctrl-D after the token
		}
		done <- result{line, err}
	}()
	select {
	case r := <-done:
		if errors.Is(r.err, io.EOF) {
			return "", errors.New("no token was typed")
		}
		return strings.TrimSuffix(r.line, "\n"), r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
