package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/rotation"
)

// Each Go phrase inCLIWords rewrites is one the library still says: a
// string in the source of the root package or of package rotation (its
// format verbs filled in as the library fills them), so that rewording a message there fails here
// instead of leaving the CLI to print the Go API's names.
func TestInCLIWordsRewritesPhrasesTheLibrarySays(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../../*.go")
	require.NoError(t, err)
	rotationFiles, err := filepath.Glob("../../../rotation/*.go")
	require.NoError(t, err)
	files = append(files, rotationFiles...)
	var literals []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				literals = append(literals, strings.ReplaceAll(s, "%s", rotation.MinSuccessorLifetime.String()))
			}
			return true
		})
	}
	require.NotEmpty(t, literals)
	words := goWords()
	for i := 0; i < len(words); i += 2 {
		t.Run(words[i], func(t *testing.T) {
			said := false
			for _, lit := range literals {
				said = said || strings.Contains(lit, words[i])
			}
			assert.True(t, said, "no string of the library says %q any more: reword its rewrite", words[i])
			assert.Equal(t, words[i+1], inCLIWords(words[i]))
		})
	}
}
