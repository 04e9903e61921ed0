package repochecks_test

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/specdriven/losant"

// layers says, for each package of the module (a path, or a tree when it
// ends in "/"), which packages of the module its non-test code may import. Each layer imports only the ones below it, so the
// packages' imports run downhill; a package no key covers is refused.
var layers = []struct {
	prefix  string
	imports []string
}{
	{module + "/gen", nil},
	{module + "/internal/shipped/", []string{module + "/gen", module + "/internal/shipped/", module + "/api"}},
	{module + "/api", []string{module + "/internal/shipped/"}},
	{module + "/tokenfile", []string{module + "/internal/shipped/"}},
	{module + "/rotation", []string{module, module + "/gen", module + "/internal/shipped/"}},
	{module + "/losanttest", []string{module, module + "/gen", module + "/internal/shipped/", module + "/api"}},
	{module + "/internal/harness/", []string{module, module + "/gen", module + "/internal/", module + "/losanttest", module + "/api"}},
	{module + "/internal/repochecks", nil},
	{module + "/cmd/", []string{module, module + "/gen", module + "/internal/shipped/", module + "/losanttest", module + "/rotation", module + "/tokenfile", module + "/cmd/internal/", module + "/api"}},
	{module + "/devtools/", []string{module, module + "/gen", module + "/losanttest", module + "/devtools/internal/", module + "/api"}},
	{module, []string{module + "/gen", module + "/internal/shipped/"}}, // the root package
}

// TestTheLayersRunDownhill holds every package's imports (tests aside) to
// its layer: the shipped code under internal/shipped imports no package
// above it, no shipped package imports a test harness or a development
// tool, and the root package imports only gen and the shipped code.
func TestTheLayersRunDownhill(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", "./...").Output()
	require.NoError(t, err, "go list")
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		seen++
		allowed, ok := layerOf(p.ImportPath)
		if !assert.True(t, ok, "%s is in no layer: add it to layers", p.ImportPath) {
			continue
		}
		for _, imp := range p.Imports {
			if imp != module && !strings.HasPrefix(imp, module+"/") {
				continue // the standard library and other modules: TestConsumersRequireOnlyWhatTheyCompile
			}
			assert.True(t, matchesAny(imp, allowed), "%s imports %s, which is not below it", p.ImportPath, imp)
		}
	}
	assert.Greater(t, seen, 20, "go list read the module's packages")
}

// TestALayerViolationIsCaught shows the check refusing what it must.
func TestALayerViolationIsCaught(t *testing.T) {
	for _, c := range []struct{ from, imp string }{
		{module + "/internal/shipped/wire", module},
		{module + "/internal/shipped/limits", module + "/internal/harness/testworld"},
		{module, module + "/losanttest"},
		{module, module + "/internal/harness/faultproxy"},
		{module + "/rotation", module + "/tokenfile"},
		{module + "/gen", module + "/internal/shipped/limits"},
	} {
		allowed, ok := layerOf(c.from)
		require.True(t, ok, c.from)
		assert.False(t, matchesAny(c.imp, allowed), "%s may not import %s", c.from, c.imp)
	}
	_, ok := layerOf("github.com/specdriven/losantx")
	assert.False(t, ok, "a path that only shares the module's prefix is in no layer")
}

func layerOf(pkg string) ([]string, bool) {
	for _, l := range layers {
		if matchesAny(pkg, []string{l.prefix}) {
			return l.imports, true
		}
	}
	return nil, false
}

func matchesAny(imp string, allowed []string) bool {
	for _, a := range allowed {
		if imp == a || strings.HasSuffix(a, "/") && strings.HasPrefix(imp, a) {
			return true
		}
	}
	return false
}
