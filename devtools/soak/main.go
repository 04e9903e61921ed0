// Command soak drives a standalone cmd/losant-fake for a bounded time with
// many concurrent clients doing mixed get, list, create, patch and delete,
// beside hostile ones (slow headers, big bodies, stalled bodies), and
// reports what the fake did: requests served, answers by status class,
// 5xx, its memory at the start and the end, and whether every token the
// clients created and did not delete is listed, once. `make soak` runs it.
//
//	go run ./devtools/soak -duration 30s -clients 200
//
// It exits 1 when the fake answered a 5xx, lost or duplicated a token, or
// grew past -max-growth.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/devtools/internal/fakeproc"
	"github.com/specdriven/losant/gen"
)

// The fixtures' user token, which every client acts as.
const (
	secret  = "lsnt_user_demo_secret"
	fixture = "testdata/fixtures.json"
)

func main() {
	duration := flag.Duration("duration", 30*time.Second, "how long the clients run")
	clients := flag.Int("clients", 200, "concurrent well-behaved clients")
	hostiles := flag.Int("hostile", 20, "concurrent hostile clients")
	maxGrowth := flag.Int64("max-growth", 256<<20, "the most the fake's memory may grow, in bytes")
	flag.Parse()
	if err := run(*duration, *clients, *hostiles, *maxGrowth); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// tally counts what the clients saw.
type tally struct {
	calls    atomic.Int64
	byClass  [6]atomic.Int64 // index: status/100; 0 for transport errors
	hostile  atomic.Int64
	mu       sync.Mutex
	live     map[string]bool // tokens created and not deleted
	problems []string
}

func (t *tally) problem(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.problems) < 20 {
		t.problems = append(t.problems, fmt.Sprintf(format, args...))
	}
}

func run(duration time.Duration, clients, hostiles int, maxGrowth int64) error {
	dir, err := os.MkdirTemp("", "soak")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin, err := fakeproc.Build(dir)
	if err != nil {
		return err
	}
	fake, base, err := fakeproc.Start(bin, "-addr", "127.0.0.1:0", "-fixtures", fixture, "-grace", "2s")
	if err != nil {
		return err
	}
	defer func() { _ = fake.Process.Kill() }() // already stopped on the happy path

	startRSS, err := fakeproc.RSS(fake.Process.Pid)
	if err != nil {
		return err
	}
	fmt.Printf("losant-fake at %s (pid %d); %d clients and %d hostile ones for %v\n", base, fake.Process.Pid, clients, hostiles, duration)

	t := &tally{live: map[string]bool{}}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() { defer wg.Done(); behave(ctx, base, i, t) }()
	}
	for i := range hostiles {
		wg.Add(1)
		go func() { defer wg.Done(); misbehave(ctx, base, i, t) }()
	}
	wg.Wait()
	endRSS, err := fakeproc.RSS(fake.Process.Pid)
	if err != nil {
		return err
	}

	listed, err := listSoakTokens(base)
	if err != nil {
		return err
	}
	if err := fake.Process.Signal(os.Interrupt); err != nil {
		return err
	}
	waitErr := fake.Wait()

	report(t, startRSS, endRSS, listed, waitErr)
	var failures []string
	if n := t.byClass[5].Load(); n > 0 {
		failures = append(failures, fmt.Sprintf("%d answers were 5xx", n))
	}
	if missing, extra := compare(t.live, listed); len(missing)+len(extra) > 0 {
		failures = append(failures, fmt.Sprintf("%d tokens lost, %d listed that should not be", len(missing), len(extra)))
	}
	if endRSS-startRSS > maxGrowth {
		failures = append(failures, fmt.Sprintf("memory grew by %d bytes, over %d", endRSS-startRSS, maxGrowth))
	}
	if waitErr != nil {
		failures = append(failures, fmt.Sprintf("losant-fake did not exit cleanly on SIGINT: %v", waitErr))
	}
	if len(failures) > 0 {
		return errors.New(strings.Join(failures, "; "))
	}
	return nil
}

// behave does mixed calls as one client: create a token, then get, patch,
// list and delete, keeping some of what it created. It starts no call once
// stop is done, and lets the one in flight finish, so that it knows which
// tokens exist.
func behave(stop context.Context, base string, n int, t *tally) {
	ctx := context.Background()
	client, err := losant.NewClient(secret, losant.WithBaseURL(base), losant.WithoutRetries())
	if err != nil {
		t.problem("client %d: %v", n, err)
		return
	}
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	var mine []string
	count := func(err error) bool {
		t.calls.Add(1)
		var apiErr *losant.Error
		switch {
		case err == nil:
			t.byClass[2].Add(1)
		case errors.As(err, &apiErr):
			t.byClass[apiErr.StatusCode/100%6].Add(1)
			t.problem("client %d: %v", n, err)
		default:
			t.byClass[0].Add(1)
			t.problem("client %d: %v", n, err)
		}
		return err == nil
	}
	for stop.Err() == nil {
		switch op := rng.IntN(10); {
		case op < 3 || len(mine) == 0:
			tok, err := client.APITokens(losant.User()).Create(ctx, gen.APITokenPost{Name: fmt.Sprintf("soak-%d-%d", n, rng.IntN(1e6)), Scope: []string{"all.User.read"}})
			if count(err) {
				mine = append(mine, tok.ID)
				t.mu.Lock()
				t.live[tok.ID] = true
				t.mu.Unlock()
			}
		case op < 5:
			_, err := client.APITokens(losant.User()).Get(ctx, mine[rng.IntN(len(mine))])
			count(err)
		case op < 7:
			_, err := client.APITokens(losant.User()).Patch(ctx, mine[rng.IntN(len(mine))], gen.APITokenPatch{Description: losant.Ptr(strconv.Itoa(rng.IntN(1e6)))})
			count(err)
		case op < 8:
			_, err := client.APITokens(losant.User()).List(ctx, losant.APITokenListOptions{Filter: fmt.Sprintf("soak-%d-*", n), PerPage: 10})
			count(err)
		default:
			i := rng.IntN(len(mine))
			id := mine[i]
			if count(client.APITokens(losant.User()).Delete(ctx, id)) {
				mine = append(mine[:i], mine[i+1:]...)
				t.mu.Lock()
				delete(t.live, id)
				t.mu.Unlock()
			}
		}
	}
}

// misbehave opens connections that hold the server: slow headers, bodies
// over the limit, and bodies that stall.
func misbehave(ctx context.Context, base string, n int, t *tally) {
	addr := strings.TrimPrefix(base, "http://")
	for i := 0; ctx.Err() == nil; i++ {
		t.hostile.Add(1)
		switch (n + i) % 3 {
		case 0: // slow headers: a line a second, never finished
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				continue
			}
			_, _ = io.WriteString(conn, "GET /me/tokens HTTP/1.1\r\n")
			for j := 0; j < 5 && ctx.Err() == nil; j++ {
				time.Sleep(time.Second)
				if _, err := fmt.Fprintf(conn, "X-Slow-%d: 1\r\n", j); err != nil {
					break
				}
			}
			conn.Close()
		case 1: // a 1 MiB body, with and without a token
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/me/tokens", io.LimitReader(zeros{}, 1<<20))
			if i%2 == 0 {
				req.Header.Set("Authorization", "Bearer "+secret)
			}
			if resp, err := http.DefaultClient.Do(req); err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		default: // a body that stops half way
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				continue
			}
			_, _ = io.WriteString(conn, "POST /me/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+secret+
				"\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\": ")
			select {
			case <-ctx.Done():
			case <-time.After(3 * time.Second):
			}
			conn.Close()
		}
	}
}

// zeros is an endless body.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// listSoakTokens lists every token the soak made ("soak-" names) by ID,
// counting how often each is listed.
func listSoakTokens(base string) (map[string]int, error) {
	client, err := losant.NewClient(secret, losant.WithBaseURL(base))
	if err != nil {
		return nil, err
	}
	listed := map[string]int{}
	for tok, err := range client.APITokens(losant.User()).All(context.Background(), losant.APITokenListOptions{Filter: "soak-*", PerPage: 500}) {
		if err != nil {
			return nil, err
		}
		listed[tok.ID]++
	}
	return listed, nil
}

// compare returns the live tokens not listed, and the listed tokens that
// are not live or listed more than once.
func compare(live map[string]bool, listed map[string]int) (missing, extra []string) {
	for id := range live {
		if listed[id] == 0 {
			missing = append(missing, id)
		}
	}
	for id, n := range listed {
		if !live[id] || n > 1 {
			extra = append(extra, id)
		}
	}
	return missing, extra
}

func report(t *tally, startRSS, endRSS int64, listed map[string]int, waitErr error) {
	fmt.Printf("requests served:    %d by the clients, %d hostile connections or bodies\n", t.calls.Load(), t.hostile.Load())
	fmt.Printf("answers:            2xx %d, 3xx %d, 4xx %d, 5xx %d, transport errors %d\n",
		t.byClass[2].Load(), t.byClass[3].Load(), t.byClass[4].Load(), t.byClass[5].Load(), t.byClass[0].Load())
	fmt.Printf("fake's memory:      %.1f MiB at the start, %.1f MiB at the end\n", float64(startRSS)/(1<<20), float64(endRSS)/(1<<20))
	missing, extra := compare(t.live, listed)
	fmt.Printf("tokens:             %d created and not deleted, %d listed, %d lost, %d extra or duplicated\n",
		len(t.live), len(listed), len(missing), len(extra))
	fmt.Printf("stopped on SIGINT:  %v\n", waitErr == nil)
	for _, p := range t.problems {
		fmt.Println("  problem:", p)
	}
}
