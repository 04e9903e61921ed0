package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/tokenfile"
)

// Every source of the access token reads it as the library reads a token
// file (tokenfile.Parse): $LOSANT_API_TOKEN, --token-file, --token-file -
// typed at a terminal and --token-command take the same content and refuse
// the same, for the same reason, unsent and without quoting it.
func TestEverySourceOfTheTokenReadsItAlike(t *testing.T) {
	w := newWorld(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content, say string
	}{
		{"trimmed", "\uFEFF  " + secret + " \r\n", ""},
		{"blank", " \t\r\n", "is not a token: empty"},
		{"two words", secret + " " + secret, "is not a token: a space at byte"},
		{"a tab within", secret + "\t" + secret, "is not a token: a control character at byte"},
		{"oversized", strings.Repeat(secret, tokenfile.MaxBytes/len(secret)+1), "is not a token: larger than 4096 bytes"},
	} {
		path := filepath.Join(dir, tc.name)
		require.NoError(t, os.WriteFile(path, []byte(tc.content), 0o600))
		typed := func(e *environment) {
			e.readHidden = func(context.Context, string) (string, error) { return tc.content, nil }
		}
		sent := len(w.Server.Requests())
		runs := map[string]result{
			"$" + tokenEnv:    runWith(t, w, map[string]string{tokenEnv: tc.content}, nil, "get", cliToken),
			"--token-file":    runWith(t, w, nil, nil, "--token-file", path, "get", cliToken),
			"--token-file -":  runWith(t, w, nil, typed, "--token-file", "-", "get", cliToken),
			"--token-command": runWith(t, w, nil, nil, "--token-command", "cat '"+path+"'", "get", cliToken),
		}
		if tc.say != "" {
			assert.Len(t, w.Server.Requests(), sent, "%s: nothing is sent", tc.name)
		}
		for source, r := range runs {
			if tc.say == "" {
				assert.Equal(t, exitOK, r.code, "%s, %s: %s", tc.name, source, r.stderr)
				assert.Contains(t, r.stdout, cliToken, "%s, %s", tc.name, source)
				continue
			}
			assert.Equal(t, exitBadInput, r.code, "%s, %s: %s", tc.name, source, r.stderr)
			assert.Contains(t, r.stderr, source+": ", "%s, %s", tc.name, source)
			assert.Contains(t, r.stderr, tc.say, "%s, %s", tc.name, source)
			assert.NotContains(t, r.stderr, secret, "%s, %s", tc.name, source)
		}
	}
}
