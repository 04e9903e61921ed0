package cli

import (
	"strings"

	"github.com/specdriven/losant/internal/shipped/terminal"
)

// safe returns s fit for a terminal: see terminal.Safe.
func safe(s string) string { return terminal.Safe(s) }

// shellQuote quotes s for a POSIX shell: as it is when it needs no
// quoting, in single quotes otherwise.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
