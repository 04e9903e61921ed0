// Command scale measures how listing costs grow with the tokens an owner
// holds: through the library (All), one request to the fake, and the CLI
// (losant-tokens list -o json, a built binary). It prints a Markdown table
// for docs/PERFORMANCE.md. `make scale` runs it.
//
//	go run ./devtools/scale -sizes 1000,10000,100000 -cli ./losant-tokens
//
// It exits 1 when a listing misses or repeats a token, or when the CLI
// fails: the figures are of work done right.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

func main() {
	sizes := flag.String("sizes", "1000,10000,100000", "the numbers of tokens to list, comma-separated")
	cli := flag.String("cli", "", "a built losant-tokens binary to measure too (empty: skip the CLI)")
	flag.Parse()
	fmt.Println("| tokens | library: time | requests | allocated/token | fake: one list request (perPage 100) | CLI `list -o json`: time | max RSS | output |")
	fmt.Println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, field := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 1 {
			log.Fatalf("scale: -sizes: %q is not a positive number", field)
		}
		if err := measure(n, *cli); err != nil {
			log.Fatalf("scale: %d tokens: %v", n, err)
		}
	}
}

// counting counts the requests it sends on.
type counting struct{ n atomic.Int64 }

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func measure(n int, cli string) error {
	const secret = "lsnt_scale_user"
	srv, err := losanttest.NewServer(losanttest.WithRequestLog(0))
	if err != nil {
		return err
	}
	defer srv.Close()
	user := srv.AddUser(losanttest.User{})
	app := srv.AddApplication(losanttest.Application{OwnerID: user.ID})
	srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}, Secret: secret})
	for i := range n {
		srv.AddToken(losanttest.Token{Name: fmt.Sprintf("device %07d", i), Description: "uploads readings from the greenhouse",
			OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: app.ID, Scope: []string{"all.Application.read"}})
	}
	ctx := context.Background()
	tr := &counting{}
	tokens := srv.Client(secret, losant.WithHTTPClient(&http.Client{Transport: tr})).APITokens(losant.Application(app.ID))

	// The library: every token, once.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	seen := make(map[string]bool, n)
	for t, err := range tokens.All(ctx, losant.APITokenListOptions{}) {
		if err != nil {
			return err
		}
		if seen[t.ID] {
			return fmt.Errorf("the library yielded %s twice", t.ID)
		}
		seen[t.ID] = true
	}
	libTime := time.Since(start)
	runtime.ReadMemStats(&after)
	if len(seen) != n {
		return fmt.Errorf("the library yielded %d tokens, not %d", len(seen), n)
	}
	requests := tr.n.Load()
	perToken := float64(after.TotalAlloc-before.TotalAlloc) / float64(n)

	// The fake: one list request of 100 in the middle, the median of 21.
	var times []time.Duration
	opts := losant.APITokenListOptions{SortField: gen.APITokenSortFieldName, PerPage: 100, Page: n / 200}
	for range 21 {
		start := time.Now()
		if _, err := tokens.List(ctx, opts); err != nil {
			return err
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)

	cliTime, rss, size := "–", "–", "–"
	if cli != "" {
		d, maxRSS, out, err := runCLI(cli, srv.URL, secret, app.ID, n)
		if err != nil {
			return err
		}
		cliTime, rss, size = round(d), fmt.Sprintf("%.0f MB", float64(maxRSS)/1e6), fmt.Sprintf("%.1f MB", float64(out)/1e6)
	}
	fmt.Printf("| %d | %s | %d | %.0f B | %s | %s | %s | %s |\n", n, round(libTime), requests, perToken, round(times[len(times)/2]), cliTime, rss, size)
	return nil
}

// runCLI runs losant-tokens list -o json for the application and checks
// that its output holds n tokens; it returns the time, the process's max
// RSS in bytes and the output's size.
func runCLI(cli, baseURL, secret, appID string, n int) (time.Duration, int64, int, error) {
	cmd := exec.Command(cli, "-o", "json", "-a", appID, "list")
	cmd.Env = append(os.Environ(), "LOSANT_BASE_URL="+baseURL, "LOSANT_API_TOKEN="+secret)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, 0, err
	}
	// The child's rusage would count this process's memory (it is forked
	// from it), so its peak is read from /proc while it runs: VmHWM only
	// grows, and it is read every few milliseconds until the process ends.
	done := make(chan struct{})
	var peak atomic.Int64
	go func() {
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		for {
			if kb := vmHWM(status); kb > peak.Load() {
				peak.Store(kb)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	took := time.Since(start)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("%s: %v: %s", cli, err, errOut.String())
	}
	if got := bytes.Count(out.Bytes(), []byte(`"id": `)); got != n {
		return 0, 0, 0, fmt.Errorf("the CLI listed %d tokens, not %d", got, n)
	}
	return took, peak.Load() * 1024, out.Len(), nil
}

// vmHWM reads a process's peak resident set size, in kilobytes, from its
// /proc status file; 0 when it cannot (the process is gone, not Linux).
func vmHWM(path string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

func round(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}
