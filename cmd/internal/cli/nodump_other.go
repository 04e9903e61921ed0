//go:build !linux

package cli

// nonDumpable does nothing where there is no PR_SET_DUMPABLE: there, the
// commands losant-tokens runs are trusted as the user's own programs are,
// with what the user's processes hold (README says so).
func nonDumpable() error { return nil }
