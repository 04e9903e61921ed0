package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/faultproxy"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// sweepJSON is the JSON of list --all-owners.
type sweepJSON struct {
	Tokens []struct {
		ID    string `json:"id"`
		Owner struct {
			Type, ID, Name string
		} `json:"owner"`
	} `json:"tokens"`
}

func decodeSweep(t *testing.T, out string) sweepJSON {
	t.Helper()
	var got sweepJSON
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	return got
}

// tokensByOwner is each owner's token IDs in a sweep's JSON, by "type id".
func (s sweepJSON) tokensByOwner() map[string][]string {
	out := map[string][]string{}
	for _, tok := range s.Tokens {
		key := strings.TrimSpace(tok.Owner.Type + " " + tok.Owner.ID)
		out[key] = append(out[key], tok.ID)
	}
	return out
}

// withApps adds n applications of the fixtures' user, each with perApp
// tokens, and returns their IDs.
func withApps(w *testworld.World, n, perApp int) []string {
	var ids []string
	for i := range n {
		app := w.Server.AddApplication(losanttest.Application{Name: fmt.Sprintf("app %02d", i), OwnerID: userID})
		for j := range perApp {
			w.Server.AddToken(losanttest.Token{Name: fmt.Sprintf("t%d", j), OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: app.ID, Scope: []string{"all.Application.read"}})
		}
		ids = append(ids, app.ID)
	}
	return ids
}

// list --all-owners prints the tokens of the user, of each application and
// of each instance, each row naming its owner, in every format.
func TestAllOwnersListNamesEachRowsOwner(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := runCLI(t, w, "list", "--all-owners", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	got := decodeSweep(t, r.stdout)
	assert.Equal(t, map[string][]string{"user": {cliToken}, "application " + appID: {appToken}}, got.tokensByOwner())
	for _, tok := range got.Tokens {
		if tok.ID == appToken {
			assert.Equal(t, appID, tok.Owner.ID)
		}
	}

	r = runCLI(t, w, "list", "--all-owners", "-o", "ids")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, cliToken+"\n--application="+appID+" "+appToken+"\n", r.stdout)

	r = runCLI(t, w, "list", "--all-owners", "-o", "table")
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 3)
	assert.True(t, strings.HasPrefix(lines[0], "OWNER"), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "user "), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], "application "+appID), lines[2])
}

// expiring and audit sweep too; audit's findings among every owner exit 6.
func TestAllOwnersExpiringAndAudit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := runCLI(t, w, "expiring", "--all-owners", "--within", "30d", "-o", "ids")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "--application="+appID+" "+appToken+"\n", r.stdout, "the gateway expires on 10 November")

	r = runCLI(t, w, "audit", "--all-owners", "-o", "json")
	require.Equal(t, exitFindings, r.code, r.stderr)
	var audit struct {
		Findings []finding `json:"findings"`
		Checked  int       `json:"checked"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &audit))
	assert.Equal(t, 2, audit.Checked, "the user's token and the application's")
	require.NotEmpty(t, audit.Findings)
	assert.Equal(t, &ownerJSON{Type: "user"}, audit.Findings[0].Owner, "the CLI token never expires")

	r = runCLI(t, w, "audit", "--all-owners", "--no-user", "--allow-never-expires", "-o", "json")
	require.Equal(t, exitFindings, r.code, r.stderr+r.stdout)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &audit))
	assert.Equal(t, 1, audit.Checked, "--no-user leaves the user out")
	require.Len(t, audit.Findings, 1)
	assert.Equal(t, "expired", audit.Findings[0].Rule, "the gateway expired on 10 November")
	assert.Equal(t, "application", audit.Findings[0].Owner.Type)
	assert.Equal(t, appID, audit.Findings[0].Owner.ID)
}

// --all-owners refuses the flags that name owners, and --concurrency is
// bounded.
func TestAllOwnersFlagsAreChecked(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for name, args := range map[string][]string{
		"with --application": {"-a", appID, "list", "--all-owners"},
		"with --instance":    {"-i", instID, "audit", "--all-owners"},
		"concurrency 0":      {"list", "--all-owners", "--concurrency", "0"},
		"concurrency 1000":   {"expiring", "--all-owners", "--concurrency", "1000"},
		"concurrency alone":  {"list", "--concurrency", "4"},
	} {
		t.Run(name, func(t *testing.T) {
			w.Server.ResetRequests()
			r := runCLI(t, w, args...)
			assert.Equal(t, exitBadInput, r.code, r.stderr)
			assert.Empty(t, w.Server.Requests(), "nothing was sent")
		})
	}
}

// An owner that cannot be read is named on stderr and printed not at all;
// the others are printed whole, and the exit status is 9. Audit's
// findings among the others are counted in the message.
func TestAllOwnersGoesOnPastAFailedOwner(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	apps := withApps(w, 3, 150) // two pages each
	for name, fault := range map[string]losanttest.Fault{
		"403":                  {Status: http.StatusForbidden},
		"404":                  {Status: http.StatusNotFound},
		"503 past the retries": {Status: http.StatusServiceUnavailable},
	} {
		t.Run(name, func(t *testing.T) {
			w.Server.ClearFaults()
			// the second page of apps[0] fails, after its first succeeded (the
			// fixtures' application is read first, in one page)
			w.Server.Inject(fault, losanttest.For(losanttest.ListApplicationAPITokens), losanttest.Nth(3), losanttest.Times(1))
			r := runCLI(t, w, "list", "--all-owners", "--concurrency", "1", "-o", "json")
			assert.Equal(t, exitSomeOwners, r.code, r.stderr)
			got := decodeSweep(t, r.stdout).tokensByOwner()
			assert.NotContains(t, got, "application "+apps[0], "nothing of the failed owner")
			assert.Len(t, got["application "+apps[1]], 150, "the others whole")
			assert.Len(t, got["application "+apps[2]], 150)
			assert.Contains(t, got, "user")
			assert.Contains(t, r.stderr, "application "+apps[0]+" (app 00)")
			assert.Contains(t, r.stderr, "1 of 6 owners could not be read")
		})
	}
	w.Server.ClearFaults()
	w.Server.Inject(losanttest.Fault{Status: http.StatusForbidden}, losanttest.For(losanttest.ListApplicationAPITokens), losanttest.Nth(2), losanttest.Times(1))
	r := runCLI(t, w, "audit", "--all-owners", "--concurrency", "1")
	assert.Equal(t, exitSomeOwners, r.code, r.stderr)
	assert.Contains(t, r.stderr, "findings in", "the findings of the others are counted")
}

// A list of owners that cannot be read (a token that may list the
// applications and not the instances) is named, the rest printed.
func TestAllOwnersWithAListItMayNotRead(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	orgSecret := "lsnt_org_reader"
	w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: userID, Scope: []string{"all.Organization.read"}, Secret: orgSecret})
	r := runCLIWith(t, w, map[string]string{tokenEnv: orgSecret}, "list", "--all-owners", "-o", "json")
	assert.Equal(t, exitSomeOwners, r.code, r.stderr)
	assert.Contains(t, r.stderr, "listing the instances stopped after 0 of them")
	assert.NotContains(t, r.stderr, orgSecret)
}

// Text an owner's name carries never drives the terminal.
func TestAllOwnersEscapesOwnerNames(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	app := w.Server.AddApplication(losanttest.Application{Name: "\x1b]0;pwned\x07\x1b[31mEvil\u202e", OwnerID: userID})
	w.Server.AddToken(losanttest.Token{Name: "t", OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: app.ID, Scope: []string{"all.Application.read"}})
	for _, format := range []string{"table", "json", "ids"} {
		t.Run(format, func(t *testing.T) {
			r := runCLI(t, w, "list", "--all-owners", "-o", format)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.NotContains(t, r.stdout, "\x1b")
			assert.NotContains(t, r.stdout, "\x07")
			assert.NotContains(t, r.stdout, "\u202e")
		})
	}
	w.Server.Inject(losanttest.Fault{Status: http.StatusForbidden}, losanttest.For(losanttest.ListApplicationAPITokens), losanttest.Nth(2), losanttest.Times(1))
	r := runCLI(t, w, "list", "--all-owners", "--concurrency", "1")
	require.Equal(t, exitSomeOwners, r.code)
	assert.NotContains(t, r.stderr, "\x1b", "nor on stderr")
}

// However many owners and pages, no more than --concurrency requests are
// in flight at once; and more than one is.
func TestAllOwnersKeepsToTheConcurrency(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	withApps(w, 12, 150) // two pages each
	w.Server.Inject(losanttest.Fault{Latency: 5 * time.Millisecond}, losanttest.Times(0))
	var inFlight, peak atomic.Int64
	var awaitOverlap atomic.Bool
	counting := testworld.Stub(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		// Where requests may overlap, the first read of an application's
		// tokens holds its answer until another request is in flight (or
		// long past when one would be), so that overlapping does not
		// depend on how fast the machine is.
		tokens := strings.HasPrefix(r.URL.Path, "/applications/") && strings.HasSuffix(r.URL.Path, "/tokens")
		for deadline := time.Now().Add(10 * time.Second); tokens && awaitOverlap.Load() && peak.Load() < 2 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		w.Server.ServeHTTP(rw, r)
	}))
	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			peak.Store(0)
			awaitOverlap.Store(n > 1)
			r := runCLIAt(t, counting.URL, "audit", "--all-owners", "--concurrency", fmt.Sprint(n), "-o", "json")
			require.Equal(t, exitFindings, r.code, r.stderr)
			assert.LessOrEqual(t, peak.Load(), int64(n))
			if n > 1 {
				assert.Greater(t, peak.Load(), int64(1), "owners are read concurrently")
			}
		})
	}
}

// runCLIAt runs the CLI against the API at baseURL, as the fixtures' user.
func runCLIAt(t *testing.T, baseURL string, args ...string) result {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run(context.Background(), append([]string{"--base-url", baseURL}, args...), environment{
		getenv: func(k string) string { return map[string]string{tokenEnv: secret}[k] },
		stdin:  strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		extraOpts: []losant.Option{losant.WithRetry(losant.RetryPolicy{MaxAttempts: 6, MinWait: time.Millisecond, MaxWait: 50 * time.Millisecond})},
	})
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// Through a network that drops, cuts and stalls answers, and while owners
// are made, every owner is read once, and an owner whose answers never
// come whole is named, not printed in part.
func TestAllOwnersThroughAFaultyNetwork(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	apps := withApps(w, 6, 120)
	proxy := faultproxy.New(t, w.Server.URL)
	var mu sync.Mutex
	made := 0
	flaky := faultproxy.Random(7, 0.3, faultproxy.DropBefore, faultproxy.DropAfter, faultproxy.CutBody)
	proxy.Set(func(r *http.Request) faultproxy.Fault {
		switch {
		case r.URL.Path == "/applications" && r.URL.Query().Get("page") != "0":
			mu.Lock() // an owner made while the sweep runs
			made++
			w.Server.AddApplication(losanttest.Application{Name: fmt.Sprintf("new %d", made), OwnerID: userID})
			mu.Unlock()
		case strings.HasPrefix(r.URL.Path, "/applications/"+apps[3]+"/"):
			return faultproxy.CutBody // this owner's answers are always cut
		}
		return flaky(r)
	})
	r := runCLIAt(t, proxy.URL, "list", "--all-owners", "--timeout", "2s", "-o", "json")
	assert.Equal(t, exitSomeOwners, r.code, r.stderr)
	got := decodeSweep(t, r.stdout).tokensByOwner()
	for i, app := range apps {
		if i == 3 {
			assert.NotContains(t, got, "application "+app, "nothing of an owner whose answer was cut")
			assert.Contains(t, r.stderr, "application "+app)
			continue
		}
		assert.Len(t, got["application "+app], 120, "owner %d whole, each token once", i)
	}
	assert.Len(t, got["user"], 1)
	assert.Equal(t, 1, strings.Count(r.stderr, "losant-tokens: application "), "one owner failed:\n%s", r.stderr)
}

// A 429 storm slows the sweep but loses nothing: every application's list
// meets 429s, as many as half its call's attempts, and every application is
// read whole. (The storm is counted per owner, not shared among them: a
// shared one let one owner's quick retries take every attempt it had when
// the others' requests were slow to come, which a loaded machine made.)
func TestAllOwnersThroughA429Storm(t *testing.T) {
	t.Parallel()
	const per = 3 // runCLIAt's calls make 6 attempts
	w := newWorld(t)
	apps := append(withApps(w, 5, 30), appID)
	proxy := faultproxy.New(t, w.Server.URL)
	var mu sync.Mutex
	throttled := map[string]int{}
	proxy.Set(func(r *http.Request) faultproxy.Fault {
		owner, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/applications/"), "/tokens")
		if !ok || strings.Contains(owner, "/") {
			return faultproxy.Pass
		}
		mu.Lock()
		defer mu.Unlock()
		if throttled[owner] == per {
			return faultproxy.Pass
		}
		throttled[owner]++
		return faultproxy.Throttle
	})
	r := runCLIAt(t, proxy.URL, "list", "--all-owners", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	got := decodeSweep(t, r.stdout).tokensByOwner()
	mu.Lock()
	defer mu.Unlock()
	for _, app := range apps {
		assert.Equal(t, per, throttled[app], "application %s met the storm", app)
	}
	for _, app := range apps[:5] {
		assert.Len(t, got["application "+app], 30)
	}
	assert.Len(t, got["application "+appID], 1)
}

// An owner deleted while the sweep reads it (after its first page) or
// before its turn is named as not found, and nothing of it is printed;
// the others are whole.
func TestAllOwnersWhenAnOwnerIsDeletedMidSweep(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	apps := withApps(w, 4, 150)
	var once sync.Once
	proxy := faultproxy.New(t, w.Server.URL)
	proxy.Set(func(r *http.Request) faultproxy.Fault {
		if r.URL.Path == "/applications/"+apps[1]+"/tokens" && r.URL.Query().Get("page") != "" {
			once.Do(func() { // its second page: the first was read
				w.Server.RemoveApplication(apps[1])
				w.Server.RemoveApplication(apps[3]) // not read yet
			})
		}
		return faultproxy.Pass
	})
	r := runCLIAt(t, proxy.URL, "list", "--all-owners", "--concurrency", "1", "-o", "json")
	assert.Equal(t, exitSomeOwners, r.code, r.stderr)
	got := decodeSweep(t, r.stdout).tokensByOwner()
	assert.NotContains(t, got, "application "+apps[1])
	assert.NotContains(t, got, "application "+apps[3])
	assert.Len(t, got["application "+apps[0]], 150)
	assert.Len(t, got["application "+apps[2]], 150)
	assert.Contains(t, r.stderr, "application "+apps[1]+" (app 01): GET /applications/"+apps[1]+"/tokens: 404")
	assert.Contains(t, r.stderr, "2 of 7 owners could not be read")
}

// Invisible and format characters in an owner's or a token's name are
// escaped in a table, and kept exact (escaped as JSON) in JSON.
func TestAllOwnersEscapesInvisibleCharacters(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	invisible := "\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\U000e0041"
	app := w.Server.AddApplication(losanttest.Application{Name: "prod" + invisible, OwnerID: userID})
	w.Server.AddToken(losanttest.Token{Name: "ci" + invisible, OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: app.ID, Scope: []string{"all.Application.read"}})
	r := runCLI(t, w, "list", "--all-owners", "-o", "table")
	require.Equal(t, exitOK, r.code, r.stderr)
	for _, c := range invisible {
		assert.NotContains(t, r.stdout, string(c), "%U in the table", c)
	}
	assert.Contains(t, r.stdout, `prod\u200b\u200c`)
	assert.Contains(t, r.stdout, `ci\u200b\u200c`)

	r = runCLI(t, w, "list", "--all-owners", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	for _, c := range invisible {
		assert.NotContains(t, r.stdout, string(c), "%U in the JSON", c)
	}
	got := decodeSweep(t, r.stdout)
	names := map[string]bool{}
	for _, tok := range got.Tokens {
		names[tok.Owner.Name] = true
	}
	assert.True(t, names["prod"+invisible], "JSON decodes to the exact name: %v", names)
}

// A sweep that reads no owner exits as reading one owner would for the
// cause, not 9: an application's token (which may list no owner) exits 4
// and is told to name its owner; so does a token that is not valid, and
// an every owner that fails for a 503 exits 5.
func TestAllOwnersThatReadsNothingExitsForTheCause(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	appSecret := "lsnt_app_own_secret"
	w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: appID, Scope: []string{"all.Application"}, Secret: appSecret})
	for _, command := range []string{"list", "expiring", "audit"} {
		t.Run(command, func(t *testing.T) {
			r := runCLIWith(t, w, map[string]string{tokenEnv: appSecret}, command, "--all-owners", "-o", "json")
			assert.Equal(t, exitDenied, r.code, r.stderr)
			assert.Contains(t, r.stderr, "-a/--application")
			assert.NotContains(t, r.stderr, "owners could not be read")
			assert.NotContains(t, r.stderr, "user:", "the user is not an owner an application's token reaches")
		})
	}

	r := runCLIWith(t, w, map[string]string{tokenEnv: "lsnt_not_valid"}, "list", "--all-owners")
	assert.Equal(t, exitDenied, r.code, r.stderr)
	assert.Equal(t, 1, strings.Count(r.stderr, "401"), "the first list's 401 is final:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "the access token was refused (not valid", "a token not valid is not told to name its owner")
	assert.NotContains(t, r.stderr, "-a/--application")

	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.For(losanttest.ListUserAPITokens), losanttest.Times(0))
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.For(losanttest.ListApplicationAPITokens), losanttest.Times(0))
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.For(losanttest.ListInstanceAPITokens), losanttest.Times(0))
	r = runCLI(t, w, "list", "--all-owners", "-o", "json")
	assert.Equal(t, exitTransient, r.code, r.stderr)
	assert.Contains(t, r.stderr, "no owner could be read")
	assert.Contains(t, r.stderr, "none of the 3 owners found could be read")
}

// A list of owners that stops is not counted as an owner: the message says
// the number of owners is unknown.
func TestAllOwnersWhenAListOfOwnersFails(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.Server.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.For(losanttest.ListInstances), losanttest.Times(0))
	r := runCLI(t, w, "list", "--all-owners", "-o", "json")
	assert.Equal(t, exitSomeOwners, r.code, r.stderr)
	assert.Contains(t, r.stderr, "the list of instances could not be read to the end (named above), so how many owners there are is unknown: 2 owners were read")
	assert.NotContains(t, r.stderr, " of 3 owners")
	var tail struct {
		OwnersRead       []ownerJSON  `json:"ownersRead"`
		OwnersUnread     []unreadJSON `json:"ownersUnread"`
		OwnerListsUnread []listJSON   `json:"ownerListsUnread"`
		Complete         *bool        `json:"complete"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &tail), r.stdout)
	assert.Equal(t, []ownerJSON{{Type: "user"}, {Type: "application", ID: appID, Name: "application " + appID}}, tail.OwnersRead)
	assert.Empty(t, tail.OwnersUnread)
	require.Len(t, tail.OwnerListsUnread, 1)
	assert.Equal(t, "instances", tail.OwnerListsUnread[0].List)
	assert.Contains(t, tail.OwnerListsUnread[0].Error, "503")
	require.NotNil(t, tail.Complete)
	assert.False(t, *tail.Complete)
}

// The JSON of a sweep names the owners read and those not, with why, in
// every sweeping command; a whole sweep says it is complete.
func TestAllOwnersJSONSaysWhatWasRead(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	apps := withApps(w, 2, 3)
	type tail struct {
		OwnersRead   []ownerJSON  `json:"ownersRead"`
		OwnersUnread []unreadJSON `json:"ownersUnread"`
		OwnersFound  int          `json:"ownersFound"`
		Complete     bool         `json:"complete"`
	}
	for _, args := range [][]string{{"list"}, {"expiring", "--within", "30d"}, {"audit"}, {"retire", "--older-than", "30d"}} {
		t.Run(args[0], func(t *testing.T) {
			w.Server.ClearFaults()
			r := runCLI(t, w, append(args, "--all-owners", "-o", "json")...)
			require.Contains(t, []int{exitOK, exitFindings}, r.code, r.stderr)
			var whole tail
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &whole), r.stdout)
			assert.True(t, whole.Complete)
			assert.Len(t, whole.OwnersRead, 5, "the user, 3 applications, the instance")
			assert.Equal(t, 5, whole.OwnersFound)

			w.Server.Inject(losanttest.Fault{Status: http.StatusForbidden}, losanttest.For(losanttest.ListApplicationAPITokens), losanttest.Nth(3), losanttest.Times(1))
			r = runCLI(t, w, append(args, "--all-owners", "--concurrency", "1", "-o", "json")...)
			require.Equal(t, exitSomeOwners, r.code, r.stderr)
			var part tail
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &part), r.stdout)
			assert.False(t, part.Complete)
			assert.Len(t, part.OwnersRead, 4)
			require.Len(t, part.OwnersUnread, 1)
			assert.Equal(t, &ownerJSON{Type: "application", ID: apps[1], Name: "app 01"}, part.OwnersUnread[0].Owner)
			assert.Contains(t, part.OwnersUnread[0].Error, "403")
		})
	}
}

// Interrupted, a sweep still closes its JSON, which says it is not
// complete, and the message says how many owners of those found were read.
func TestAllOwnersInterruptedClosesItsJSON(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	apps := withApps(w, 6, 120)
	proxy := faultproxy.New(t, w.Server.URL)
	for _, command := range []string{"list", "audit"} {
		t.Run(command, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			proxy.Set(func(r *http.Request) faultproxy.Fault {
				if strings.HasPrefix(r.URL.Path, "/applications/"+apps[2]+"/") {
					cancel() // Ctrl-C while the third of the applications added is read
				}
				return faultproxy.Pass
			})
			var stdout, stderr strings.Builder
			code := run(ctx, []string{"--base-url", proxy.URL, command, "--all-owners", "--concurrency", "1", "-o", "json"}, environment{
				getenv: func(k string) string { return map[string]string{tokenEnv: secret}[k] },
				stdin:  strings.NewReader(""), stdout: &stdout, stderr: &stderr,
				extraOpts: []losant.Option{losant.WithoutRetries()},
			})
			assert.Equal(t, exitInterrupted, code, stderr.String())
			var got struct {
				OwnersRead  []ownerJSON `json:"ownersRead"`
				OwnersFound int         `json:"ownersFound"`
				Complete    bool        `json:"complete"`
				Interrupted bool        `json:"interrupted"`
			}
			require.NoError(t, json.Unmarshal([]byte(stdout.String()), &got), "valid JSON:\n%s", stdout.String())
			assert.True(t, got.Interrupted)
			assert.False(t, got.Complete)
			assert.Len(t, got.OwnersRead, 4, "the user, the fixtures' application, apps[0] and apps[1], read before the cancel")
			assert.Contains(t, stderr.String(), fmt.Sprintf("interrupted: %d of the %d owners found were read", len(got.OwnersRead), got.OwnersFound))
		})
	}
}

// A --limit met by the first owner's last token ends the sweep there: an
// owner after it that would fail is not read, so it neither prints a
// warning nor turns the exit status into 9.
func TestAllOwnersStopsOnceTheLimitIsMet(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := runCLI(t, w, "list", "-o", "ids")
	require.Equal(t, exitOK, r.code, r.stderr)
	userTokens := strings.Count(r.stdout, "\n")
	require.Positive(t, userTokens)
	w.Server.Inject(losanttest.Fault{Status: http.StatusNotFound}, losanttest.For(losanttest.ListApplicationAPITokens), losanttest.Times(0))
	w.Server.Inject(losanttest.Fault{Status: http.StatusNotFound}, losanttest.For(losanttest.ListInstanceAPITokens), losanttest.Times(0))

	r = runCLI(t, w, "list", "--all-owners", "--concurrency", "1", "--limit", strconv.Itoa(userTokens), "-o", "ids")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, userTokens, strings.Count(r.stdout, "\n"))
	assert.NotContains(t, r.stderr, "could not be read")
}
