// Command losant-tokens manages Losant API tokens from the command line:
// the user's own (/me/tokens), an application's (--application) or an
// Enterprise instance's (--instance).
//
//	go install github.com/specdriven/losant/cmd/losant-tokens@latest
//	export LOSANT_API_TOKEN=...            # or --token-file PATH (- for stdin); never a flag value
//	losant-tokens list
//	losant-tokens -a 575ec8687ae143cd83dc4a97 create --name "Gateway 7" --scope all.Application --expires 90d
//	losant-tokens rotate 5a1f0e3b7ae143cd83dc4b02
//	losant-tokens expiring --within 2w
//	losant-tokens audit --max-lifetime 90d # exit status 6 when a token breaks the policy
//
// `go run ./cmd/losant-demo` runs the commands against a built-in fake, no
// account needed.
//
// Output is a table on a terminal and JSON otherwise (--output chooses;
// ids prints one ID a line); text from the API is escaped, never
// interpreted by the terminal. A new secret is printed once, on stdout, or
// written to --secret-file. Errors go to stderr; the exit status says what
// to do next (losant-tokens --help lists them). $LOSANT_BASE_URL points it
// at another API, such as losant-fake. The commands live in cmd/internal/cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/specdriven/losant/cmd/internal/cli"
)

func main() {
	// SIGINT, SIGTERM and SIGHUP stop the run (rotate rolls back); a
	// second one stops the rollback too.
	ctx, stop := cli.SignalContext(context.Background())
	// A write to a closed pipe returns EPIPE rather than killing the
	// process: a create whose output is lost must still name what it made.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	code := cli.Main(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr, isTerminal(os.Stdout))
	stop()
	os.Exit(code)
}

// isTerminal reports whether f is a terminal (a character device), where
// a table reads better than JSON.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
