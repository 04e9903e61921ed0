//go:build linux

package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

// BenchmarkListAllOwnersMemory runs the built losant-tokens, list
// --all-owners -o json, over 2 applications of 100 000 tokens each (and
// the user's one) served by the fake in this process, and reports the
// command's peak resident memory (VmHWM, read from /proc while it runs:
// the CLI's alone, not the fake's). docs/PERFORMANCE.md gives the
// figures.
//
//	go test ./cmd/internal/cli -run '^$' -bench ListAllOwnersMemory -benchtime 1x -count 3
func BenchmarkListAllOwnersMemory(b *testing.B) {
	const apps, perApp = 2, 100_000
	dir := b.TempDir()
	cli := filepath.Join(dir, "losant-tokens")
	if out, err := exec.Command("go", "build", "-o", cli, "github.com/specdriven/losant/cmd/losant-tokens").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v: %s", err, out)
	}
	fake := losanttest.New(b, losanttest.WithFixtures(losanttest.Fixtures{
		Users:  []losanttest.User{{ID: userID}},
		Tokens: []losanttest.Token{{ID: cliToken, OwnerType: gen.APITokenOwnerTypeUser, OwnerID: userID, Scope: []string{"all.User"}, Secret: secret}},
	}))
	for i := range apps {
		app := fake.AddApplication(losanttest.Application{Name: fmt.Sprintf("app %02d", i), OwnerID: userID})
		for j := range perApp {
			fake.AddToken(losanttest.Token{Name: fmt.Sprintf("t%06d", j), OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: app.ID, Scope: []string{"all.Application.read"}})
		}
	}
	var peakKB int64
	for b.Loop() {
		cmd := exec.Command(cli, "list", "--all-owners", "-o", "json")
		cmd.Env = append(os.Environ(), "LOSANT_BASE_URL="+fake.URL, tokenEnv+"="+secret)
		var tokens countingWriter
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &tokens, &stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		done := make(chan struct{})
		var peak atomic.Int64
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
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
		<-sampled
		if err != nil {
			b.Fatalf("%v: %s", err, stderr.String())
		}
		if want := apps*perApp + 1 + apps; tokens.ids != want { // and ownersRead's applications
			b.Fatalf("%d IDs listed, want %d", tokens.ids, want)
		}
		peakKB = max(peakKB, peak.Load())
	}
	b.ReportMetric(float64(peakKB)/1024, "peak-RSS-MiB")
}

// countingWriter counts the tokens of JSON output: its "id" fields.
type countingWriter struct {
	ids  int
	tail []byte
}

func (w *countingWriter) Write(p []byte) (int, error) {
	buf := append(w.tail, p...)
	cut := bytes.LastIndexByte(buf, '\n')
	if cut < 0 {
		w.tail = buf
		return len(p), nil
	}
	for line := range bytes.SplitSeq(buf[:cut], []byte("\n")) {
		if bytes.HasPrefix(line, []byte(`      "id": "`)) { // a token's own, not its owner's (deeper)
			w.ids++
		}
	}
	w.tail = append([]byte{}, buf[cut+1:]...)
	return len(p), nil
}

// vmHWM reads a process's peak resident set (VmHWM, in kB) from its
// /proc status; 0 once it is gone.
func vmHWM(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}
