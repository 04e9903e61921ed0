package repochecks_test

import (
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

// A module that depends on this one requires only what the packages it
// imports compile: the client's three runtime modules for the root
// package; the fake's for losanttest; never the code generator, its
// overlay and YAML libraries, cobra, or the test libraries. Each consumer
// is a module of its own, made tidy by `go mod tidy` as a user would.
func TestConsumersRequireOnlyWhatTheyCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy on two modules")
	}
	root, err := filepath.Abs(".")
	require.NoError(t, err)
	forbidden := []string{"github.com/oapi-codegen/oapi-codegen/v2", "golang.org/x/tools", "github.com/speakeasy-api/",
		"github.com/vmware-labs/yaml-jsonpath", "github.com/dprotaso/go-yit", "github.com/spf13/cobra",
		"github.com/stretchr/testify", "gopkg.in/yaml.v2", "go.opentelemetry.io/"}
	for _, tc := range []struct {
		name, code string
		want       []string // exactly these, for the root package; nil: only none forbidden
	}{
		{"client", `package main

import "github.com/specdriven/losant"

func main() { _, _ = losant.NewClient("token") }
`, []string{"github.com/apapsch/go-jsonmerge/v2", "github.com/google/uuid", "github.com/oapi-codegen/runtime", "github.com/specdriven/losant"}},
		{"fake", `package main

import "github.com/specdriven/losant/losanttest"

func main() { s, _ := losanttest.NewServer(); s.Close() }
`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tidyConsumer(t, root, tc.code)
			if tc.want != nil {
				assert.Equal(t, tc.want, got, "the consumer's go.mod requires only the client's runtime")
			}
			for _, m := range got {
				for _, f := range forbidden {
					assert.False(t, strings.HasPrefix(m, f), "a consumer of %s requires %s", tc.name, m)
				}
			}
		})
	}
}

var requireLine = regexp.MustCompile(`(?m)^\s*(?:require\s+)?([a-z0-9.\-]+\.[a-z]+/\S+)\s+v\S+`)

// tidyConsumer makes a module of code that requires this repository (by a
// replace), runs go mod tidy, and returns the modules its go.mod requires.
func tidyConsumer(t *testing.T, root, code string) []string {
	t.Helper()
	dir := t.TempDir()
	goMod := "module example.com/consumer\n\ngo 1.24\n\nrequire github.com/specdriven/losant v0.0.0\n\nreplace github.com/specdriven/losant => " + root + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(code), 0o644))
	cmd := exec.Command("go", "mod", "tidy")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go mod tidy: %s", out)
	tidied, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	require.NoError(t, err)
	var modules []string
	for _, m := range requireLine.FindAllStringSubmatch(string(tidied), -1) {
		modules = append(modules, m[1])
	}
	slices.Sort(modules)
	return modules
}
