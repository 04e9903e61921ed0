package losant_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// No package of the module exports a variable but an error sentinel
// (ErrX = errors.New(...)): one line anywhere in a program could change an
// exported table, list or default under every other user of it. Tables,
// lists and defaults are functions that return copies, or unexported.
func TestNoPackageExportsMutableState(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	var found []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if name.IsExported() && !isErrorSentinel(name.Name, vs, i) {
						found = append(found, fset.Position(name.Pos()).String()+": var "+name.Name)
					}
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, found, "exported variables: make each a function that returns a copy, or unexported")
}

// isErrorSentinel reports whether the i-th name of vs is ErrX =
// errors.New(...): the one kind of exported variable allowed.
func isErrorSentinel(name string, vs *ast.ValueSpec, i int) bool {
	if !strings.HasPrefix(name, "Err") || len(vs.Values) <= i {
		return false
	}
	call, ok := vs.Values[i].(*ast.CallExpr)
	if !ok {
		return false
	}
	fun, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := fun.X.(*ast.Ident)
	return ok && pkg.Name == "errors" && fun.Sel.Name == "New"
}
