package terminal_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/specdriven/losant/internal/shipped/terminal"
)

func TestSafeEscapesWhatATerminalWouldActOn(t *testing.T) {
	assert.Equal(t, "plain é text", terminal.Safe("plain é text"), "printable text is kept")
	assert.Equal(t, `a\x1b[2Jb\nc\u202ed\xff`, terminal.Safe("a\x1b[2Jb\nc\u202ed\xff"))
}

// Invisible and format characters are escaped: two names that print alike
// cannot differ by what does not show.
func TestSafeEscapesInvisibleCharacters(t *testing.T) {
	for _, r := range []rune{
		'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', // zero-width, joiners, BOM, soft hyphen
		'\u200e', '\u200f', '\u061c', // marks
		'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', // embeddings, overrides
		'\u2066', '\u2067', '\u2068', '\u2069', // isolates
		'\u2028', '\u2029', '\U000e0041', // separators, a tag
		'\u3164', '\u115f', '\u1160', '\uffa0', '\u034f', // Hangul fillers, combining grapheme joiner
		'\ufe0f', '\ufe00', '\U000e0100', // variation selectors
	} {
		got := terminal.Safe("a" + string(r) + "b")
		assert.NotContains(t, got, string(r), "%U", r)
		assert.True(t, terminal.Unsafe(r), "%U", r)
	}
	assert.Equal(t, `prod\u200b`, terminal.Safe("prod\u200b"))
	assert.Equal(t, "日本 ünïcode ✓", terminal.Safe("日本 ünïcode ✓"), "visible text is kept")
}

func TestQuoteIsBoundedAndCutsAtACharacter(t *testing.T) {
	assert.Equal(t, `"a\nb"`, terminal.Quote("a\nb"))
	long := strings.Repeat("é", 40) // 80 bytes
	q := terminal.Quote(long)
	assert.Equal(t, `"`+strings.Repeat("é", 32)+`"... (80 bytes)`, q, "cut at 64 bytes, on a character boundary")
	assert.Less(t, len(terminal.Quote(strings.Repeat("x", 1<<20))), 100, "bounded whatever the value")
}
