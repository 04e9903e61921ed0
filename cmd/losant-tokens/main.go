// Command losant-tokens manages Losant API tokens from the command line:
// the user's own (/me/tokens) or, with --application, an application's.
//
//	go install github.com/specdriven/losant/cmd/losant-tokens@latest
//	export LOSANT_API_TOKEN=...            # or --token-file PATH; never a flag value
//	losant-tokens list
//	losant-tokens --application 575ec8687ae143cd83dc4a97 create --name "Gateway 7" --scope all.Application
//	losant-tokens rotate 575ec7417ae143cd83dc4a95
//	losant-tokens expiring --within 336h
//	losant-tokens demo                     # the commands against a built-in fake, no account needed
//
// Output is a table on a terminal and JSON otherwise (--output chooses).
// A new token's secret is printed once, on stdout. Errors go to stderr;
// the exit status says what kind of failure it was (see exitCode).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], environment{
		getenv: os.Getenv,
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		tty:    isTerminal(os.Stdout),
	})
	stop()
	os.Exit(code)
}

// isTerminal reports whether f is a terminal (a character device), where
// a table reads better than JSON.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
