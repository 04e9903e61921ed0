package repochecks_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// maxDocLines is the longest doc comment an exported name of a shipped
// package may have: what the name does, in a few lines; the long
// explanations live in docs/GUIDE.md.
const maxDocLines = 8

// Every exported name of the packages a user imports (the root, gen's
// hand-written files, losanttest, rotation, tokenfile) has a doc comment
// of at most maxDocLines lines. A package doc (doc.go) is not held to it.
func TestDocCommentsAreShort(t *testing.T) {
	var long []string
	for _, dir := range []string{".", "gen", "losanttest", "rotation", "tokenfile"} {
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool {
			name := fi.Name()
			return !strings.HasSuffix(name, "_test.go") && !strings.HasSuffix(name, ".gen.go") && name != "doc.go"
		}, parser.ParseComments)
		if err != nil {
			continue // a package not made yet
		}
		for _, pkg := range pkgs {
			for path, f := range pkg.Files {
				check := func(name string, doc *ast.CommentGroup) {
					if doc == nil || !ast.IsExported(name) {
						return
					}
					if n := strings.Count(strings.TrimSpace(doc.Text()), "\n") + 1; n > maxDocLines {
						long = append(long, filepath.ToSlash(path)+": "+name+": "+strconv.Itoa(n)+" lines")
					}
				}
				for _, d := range f.Decls {
					switch d := d.(type) {
					case *ast.FuncDecl:
						check(d.Name.Name, d.Doc)
					case *ast.GenDecl:
						for _, s := range d.Specs {
							switch s := s.(type) {
							case *ast.TypeSpec:
								doc := s.Doc
								if doc == nil && len(d.Specs) == 1 {
									doc = d.Doc
								}
								check(s.Name.Name, doc)
							case *ast.ValueSpec:
								doc := s.Doc
								if doc == nil && len(d.Specs) == 1 {
									doc = d.Doc
								}
								for _, n := range s.Names {
									check(n.Name, doc)
								}
							}
						}
					}
				}
			}
		}
	}
	if len(long) > 0 {
		t.Errorf("doc comments over %d lines (move the explanation to docs/GUIDE.md):\n%s", maxDocLines, strings.Join(long, "\n"))
	}
}
