//go:build ignore

// Tools lists the tools this project runs, each with the version it is
// pinned to and where, and fails when a `go run` or `npx` in the Makefile
// or a script runs a tool at no pinned version, so that every machine runs
// the same tools. `make lint` runs it:
//
//	go run tools.go
//
// The code generator is a `tool` of go.mod (go get -tool), run as `go tool
// oapi-codegen`: its version is in go.mod, and nothing needs installing.
// The others are pinned where they are run, by `go run module@version` or
// `npx package@version`. (This file is built only when run: the ignore tag
// keeps it, and what it imports, out of the module's packages, so that a
// module that depends on this one does not inherit the tools.)
package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

var (
	// assignment is a Makefile variable holding a pinned tool.
	assignment = regexp.MustCompile(`^([A-Z_]+)\s*:?=\s*(\S+@\S+)\s*$`)
	// runs finds what a line runs with go run or npx.
	runs = regexp.MustCompile(`(?:^|[;&|(]\s*|\s)(go run|npx(?: --yes)?)\s+([^\s>|&;]+)`)
)

func main() {
	var unpinned []string
	pins := map[string]string{}
	fmt.Println("tool\tversion\tpinned in")
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{.Module.Version}}", "tool").Output()
	if err != nil {
		fail("go list tool: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fmt.Println(line + "\tgo.mod (tool directive)")
	}
	files, _ := filepath.Glob("scripts/*.sh")
	for _, path := range append([]string{"Makefile", ".ci/run"}, files...) {
		f, err := os.Open(path)
		if err != nil {
			fail("%v", err)
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if m := assignment.FindStringSubmatch(line); m != nil {
				pins[m[1]] = m[2]
				module, version, _ := strings.Cut(m[2], "@")
				if strings.HasPrefix(m[2], "@") { // an npm scope: @scope/name@version
					at := strings.LastIndex(m[2], "@")
					module, version = m[2][:at], m[2][at+1:]
				}
				fmt.Printf("%s\t%s\t%s:%d\n", module, version, path, n)
			}
			for _, m := range runs.FindAllStringSubmatch(line, -1) {
				if !pinned(m[2], pins) {
					unpinned = append(unpinned, fmt.Sprintf("%s:%d: %s %s", path, n, m[1], m[2]))
				}
			}
		}
		f.Close()
	}
	if len(unpinned) > 0 {
		fail("tools run at no pinned version (give module@version, or a variable holding one):\n  %s", strings.Join(unpinned, "\n  "))
	}
}

// pinned reports whether what a go run or npx runs is this module's own
// code, or a tool at a pinned version.
func pinned(target string, pins map[string]string) bool {
	target = strings.Trim(target, `"'`)
	switch {
	case strings.HasPrefix(target, "./"), strings.HasPrefix(target, "-"), strings.HasSuffix(target, ".go"):
		return true // this module's code, or a flag of go run
	case strings.HasPrefix(target, "$(") && strings.HasSuffix(target, ")"):
		return pins[target[2:len(target)-1]] != ""
	}
	return strings.Contains(strings.TrimPrefix(target, "@"), "@")
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "tools: "+format+"\n", args...)
	os.Exit(1)
}
