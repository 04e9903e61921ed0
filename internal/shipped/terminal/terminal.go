// Package terminal makes text from the API, a file or the command line fit
// to print: shown, never interpreted. The client's error messages and the
// command-line tool's output share it.
package terminal

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Safe returns s with every control character (C0, DEL, C1), format
// character (Unicode's Cf: the bidirectional-text controls, zero-width
// spaces and joiners, the word joiner, the byte-order mark, soft hyphens,
// tags), other character Unicode says to draw as nothing (variation
// selectors, the Hangul fillers, the combining grapheme joiner), line or
// paragraph separator and invalid byte written as a Go
// escape (\n, \x1b, \u202e, \u200b, \xff), and the rest as it is: a
// token named "\x1b[2J" cannot clear a screen, a message with a newline
// forge a log line, nor two names that print alike differ by what cannot
// be seen.
func Safe(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case Unsafe(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || Unsafe(r) {
			return true
		}
		i += size
	}
	return false
}

// Unsafe reports whether r must not reach a terminal or a log line as it
// is: a control, a format character (invisible, or reordering the text
// around it), another default-ignorable character (drawn as nothing), a
// line or paragraph separator.
func Unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Bidi_Control, r) ||
		unicode.In(r, unicode.Zl, unicode.Zp, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// maxQuoted is how many bytes of a value Quote shows.
const maxQuoted = 64

// Quote is s quoted as Go quotes a string (every control character
// escaped), cut after 64 bytes at a character boundary with its length
// said: for a message that names a value without growing with it. The
// client's argument errors and the fake's error messages share it.
func Quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "... (" + strconv.Itoa(len(s)) + " bytes)"
}
