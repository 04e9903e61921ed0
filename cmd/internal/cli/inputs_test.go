package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// The tests in this file hold the operator's input to what it can be: a
// flag given twice, a token pasted into --domain or --base-url, an owner
// named twice, a command that does not exist.

// pastedJWT is an access token (a JWT, as Losant's are) pasted where a
// hostname or a URL's path belongs: its every part is a valid DNS label.
const pastedJWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1NzVlZDcwYzdhZTE0M2NkODNkYzRhYTkifQ.c2lnbmF0dXJlMDEyMzQ1Njc4OWFi"

// --domain takes a hostname: a token pasted there is refused before
// anything is sent, and never echoed.
func TestDomainMustBeAHostname(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for _, domain := range []string{pastedJWT, pasted, "app.example.com/x", "app example.com", "-app.example.com", "app..example.com", "localhost", strings.Repeat("a", 64) + ".example.com"} {
		before := len(w.Server.Requests())
		r := w.exec(t, "", "--domain", domain, "list")
		assert.Equal(t, exitBadInput, r.code, "%q: %s", domain, r.stderr)
		assert.Contains(t, r.stderr, "--domain", domain)
		assert.NotContains(t, r.stderr+r.stdout, domain, "never echoed")
		for _, part := range strings.Split(domain, ".") {
			if len(part) > 12 {
				assert.NotContains(t, r.stderr+r.stdout, part, "no part of it is echoed")
			}
		}
		assert.Len(t, w.Server.Requests(), before, "%q: nothing was sent", domain)
	}
	r := w.exec(t, "", "--domain", "Tokens.Example-1.com", "list")
	assert.Equal(t, exitOK, r.code, "a hostname is taken: %s", r.stderr)
}

// A flag that takes one value, given twice, is refused (exit 2) before
// anything is made: the second would silently replace the first.
// --deliver-file is one of them: rotate delivers to one file.
func TestSingleValueFlagsGivenTwiceAreRefused(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for _, name := range []string{"a", "b"} {
		require.NoError(t, os.WriteFile(filepath.Join(w.dir, name), []byte("old\n"), 0o600))
	}
	for _, args := range [][]string{
		{"-a", fxApp, "rotate", fxAppToken, "--deliver-file", "a", "--deliver-file", "b"},
		{"-a", fxApp, "rotate", fxAppToken, "--deliver-file=a", "--deliver-file=a"},
		{"-o", "json", "--output", "table", "list"},
		{"--timeout", "5s", "--timeout", "10s", "list"},
		{"--token-file", "a", "--token-file", "b", "list"},
		{"--base-url", w.Server.URL, "--base-url", w.Server.URL, "list"},
		{"create", "--name", "x", "--name", "y", "--scope", "all.User.read"},
		{"delete", "--yes", "--yes", fxBackup},
	} {
		before := len(w.Server.Requests())
		r := w.exec(t, "", args...)
		assert.Equal(t, exitBadInput, r.code, "%v: %s", args, r.stderr)
		assert.Contains(t, r.stderr, "given twice", args)
		assert.Len(t, w.Server.Requests(), before, "%v: nothing was sent", args)
	}
	for _, name := range []string{"a", "b"} {
		assert.Equal(t, "old\n", readString(t, filepath.Join(w.dir, name)), "nothing was delivered")
	}
	assert.Equal(t, "active", status(w.World, fxBackup), "nothing was deleted")

	// A flag meant to be repeated still is.
	r := w.exec(t, "", "audit", "-a", fxApp, "-i", fxInstance, "--forbid-scope", "all.Organization*", "--forbid-scope", "all.Instance*")
	assert.NotEqual(t, exitBadInput, r.code, r.stderr)
}

// An owner named twice is read once.
func TestARepeatedOwnerIsReadOnce(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	lists := func() int {
		n := 0
		for _, req := range w.Server.Requests() {
			if req.Operation == losanttest.ListApplicationAPITokens {
				n++
			}
		}
		return n
	}
	once := w.exec(t, "", "-o", "json", "audit", "-a", fxApp)
	readOnce := lists()
	require.NotZero(t, readOnce)
	twice := w.exec(t, "", "-o", "json", "audit", "-a", fxApp, "--application", fxApp, "-a", fxApp)
	assert.Equal(t, once.code, twice.code, twice.stderr)
	assert.Equal(t, readOnce, lists()-readOnce, "the application's tokens are read once")
	assert.Equal(t, once.stdout, twice.stdout, "each finding once")

	r := w.exec(t, "", "-a", fxApp, "-a", fxApp, "get", fxAppToken)
	assert.Equal(t, exitOK, r.code, "one owner, named twice: %s", r.stderr)
}

// A command that does not exist exits 2, under every command that has
// subcommands.
func TestUnknownCommandsExitTwoEverywhere(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	for _, args := range [][]string{{"bogus"}, {"completion", "bogus"}, {"help", "bogus"}, {"completion", "bash", "bogus"}} {
		r := w.exec(t, "", args...)
		assert.Equal(t, exitBadInput, r.code, "%v: %s", args, r.stderr)
	}
	r := w.exec(t, "", "completion", "bash")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "bash completion")
}

// create --expires has a minimum, an hour, as a successor's does: a token
// that expires sooner would be dead before it is in place.
func TestCreateExpiresHasAMinimum(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, expires := range []string{"1s", "59m", time.Now().Add(30 * time.Minute).UTC().Format(time.RFC3339)} {
		r := runCLI(t, w, "create", "--name", "x", "--scope", "all.User.read", "--expires", expires)
		assert.Equal(t, exitBadInput, r.code, "%s: %s", expires, r.stderr)
		assert.Contains(t, r.stderr, "at least an hour away", expires)
	}
	r := runCLI(t, w, "create", "--name", "x", "--scope", "all.User.read", "--expires", "1h")
	assert.Equal(t, exitOK, r.code, r.stderr)
}

// https:// to a server that speaks plain http is a configuration error
// (exit 2), not a transient one (5, "the same command again is safe"):
// every attempt would meet it.
func TestHTTPSToAPlainHTTPServerIsAConfigurationError(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	r := w.exec(t, "", "--base-url", strings.Replace(w.Server.URL, "http://", "https://", 1), "list")
	assert.Equal(t, exitBadInput, r.code, r.stderr)
	assert.Contains(t, r.stderr, "plain HTTP")
}

// A token pasted into the base URL is refused before anything is sent,
// unquoted, as a configuration error; another secret in its path (one no
// check can tell) reaches no error: not a network error's, not a
// plain-HTTP server's, not the API's.
func TestATokenInTheBaseURLPathNeverReachesAnError(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	notFound := testworld.Stub(t, http.NotFoundHandler())
	for _, base := range []string{"http://127.0.0.1:1/" + pastedJWT, notFound.URL + "/v1/" + pastedJWT + "/", "https://" + pastedJWT} {
		r := w.exec(t, "", "--base-url", base, "--timeout", "2s", "get", fxCLI)
		assert.Equal(t, exitBadInput, r.code, r.stderr)
		assert.Contains(t, r.stderr, "shaped like a token")
		for _, part := range strings.Split(pastedJWT, ".") {
			assert.NotContains(t, r.stderr+r.stdout, part, "%s: %s", base, r.stderr)
		}
	}
	const secret = "s3cr3t-pa55word-in-the-path"
	for i, base := range []string{
		"http://127.0.0.1:1/" + secret, // no one listens
		strings.Replace(w.Server.URL, "http://", "https://", 1) + "/v1/" + secret + "/", // a plain-HTTP server
		notFound.URL + "/" + secret, // an answer that is not the API's
		notFound.URL + "/" + secret + "/",
	} {
		r := w.exec(t, "", "--base-url", base, "--timeout", "2s", "get", fxCLI)
		assert.NotEqual(t, exitOK, r.code)
		assert.NotContains(t, r.stderr+r.stdout, secret, "%s: %s", base, r.stderr)
		if i < 2 { // a network error's URL
			host := regexp.MustCompile(`^https?://[^/]+`).FindString(base)
			assert.Contains(t, r.stderr, host, "the host is named")
		}
	}
}

// The hints that finish or undo a rotation, in text and in JSON, name
// --base-url, --domain and --token-file by placeholders, never by the
// values given (a secret may have been pasted in their place); with them
// filled in, the command works.
func TestHintsUsePlaceholdersForTheConfiguration(t *testing.T) {
	t.Parallel()
	w := newShellWorld(t)
	tokenFile := filepath.Join(w.dir, "my-token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(fixtureSecret+"\n"), 0o600))
	w.env = []string{w.env[0], w.env[1]} // neither $LOSANT_BASE_URL nor $LOSANT_API_TOKEN
	given := []string{"--base-url", w.Server.URL, "--domain", "tokens.example.com", "--token-file", tokenFile}
	token := fxAppToken
	for _, format := range []string{"table", "json"} {
		r := w.exec(t, "", append(given, "-o", format, "-a", fxApp, "rotate", token)...)
		require.Equal(t, exitOK, r.code, r.stderr)
		hint := regexp.MustCompile(`(losant-tokens [^"\n]*--complete ([0-9a-f]{24}))`).FindStringSubmatch(r.stdout)
		require.NotNil(t, hint, r.stdout)
		for _, value := range []string{w.Server.URL, "tokens.example.com", tokenFile, "my-token"} {
			assert.NotContains(t, r.stdout+r.stderr, value, format)
		}
		assert.Contains(t, hint[1], "--base-url BASE_URL --domain DOMAIN")
		assert.Contains(t, hint[1], "--token-file TOKEN_FILE")

		filled := strings.NewReplacer("BASE_URL", w.Server.URL, "DOMAIN", "tokens.example.com", "TOKEN_FILE", tokenFile).Replace(hint[1])
		r = w.sh(t, "", filled)
		require.Equal(t, exitOK, r.code, "%s: %s", filled, r.stderr)
		assert.Contains(t, r.stdout, `"completed": true`)
		token = hint[2] // the next rotation's
	}

	// Left as they are, the placeholders send nothing.
	r := w.exec(t, "", "--base-url", "BASE_URL", "--domain", "DOMAIN", "list")
	assert.Equal(t, exitBadInput, r.code, r.stderr)
}
