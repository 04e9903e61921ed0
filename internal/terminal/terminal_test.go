package terminal_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/specdriven/losant/internal/terminal"
)

func TestSafeEscapesWhatATerminalWouldActOn(t *testing.T) {
	assert.Equal(t, "plain é text", terminal.Safe("plain é text"), "printable text is kept")
	assert.Equal(t, `a\x1b[2Jb\nc\u202ed\xff`, terminal.Safe("a\x1b[2Jb\nc\u202ed\xff"))
}

func TestQuoteIsBoundedAndCutsAtACharacter(t *testing.T) {
	assert.Equal(t, `"a\nb"`, terminal.Quote("a\nb"))
	long := strings.Repeat("é", 40) // 80 bytes
	q := terminal.Quote(long)
	assert.Equal(t, `"`+strings.Repeat("é", 32)+`"... (80 bytes)`, q, "cut at 64 bytes, on a character boundary")
	assert.Less(t, len(terminal.Quote(strings.Repeat("x", 1<<20))), 100, "bounded whatever the value")
}
