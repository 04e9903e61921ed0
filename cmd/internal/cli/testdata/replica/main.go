// Command replica is one replica of a service that reads its API token
// from a file, for the fleet tests of losant-tokens (fleet_test.go): it
// reads one token with the library in a loop, every -every, until its
// stdin closes or it is sent SIGINT or SIGTERM, through a client whose
// token comes from a tokenfile.Source. It prints one line a call,
//
//	ok <fingerprint>      the call succeeded, authenticated with this token
//	fail <error>          the call failed, after the client's retries
//
// and on exit one summary line,
//
//	summary ok=N fail=M last=<fingerprint> seen=<fingerprint>,<fingerprint>,...
//
// where last is the token of the last request answered 200 and seen the
// tokens requests were answered 200 with, in order, each once a change (a
// rotation gives old,new; a rolled back one old,new,old). A
// fingerprint is the first 8 hex digits of the SHA-256 of a token: the
// token itself is printed nowhere.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/tokenfile"
)

func main() {
	var (
		file     = flag.String("file", "", "the token file")
		baseURL  = flag.String("base-url", "", "the API's base URL")
		app      = flag.String("application", "", "the application whose token is read")
		id       = flag.String("get", "", "the ID of the token read")
		every    = flag.Duration("every", 20*time.Millisecond, "the wait between calls")
		check    = flag.Duration("check-interval", 250*time.Millisecond, "the token file's check interval")
		attempt  = flag.Duration("attempt-timeout", 250*time.Millisecond, "how long one attempt of a call may take")
		attempts = flag.Int("attempts", 10, "the attempts of one call, the first included")
	)
	flag.Parse()
	if err := run(*file, *baseURL, *app, *id, *every, *check, *attempt, *attempts); err != nil {
		fmt.Fprintln(os.Stderr, "replica:", err)
		os.Exit(1)
	}
}

func run(file, baseURL, app, id string, every, check, attempt time.Duration, attempts int) error {
	src, err := tokenfile.New(file, tokenfile.WithCheckInterval(check))
	if err != nil {
		return err // names the file, never the token
	}
	var used usedTokens
	client, err := losant.NewClient("", losant.WithTokenSource(src), losant.WithBaseURL(baseURL),
		losant.WithTimeout(attempt),
		losant.WithRetry(losant.RetryPolicy{MaxAttempts: attempts, MinWait: 10 * time.Millisecond, MaxWait: 100 * time.Millisecond}),
		losant.WithTransportWrapper(used.wrap))
	if err != nil {
		return err
	}
	tokens := client.APITokens(losant.Application(app))

	stop := make(chan struct{})
	var once sync.Once
	end := func() { once.Do(func() { close(stop) }) }
	go func() { // stdin closed: stop
		_, _ = io.Copy(io.Discard, os.Stdin)
		end()
	}()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() { <-signals; end() }()

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	ok, failed := 0, 0
	for {
		select {
		case <-stop:
			last, seen := used.report()
			fmt.Fprintf(out, "summary ok=%d fail=%d last=%s seen=%s\n", ok, failed, last, strings.Join(seen, ","))
			return nil
		default:
		}
		// A call under way when the replica is told to stop ends as it
		// would: stopping is not one of its failures.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := tokens.Get(ctx, id)
		cancel()
		if err != nil {
			failed++
			fmt.Fprintf(out, "fail %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		} else {
			ok++
			last, _ := used.report()
			fmt.Fprintf(out, "ok %s\n", last)
		}
		out.Flush()
		select {
		case <-stop:
		case <-time.After(every):
		}
	}
}

// usedTokens records the token of each request that was answered 200:
// the one the service last worked with, and every one it worked with.
type usedTokens struct {
	mu   sync.Mutex
	last string
	seen []string
}

func (u *usedTokens) wrap(next http.RoundTripper) http.RoundTripper {
	return roundTripper(func(req *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(req)
		if err == nil && resp.StatusCode == http.StatusOK {
			u.use(fingerprint(strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")))
		}
		return resp, err
	})
}

func (u *usedTokens) use(fp string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.last = fp
	if len(u.seen) == 0 || u.seen[len(u.seen)-1] != fp {
		u.seen = append(u.seen, fp)
	}
}

func (u *usedTokens) report() (last string, seen []string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.last, append([]string(nil), u.seen...)
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// fingerprint names a token without showing it: the first 8 hex digits
// of its SHA-256.
func fingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])[:8]
}
