package repochecks_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmeBlock is a Go code block of a Markdown file, and where it starts.
type readmeBlock struct {
	file string
	line int
	code string
}

// readmeImports are the packages README blocks may use without importing
// them: a block is a snippet, and its imports are found from what it uses.
var readmeImports = map[string]string{
	"context": "context", "errors": "errors", "fmt": "fmt", "log": "log", "os": "os",
	"time": "time", "testing": "testing", "http": "net/http", "slog": "log/slog",
	"losant":     "github.com/specdriven/losant",
	"losanttest": "github.com/specdriven/losant/losanttest",
	"gen":        "github.com/specdriven/losant/gen",
	"rotation":   "github.com/specdriven/losant/rotation",
	"devices":    "github.com/specdriven/losant/examples/devices/devices",
	"tokenfile":  "github.com/specdriven/losant/tokenfile",
	"atomic":     "sync/atomic",
}

// blockModules names the modules other than the root's whose packages a
// block may import: such a block is compiled in that module, since the
// root module cannot import it.
var blockModules = map[string]string{
	"github.com/specdriven/losant/examples/devices/": "examples/devices",
}

// blockModule returns the directory, under the root, of the module that
// compiles a block's file: "." unless the file imports one of
// blockModules' packages.
func blockModule(src []byte) string {
	for prefix, dir := range blockModules {
		if bytes.Contains(src, []byte(`"`+prefix)) {
			return dir
		}
	}
	return "."
}

// Every Go block of README.md and docs/*.md compiles. Each block becomes a
// package of its own that exists only in a `go build -overlay`: statements
// are wrapped in a function, declarations kept as they are, and the
// imports added from the packages the block uses. A block that uses
// examples/devices' generated client is compiled in that module. A snippet
// that no longer builds (an unused variable, a renamed API) fails here.
func TestDocsGoBlocksCompile(t *testing.T) {
	docs, err := filepath.Glob("docs/*.md")
	require.NoError(t, err)
	var blocks []readmeBlock
	for _, doc := range append([]string{"README.md"}, docs...) {
		blocks = append(blocks, readmeGoBlocks(t, doc)...)
	}
	require.NotEmpty(t, blocks)
	root, err := os.Getwd()
	require.NoError(t, err)

	dir := t.TempDir()
	overlays := map[string]map[string]string{} // by module directory
	pkgs := map[string][]string{}
	for i, b := range blocks {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			src, err := readmeBlockFile(b)
			require.NoError(t, err, "%s:%d", b.file, b.line)
			file := filepath.Join(dir, fmt.Sprintf("block%d.go", i))
			require.NoError(t, os.WriteFile(file, src, 0o600))
			module := blockModule(src)
			pkg := fmt.Sprintf("./internal/docblocks/%s/line%d", strings.TrimSuffix(filepath.Base(b.file), ".md"), b.line)
			if overlays[module] == nil {
				overlays[module] = map[string]string{}
			}
			overlays[module][filepath.Join(root, module, pkg, "block.go")] = file
			pkgs[module] = append(pkgs[module], pkg)
		})
	}
	require.Contains(t, pkgs, blockModules["github.com/specdriven/losant/examples/devices/"],
		"README's snippet of examples/devices' client is compiled")
	for module, overlay := range overlays {
		overlayJSON, err := json.Marshal(map[string]any{"Replace": overlay})
		require.NoError(t, err)
		overlayFile := filepath.Join(dir, "overlay-"+strings.ReplaceAll(module, "/", "_")+".json")
		require.NoError(t, os.WriteFile(overlayFile, overlayJSON, 0o600))

		cmd := exec.Command("go", append([]string{"build", "-overlay", overlayFile}, pkgs[module]...)...)
		cmd.Dir = filepath.Join(root, module)
		out, err := cmd.CombinedOutput()
		assert.NoError(t, err, "Go blocks of the docs do not compile in module %s (the messages name the file and line):\n%s", module, out)
	}
}

// readmeGoBlocks returns the ```go blocks of a Markdown file.
func readmeGoBlocks(t *testing.T, path string) []readmeBlock {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var (
		blocks []readmeBlock
		cur    *readmeBlock
	)
	scanner := bufio.NewScanner(f)
	for line := 1; scanner.Scan(); line++ {
		text := scanner.Text()
		switch {
		case cur == nil && strings.TrimSpace(text) == "```go":
			cur = &readmeBlock{file: path, line: line + 1}
		case cur != nil && strings.TrimSpace(text) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.code += text + "\n"
		}
	}
	require.NoError(t, scanner.Err())
	require.Nil(t, cur, "an unclosed code block")
	return blocks
}

// readmeBlockFile turns a block into a Go file of its own package. A line
// directive makes the compiler's messages point into README.md.
func readmeBlockFile(b readmeBlock) ([]byte, error) {
	directive := fmt.Sprintf("//line %s:%d\n", b.file, b.line)
	if strings.HasPrefix(b.code, "package ") {
		return []byte(directive + b.code), nil // a whole file already
	}
	body := directive + b.code
	if !declaresTopLevel(b.code) {
		body = "func _() {\n" + body + "}\n"
	}
	file, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+body, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var imports []string
	ast.Inspect(file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && readmeImports[id.Name] != "" && !slices.Contains(imports, readmeImports[id.Name]) {
				imports = append(imports, readmeImports[id.Name])
			}
		}
		return true
	})
	var src bytes.Buffer
	fmt.Fprintf(&src, "package line%d\n\n", b.line)
	for _, path := range imports {
		fmt.Fprintf(&src, "import %q\n", path)
	}
	src.WriteString("\n" + body)
	return src.Bytes(), nil
}

// declaresTopLevel reports whether a block is declarations (it starts a
// line with func, type, var or const) rather than statements.
func declaresTopLevel(code string) bool {
	for _, line := range strings.Split(code, "\n") {
		for _, kw := range []string{"func ", "type ", "var ", "const "} {
			if strings.HasPrefix(line, kw) {
				return true
			}
		}
	}
	return false
}

// Every test docs/*.md cites as proof exists, so that no promise outlives
// the test that kept it.
func TestDocsCiteTestsThatExist(t *testing.T) {
	var sources bytes.Buffer
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, "_test.go") {
			data, rerr := os.ReadFile(path)
			sources.Write(data)
			return rerr
		}
		return err
	})
	require.NoError(t, err)
	docs, err := filepath.Glob("docs/*.md")
	require.NoError(t, err)
	cited := regexp.MustCompile("`((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]+)`")
	for _, doc := range docs {
		t.Run(fmt.Sprint(doc), func(t *testing.T) {
			data, err := os.ReadFile(doc)
			require.NoError(t, err)
			for _, m := range cited.FindAllSubmatch(data, -1) {
				name := string(m[1])
				assert.True(t, bytes.Contains(sources.Bytes(), []byte("func "+name+"(")), "%s cites %s, which no test file declares", doc, name)
			}
		})
	}
}

// README's options table names every exported With* option, and no other.
func TestReadmeOptionsTableNamesEveryOption(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	var inTable []string
	for _, m := range regexp.MustCompile("(?m)^\\| `(With\\w+)\\(").FindAllStringSubmatch(string(readme), -1) {
		inTable = append(inTable, m[1])
	}
	for _, m := range regexp.MustCompile("(?m)^\\| `With\\w+\\([^`]*\\)` / `(With\\w+)\\(").FindAllStringSubmatch(string(readme), -1) {
		inTable = append(inTable, m[1])
	}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(t, err)
	var exported []string
	for _, f := range pkgs["losant"].Files {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "With") && fn.Name.IsExported() {
				exported = append(exported, fn.Name.Name)
			}
		}
	}
	assert.ElementsMatch(t, exported, inTable)
}
