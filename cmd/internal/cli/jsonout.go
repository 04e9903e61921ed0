package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/specdriven/losant/internal/shipped/terminal"
)

// writeJSON writes v as indented JSON. encoding/json escapes C0 controls
// but not DEL, C1 controls, bidirectional-text controls or other format
// characters (U+200B), which a terminal would act on or hide: those are
// escaped too (\u009b), which leaves the JSON the same to any decoder.
func (p printer) writeJSON(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return p.writeRaw(buf.Bytes())
}

// writeRaw writes encoded JSON, escaping what a terminal would act on.
func (p printer) writeRaw(out []byte) error {
	if jsonNeedsEscape(out) {
		out = escapeJSONControls(out)
	}
	_, err := p.w.Write(out)
	return err
}

// jsonNeedsEscape reports whether encoded JSON holds a rune a terminal
// would act on, other than the newlines of its indentation.
func jsonNeedsEscape(b []byte) bool {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r != '\n' && terminal.Unsafe(r) {
			return true
		}
		i += size
	}
	return false
}

// escapeJSONControls writes the runes of encoded JSON that a terminal
// would act on as \u escapes; outside strings JSON has none but the
// newlines and spaces of its indentation, which are kept.
func escapeJSONControls(b []byte) []byte {
	var out bytes.Buffer
	for _, r := range string(b) {
		if r != '\n' && terminal.Unsafe(r) {
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				fmt.Fprintf(&out, `\u%04x\u%04x`, r1, r2) // a tag (U+E0041): a surrogate pair, as JSON writes it
				continue
			}
			fmt.Fprintf(&out, `\u%04x`, r)
			continue
		}
		out.WriteRune(r)
	}
	return out.Bytes()
}
