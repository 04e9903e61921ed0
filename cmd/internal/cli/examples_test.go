package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every losant-tokens example of README.md and docs/*.md runs, in order,
// against the fake seeded with the repository's fixtures, and exits as its
// comment says (0 unless "# exit N").
func TestReadmeExamplesRun(t *testing.T) {
	t.Parallel()
	docs, err := filepath.Glob("../../../docs/*.md")
	require.NoError(t, err)
	for _, doc := range append([]string{"../../../README.md"}, docs...) {
		examples := shellExamples(t, doc)
		if len(examples) == 0 {
			continue
		}
		t.Run(filepath.Base(doc), func(t *testing.T) {
			newShellWorld(t).runExamples(t, examples)
		})
	}
	assert.GreaterOrEqual(t, len(shellExamples(t, "../../../README.md")), 8, "the README's examples are found")
}

// Every command's --help has examples, and each of them runs against the
// fixtures (a fresh fake for each command, since one command's examples
// may retire the token another's use).
func TestEveryCommandsHelpExamplesRun(t *testing.T) {
	t.Parallel()
	root := newRoot(environment{getenv: func(string) string { return "" }})
	for _, cmd := range append(root.Commands(), root) {
		if cmd.Hidden || cmd.Name() == "help" || cmd.Name() == "completion" || cmd.Name() == "demo" {
			continue
		}
		t.Run(cmd.Name(), func(t *testing.T) {
			require.NotEmpty(t, cmd.Example, "%s --help shows examples", cmd.Name())
			w := newShellWorld(t)
			require.NoError(t, os.WriteFile(filepath.Join(w.dir, "gateway.json"),
				[]byte(`{"name": "Gateway 8", "scope": ["all.Application.read"], "expirationDate": "2099-01-01T00:00:00Z"}`), 0o600))
			r := w.exec(t, "", cmd.Name(), "--help")
			assert.Contains(t, r.stdout, "Examples:")
			var examples []example
			for _, line := range strings.Split(cmd.Example, "\n") {
				line = strings.TrimSpace(line)
				if !strings.HasPrefix(line, "losant-tokens ") {
					continue
				}
				ex := example{where: cmd.Name() + " --help", line: line}
				if m := exitComment.FindStringSubmatch(line); m != nil {
					ex.code, _ = strconv.Atoi(m[1])
				}
				examples = append(examples, ex)
			}
			w.runExamples(t, examples)
		})
	}
}
