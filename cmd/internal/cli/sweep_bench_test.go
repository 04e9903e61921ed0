package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

// BenchmarkAuditAllOwners audits 20 applications of 2 000 tokens each
// (and the user's one) through a fake that adds 20 ms to every request,
// one owner at a time (concurrency=1) and as --all-owners does by default
// (concurrency=8): docs/PERFORMANCE.md compares the two.
//
//	go test ./cmd/internal/cli -run '^$' -bench AuditAllOwners -benchtime 1x -count 3
func BenchmarkAuditAllOwners(b *testing.B) {
	fake := losanttest.New(b, losanttest.WithFixtures(losanttest.Fixtures{
		Users:  []losanttest.User{{ID: userID}},
		Tokens: []losanttest.Token{{ID: cliToken, OwnerType: gen.APITokenOwnerTypeUser, OwnerID: userID, Scope: []string{"all.User"}, Secret: secret}},
	}))
	for i := range 20 {
		app := fake.AddApplication(losanttest.Application{Name: fmt.Sprintf("app %02d", i), OwnerID: userID})
		for j := range 2000 {
			fake.AddToken(losanttest.Token{Name: fmt.Sprintf("t%04d", j), OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: app.ID, Scope: []string{"all.Application.read"}})
		}
	}
	fake.Inject(losanttest.Fault{Latency: 20 * time.Millisecond}, losanttest.Times(0))
	for _, concurrency := range []int{1, defaultConcurrency} {
		b.Run(fmt.Sprintf("concurrency=%d", concurrency), func(b *testing.B) {
			for b.Loop() {
				code := run(context.Background(), []string{"--base-url", fake.URL, "audit", "--all-owners", "--concurrency", fmt.Sprint(concurrency), "-o", "json"}, environment{
					getenv: func(k string) string { return map[string]string{tokenEnv: secret}[k] },
					stdin:  strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
				})
				if code != exitFindings { // the user's token never expires
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
