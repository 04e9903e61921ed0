package cli

import (
	"strings"
	"sync"
)

// maxCheckOutput bounds what of a failing --check's output reaches the
// operator: its end, where a failure is said.
const maxCheckOutput = 4 << 10

// successorSecretPlaceholder stands for the successor's secret in a
// --check's output: the check may read the file it was delivered to.
const successorSecretPlaceholder = "[the successor's secret]"

// outputTail keeps the end of what a command writes on stdout and stderr:
// maxCheckOutput bytes, and enough before them to find the secret whole
// where it straddles the cut.
type outputTail struct {
	mu      sync.Mutex
	secret  string
	buf     []byte
	dropped bool
}

func newOutputTail(secret string) *outputTail { return &outputTail{secret: secret} }

func (t *outputTail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if keep := maxCheckOutput + len(t.secret); len(t.buf) > keep {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-keep:]...)
		t.dropped = true
	}
	return len(p), nil
}

// said is the end of the output, at most maxCheckOutput bytes, with the
// secret cut out, and a leading "..." when its start was dropped; empty
// when the command wrote nothing. It is text for a terminal: the caller
// escapes it (safe) where it is printed.
func (t *outputTail) said() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := string(t.buf)
	if t.dropped && t.secret != "" {
		out = out[len(t.secret)-1:] // what may be the end of a secret cut in two
	}
	if t.secret != "" {
		out = strings.ReplaceAll(out, t.secret, successorSecretPlaceholder)
	}
	if len(out) > maxCheckOutput {
		out, t.dropped = out[len(out)-maxCheckOutput:], true
	}
	if out = strings.TrimRight(out, "\n"); out != "" && t.dropped {
		out = "..." + out
	}
	return out
}

// checkOutput is the end of a failed --check's output for its error, in
// quotes and escaped (one line of a message, whatever it printed); empty
// when it printed nothing.
func checkOutput(t *outputTail) string {
	said := t.said()
	if said == "" {
		return ""
	}
	return "; the end of its output: \"" + safe(said) + "\""
}
