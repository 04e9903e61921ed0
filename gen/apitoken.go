// Hand-written methods of the generated models: not generated, so that
// gen/losant.gen.go holds only what oapi-codegen makes from the spec.

package gen

import (
	"fmt"
	"log/slog"
	"strings"
)

// Format prints the token as fmt's verbs would, with its secret (Token)
// shown as [REDACTED], so that a token printed, alone or in a slice, map
// or struct, never shows the bearer credential. Read Token itself to use
// the secret, and log a token by itself (LogValue), not in a slice or
// struct, which slog's JSON handler encodes with encoding/json.
func (t APIToken) Format(f fmt.State, verb rune) {
	type token APIToken // the same fields, without this method
	if t.Token != "" {
		t.Token = "[REDACTED]"
	}
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, "gen.APIToken"+strings.TrimPrefix(fmt.Sprintf("%#v", token(t)), "gen.token"))
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), token(t))
}

// LogValue is the token as log/slog records it: every field, with its
// secret (Token) shown as [REDACTED]. slog asks only a value logged by
// itself: inside a slice or struct, the JSON handler encodes the token as
// encoding/json does, secret included.
func (t APIToken) LogValue() slog.Value {
	type token APIToken // the same fields, without these methods
	if t.Token != "" {
		t.Token = "[REDACTED]"
	}
	return slog.AnyValue(token(t))
}
