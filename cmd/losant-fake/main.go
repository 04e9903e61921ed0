// Command losant-fake serves the fake Losant API of package losanttest as a
// standalone process, for tools not written in Go:
//
//	go run github.com/specdriven/losant/cmd/losant-fake -addr 127.0.0.1:8080 -fixtures fixtures.json
//
// It prints its URL and serves until SIGINT or SIGTERM (-log writes a line
// a request to stderr). It keeps no request log (nothing could read it),
// holds at most -max-tokens-per-owner tokens for an owner and
// -max-store-bytes of tokens in all (losanttest.Limits): a create or a
// patch past them is answered 400 LimitExceeded; and holds at most
// -max-connections connections open at once. Then it lets the
// requests in flight finish for the -grace period, closes what is left,
// and exits 0. Fixtures it cannot use (unknown keys, nulls, duplicates,
// values the spec refuses) are an error naming the entry, and exit
// status 2. The fixtures format is losanttest.Fixtures as JSON (see
// testdata/fixtures.json in the repository).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/specdriven/losant/losanttest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "losant-fake:", err)
		}
		os.Exit(2)
	}
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	flags := flag.NewFlagSet("losant-fake", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free one)")
	fixturesPath := flags.String("fixtures", "", "JSON file of users, applications, instances and tokens to start with")
	grace := flags.Duration("grace", losanttest.DefaultGrace, "how long requests in flight may finish after SIGINT or SIGTERM")
	logRequests := flags.Bool("log", false, "write one line a request to stderr: method, path, status, duration (never a header or a body)")
	defaults := losanttest.DefaultLimits()
	perOwner := flags.Int("max-tokens-per-owner", defaults.TokensPerOwner, "the most tokens a user, application or instance may hold: a create past it is a 400")
	storeBytes := flags.Int("max-store-bytes", defaults.StoreBytes, "the most bytes of tokens the fake holds: a create or patch past it is a 400")
	conns := flags.Int("max-connections", defaults.Connections, "the most connections open at once: one more waits for one to close")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	if *perOwner < 1 || *storeBytes < 1 || *conns < 1 {
		return errors.New("-max-tokens-per-owner, -max-store-bytes and -max-connections must be at least 1")
	}
	var fixtures losanttest.Fixtures
	if *fixturesPath != "" {
		f, err := losanttest.LoadFixtures(*fixturesPath)
		if err != nil {
			return err
		}
		fixtures = f
	}
	opts := []losanttest.Option{losanttest.WithAddr(*addr), losanttest.WithFixtures(fixtures), losanttest.WithRequestLog(0),
		losanttest.WithLimits(losanttest.Limits{TokensPerOwner: *perOwner, StoreBytes: *storeBytes, Connections: *conns})}
	if *logRequests {
		opts = append(opts, losanttest.WithAccessLog(errOut))
	}
	srv, err := losanttest.NewServer(opts...)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "losant-fake: serving %d users, %d applications, %d instances and %d tokens at %s\n",
		len(fixtures.Users), len(fixtures.Applications), len(fixtures.Instances), len(fixtures.Tokens), srv.URL)
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintf(out, "losant-fake: closed the connections still busy after %v\n", *grace)
	}
	fmt.Fprintln(out, "losant-fake: stopped")
	return nil
}
