package main

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// safe returns s fit for a terminal: printable text as it is, and every
// control character (C0, DEL, C1), bidirectional-text control and invalid
// byte as a Go escape (\n, \x1b, \u202e, \xff), so that text from the API,
// a file or the command line is shown, never interpreted: a token named
// "\x1b[2J" cannot clear the screen, nor one with a newline break a table.
func safe(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case escaped(r):
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
		if r == utf8.RuneError && size == 1 || escaped(r) {
			return true
		}
		i += size
	}
	return false
}

// escaped reports whether r must not reach a terminal as it is.
func escaped(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}

// shellQuote quotes s for a POSIX shell: as it is when it needs no
// quoting, in single quotes otherwise.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
