// Command fakemem measures what anyone who can reach a standalone
// cmd/losant-fake can make it hold: it starts the fake with
// testdata/fixtures.json, sends GETs without a token and with one big
// header each, then creates tokens with long descriptions, and prints the
// fake's resident memory (VmRSS) before and after each, with the statuses
// it answered. docs/FAKE.md quotes its figures.
//
//	go run ./devtools/fakemem -gets 10000 -header 60000 -creates 3000 -description 32767
//
// -bin runs a losant-fake built beforehand (such as one of an older
// commit) instead of building ./cmd/losant-fake.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/specdriven/losant/devtools/internal/fakeproc"
)

// The fixtures' user token, which the creates act as.
const (
	secret  = "lsnt_user_demo_secret"
	fixture = "testdata/fixtures.json"
)

func main() {
	bin := flag.String("bin", "", "a losant-fake binary to run (default: build ./cmd/losant-fake)")
	gets := flag.Int("gets", 10_000, "GETs without a token")
	header := flag.Int("header", 60_000, "bytes of the one header each GET carries")
	creates := flag.Int("creates", 3_000, "creates with the fixtures' user token")
	description := flag.Int("description", 32_767, "characters of each create's description")
	workers := flag.Int("workers", 8, "concurrent requests")
	flag.Parse()
	if err := run(*bin, *gets, *header, *creates, *description, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "fakemem:", err)
		os.Exit(1)
	}
}

func run(bin string, gets, header, creates, description, workers int) error {
	if bin == "" {
		dir, err := os.MkdirTemp("", "fakemem")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if bin, err = fakeproc.Build(dir); err != nil {
			return err
		}
	}
	fake, base, err := fakeproc.Start(bin, "-addr", "127.0.0.1:0", "-fixtures", fixture)
	if err != nil {
		return err
	}
	defer func() { _ = fake.Process.Kill(); _ = fake.Wait() }()
	pid := fake.Process.Pid
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}

	if err := report("at the start", pid, nil); err != nil {
		return err
	}
	pad := strings.Repeat("x", header)
	statuses := drive(gets, workers, func(int) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, base+"/me/tokens", nil)
		if err == nil {
			req.Header.Set("X-Pad", pad)
		}
		return req, err
	}, client)
	if err := report(fmt.Sprintf("after %d GETs without a token, a %d-byte header each", gets, header), pid, statuses); err != nil {
		return err
	}
	text := strings.Repeat("x", description)
	statuses = drive(creates, workers, func(i int) (*http.Request, error) {
		body := fmt.Sprintf(`{"name": "fakemem %d", "scope": ["all.User.read"], "description": %q}`, i, text)
		req, err := http.NewRequest(http.MethodPost, base+"/me/tokens", strings.NewReader(body))
		if err == nil {
			req.Header.Set("Authorization", "Bearer "+secret)
			req.Header.Set("Content-Type", "application/json")
		}
		return req, err
	}, client)
	return report(fmt.Sprintf("after %d creates, a %d-character description each", creates, description), pid, statuses)
}

// drive sends n requests made by build, workers at a time, and counts the
// answers by status (0: no answer).
func drive(n, workers int, build func(i int) (*http.Request, error), client *http.Client) map[int]int {
	var next atomic.Int64
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				status := 0
				if req, err := build(i); err == nil {
					if resp, err := client.Do(req); err == nil {
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						status = resp.StatusCode
					}
				}
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return statuses
}

// report prints the fake's memory now and the statuses of what was sent.
func report(when string, pid int, statuses map[int]int) error {
	bytes, err := fakeproc.RSS(pid)
	kb := bytes >> 10
	if err != nil {
		return err
	}
	var counts []string
	for status, n := range statuses {
		counts = append(counts, fmt.Sprintf("%d: %d", status, n))
	}
	sort.Strings(counts)
	fmt.Printf("%-62s %6.1f MiB  %s\n", when+":", float64(kb)/1024, strings.Join(counts, ", "))
	return nil
}
