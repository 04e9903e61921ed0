package cli

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// The tests in this file run the built binary against a server that lies:
// what it sends is data, checked for what it claims to be, and never turns
// the tool against its operator.

// lyingIDs are what a server may send as token IDs: flags that would point
// the next command elsewhere, a control sequence, a newline that adds a
// line to a pipeline.
var lyingIDs = []string{
	"--base-url=http://127.0.0.1:1",
	"--token-file=/etc/passwd",
	"5a1f0e3b7ae143cd83dc4b0\x1b[2J",
	"5a1f0e3b7ae143cd83dc4b02\n--yes",
}

// lyingServer answers every list with tokens whose IDs are lyingIDs, and
// counts every request.
func lyingServer(t *testing.T) (url string, requests *atomic.Int64) {
	requests = new(atomic.Int64)
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		var items []map[string]any
		for _, id := range lyingIDs {
			items = append(items, map[string]any{"id": id, "name": "t", "status": "inactive", "scope": []string{"all.User"}, "expirationDate": "2020-01-01T00:00:00Z"})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"items": items, "count": len(items), "totalCount": len(items), "perPage": 100, "page": 0})
	}))
	return srv.URL, requests
}

// An ID the server sends is printed for a script only if it is an API ID:
// README's pipeline sends nothing anywhere, completion offers nothing,
// and the run fails, saying why.
func TestServerChosenIDsNeverReachAPipeline(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	url, requests := lyingServer(t)
	for _, args := range [][]string{
		{"--base-url", url, "-o", "ids", "list"},
		{"--base-url", url, "-o", "ids", "audit"},
		{"--base-url", url, "-o", "ids", "expiring", "--include-inactive"},
	} {
		r := w.exec(t, "", args...)
		assert.Equal(t, exitFailure, r.code, "%v: %s", args, r.stderr)
		assert.Empty(t, r.stdout, args)
		assert.Contains(t, r.stderr, "not an ID", args)
		assertInert(t, r.stderr)
	}
	r := w.exec(t, "", "__complete", "--base-url", url, "get", "")
	for _, id := range lyingIDs {
		assert.NotContains(t, r.stdout, id[:10], "completion offers no ID that is not one")
	}

	before := requests.Load()
	r = w.sh(t, "", "losant-tokens --base-url "+url+" list --filter-field status --filter inactive -o ids | xargs -r losant-tokens delete --yes --")
	assert.Equal(t, before+1, requests.Load(), "only the list reached the server: %s", r.stderr)
}

// The numbers an operator gives cannot wrap around: 213504 days is past
// what a duration holds, and is refused rather than read as 25 minutes.
func TestDurationsThatWouldWrapAreRefused(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for _, args := range [][]string{
		{"create", "--name", "n", "--scope", "all.User.read", "--expires", "213504d"},
		{"create", "--name", "n", "--scope", "all.User.read", "--expires", "30501w"},
		{"expiring", "--within", "213504d"},
		{"audit", "--max-age", "213504d"},
		{"audit", "--max-lifetime", "30501w"},
	} {
		before := len(w.Server.Requests())
		r := w.exec(t, "", args...)
		assert.Equal(t, exitBadInput, r.code, "%v: %s", args, r.stderr)
		assert.Len(t, w.Server.Requests(), before, "%v: nothing was sent", args)
	}
}

// A secret file is whole or absent, and a secret that cannot be written
// there is printed nowhere either: a write that fails (here, a file-size
// limit of zero) leaves no file, no temporary file and no secret on
// stdout or stderr, under -o json and -o ids alike; the message names the
// token and the command that deletes it, and the exit status is 8.
func TestSecretFilesAreWholeOrAbsent(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	path := filepath.Join(w.dir, "token")
	for _, format := range []string{"json", "ids"} {
		r := w.sh(t, "", "ulimit -f 0; losant-tokens -o "+format+" create --name n --scope all.User.read --secret-file "+path)
		assert.Equal(t, exitLocalWrite, r.code, r.stderr)
		assert.NoFileExists(t, path)
		entries, err := os.ReadDir(w.dir)
		require.NoError(t, err)
		assert.Empty(t, entries, "no temporary file is left either")
		assert.NotContains(t, r.stdout+r.stderr, "lsnt_", "-o %s: the secret is diverted nowhere", format)
		assert.Contains(t, r.stderr, "is lost, printed nowhere")
		m := regexp.MustCompile(`delete it \((losant-tokens [^)]*delete --yes [0-9a-f]{24})\)`).FindStringSubmatch(r.stderr)
		require.NotNil(t, m, r.stderr)
		assert.Equal(t, exitOK, w.sh(t, "", m[1]).code, "the command deletes the token")
	}
}

// A base URL that is not one is not quoted: with the variables swapped,
// the token set as the base URL is not printed.
func TestABaseURLThatIsNotOneIsNotQuoted(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	w.env = append(w.env, baseURLEnv+"="+fixtureSecret, tokenEnv+"=http://127.0.0.1:8080")
	for _, args := range [][]string{{"list"}, {"--base-url", "https:/ops:hunter2@host", "list"}, {"--base-url", "https://host?key=hunter2", "list"}} {
		r := w.exec(t, "", args...)
		assert.Equal(t, exitBadInput, r.code, r.stderr)
		assert.NotContains(t, r.stderr, fixtureSecret)
		assert.NotContains(t, r.stderr, "hunter2")
		assert.NotContains(t, r.stderr, "NewClient")
	}
}

// The chmod hint shows a path's control characters escaped.
func TestChmodHintIsInert(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	path := filepath.Join(w.dir, "tok\x1b[2Jen")
	require.NoError(t, os.WriteFile(path, []byte(fixtureSecret+"\n"), 0o644))
	r := w.exec(t, "", "--token-file", path, "list")
	assert.Contains(t, r.stderr, "chmod 600")
	assertInert(t, strings.ReplaceAll(r.stderr, "\n", " "))
}

// audit prints each finding as it is found rather than holding them all:
// a listing that fails on its second page has already printed the first
// page's findings (memory stays flat however many tokens there are).
func TestAuditStreamsItsFindings(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for i := 0; i < 150; i++ {
		w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: fxUser, Scope: []string{"all.User.read"}})
	}
	w.Server.Inject(losanttest.Fault{}, losanttest.Times(1)) // the first page passes
	w.Server.Inject(losanttest.Fault{Status: http.StatusBadRequest}, losanttest.Times(0))
	r := w.exec(t, "", "-o", "json", "audit")
	assert.Equal(t, exitBadInput, r.code, r.stderr)
	assert.GreaterOrEqual(t, strings.Count(r.stdout, `"rule": "never-expires"`), 50, "the first page's findings were printed before the failure")
}

// A create answered with an id that is not an ID leaves no command to
// paste: the secret is printed, the rotation is reported unfinished (7),
// and nothing the server chose is offered as a command line.
func TestASuccessorIDThatIsNotOneIsNeverACommand(t *testing.T) {
	t.Parallel()
	const old = "5a1f0e3b7ae143cd83dc4b02"
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		tok := map[string]any{"id": old, "name": "t", "status": "active", "scope": []string{"all.User.read"},
			"creationDate": "2026-01-01T00:00:00Z"}
		switch {
		case r.Method == http.MethodPost:
			tok["id"], tok["token"] = "--base-url=http://127.0.0.1:1", "lsnt_made_by_a_liar"
			w.WriteHeader(http.StatusCreated)
		case r.URL.Path == "/me/tokens": // the list rotate reads for an open rotation: the old token alone
			_ = json.NewEncoder(w).Encode(map[string]any{"items": []any{tok}, "count": 1, "totalCount": 1, "perPage": 100, "page": 0})
			return
		}
		_ = json.NewEncoder(w).Encode(tok)
	}))
	w := newShellWorld(t)
	r := w.exec(t, "", "--base-url", srv.URL, "-o", "json", "rotate", old)
	assert.Equal(t, exitUnknownOutcome, r.code, r.stderr)
	assert.Contains(t, r.stdout, "lsnt_made_by_a_liar", "the secret is not dropped")
	assert.NotContains(t, r.stdout+r.stderr, "--complete --base-url", "no server-chosen command")
}
