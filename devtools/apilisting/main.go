// Command apilisting writes the exported Go API of the module's public
// packages, one declaration a line, in the style of the Go project's own
// api/*.txt files, and checks it: `make api` writes api/go-api.txt;
// `make check-api` fails when that file is stale, or when a line of it at
// BASE (a removed or changed declaration: an incompatible change) is gone
// and api/go-breaking-changes.txt does not acknowledge it with a reason.
//
//	go run ./devtools/apilisting -write api/go-api.txt
//	go run ./devtools/apilisting -check api/go-api.txt -base main -acks api/go-breaking-changes.txt
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
)

// packages are the module's packages whose API users compile against.
var packages = []string{"github.com/specdriven/losant", "github.com/specdriven/losant/losanttest", "github.com/specdriven/losant/gen",
	"github.com/specdriven/losant/rotation", "github.com/specdriven/losant/tokenfile"}

func main() {
	write := flag.String("write", "", "write the listing to this file")
	check := flag.String("check", "", "check that this file is the listing, and what it lost since -base")
	base := flag.String("base", "", "with -check: the git revision whose listing the API must stay compatible with")
	acks := flag.String("acks", "api/go-breaking-changes.txt", "with -check: the file acknowledging incompatible changes")
	flag.Parse()
	listing, err := list()
	if err != nil {
		fail("%v", err)
	}
	switch {
	case *write != "":
		if err := os.WriteFile(*write, []byte(strings.Join(listing, "\n")+"\n"), 0o644); err != nil {
			fail("%v", err)
		}
	case *check != "":
		if err := checkListing(listing, *check, *base, *acks); err != nil {
			fail("%v", err)
		}
	default:
		fmt.Println(strings.Join(listing, "\n"))
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "apilisting: "+format+"\n", args...)
	os.Exit(1)
}

// checkListing fails when path is not listing, or when a line of path at
// base is missing from listing without an acknowledgement in acks.
func checkListing(listing []string, path, base, acks string) error {
	committed, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if got := strings.Join(listing, "\n") + "\n"; string(committed) != got {
		added, removed := diff(lines(string(committed)), listing)
		return fmt.Errorf("%s is not the exported API: run make api and commit it (added %d lines, removed %d: %s)",
			path, len(added), len(removed), strings.Join(append(added, removed...)[:min(3, len(added)+len(removed))], "; "))
	}
	if base == "" {
		return nil
	}
	old, err := exec.Command("git", "show", base+":"+path).Output()
	if err != nil {
		fmt.Printf("apilisting: %s has no %s: nothing to compare\n", base, path)
		return nil
	}
	acknowledged, err := readAcks(acks)
	if err != nil {
		return err
	}
	removed, unacknowledged := incompatible(lines(string(old)), listing, acknowledged)
	if len(unacknowledged) > 0 {
		return fmt.Errorf("incompatible changes to the Go API since %s (a declaration removed or changed):\n  %s\n"+
			"keep the old API, or acknowledge each line in %s as `<line>  # <reason>`",
			base, strings.Join(unacknowledged, "\n  "), acks)
	}
	fmt.Printf("apilisting: the Go API is compatible with %s (%d acknowledged changes)\n", base, len(removed))
	return nil
}

// incompatible returns the lines of old that current lost (a declaration
// removed, or changed: its old line is gone), and those of them that
// acknowledged does not name.
func incompatible(old, current []string, acknowledged map[string]string) (removed, unacknowledged []string) {
	_, removed = diff(old, current)
	for _, line := range removed {
		if acknowledged[line] == "" {
			unacknowledged = append(unacknowledged, line)
		}
	}
	return removed, unacknowledged
}

// readAcks reads the acknowledged lines and their reasons; a line without
// a reason is an error.
func readAcks(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for n, line := range lines(string(data)) {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		decl, reason, _ := strings.Cut(line, "  # ")
		if strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s:%d: acknowledge with a reason: `<line>  # <reason>`", path, n+1)
		}
		out[strings.TrimSpace(decl)] = reason
	}
	return out, nil
}

func lines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }

// diff returns the lines of b not in a (added) and of a not in b (removed).
func diff(a, b []string) (added, removed []string) {
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, l := range a {
		inA[l] = true
	}
	for _, l := range b {
		inB[l] = true
		if !inA[l] {
			added = append(added, l)
		}
	}
	for _, l := range a {
		if !inB[l] {
			removed = append(removed, l)
		}
	}
	return added, removed
}

// list type-checks the packages from the export data `go list -export`
// writes, and lists their exported declarations, sorted.
func list() ([]string, error) {
	out, err := exec.Command("go", append([]string{"list", "-export", "-deps", "-json=ImportPath,Export"}, packages...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("go list -export: %w", err)
	}
	exports := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct{ ImportPath, Export string }
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		exports[p.ImportPath] = p.Export
	}
	imp := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		if exports[path] == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(exports[path])
	})
	var listing []string
	for _, path := range packages {
		pkg, err := imp.Import(path)
		if err != nil {
			return nil, err
		}
		listing = append(listing, declarations(pkg)...)
	}
	return listing, nil
}

// declarations lists pkg's exported names: functions, variables,
// constants (their types, not their values, which may change), types with
// their exported fields and methods, and interfaces with their methods.
func declarations(pkg *types.Package) []string {
	qualifier := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Path()
	}
	str := func(t types.Type) string { return types.TypeString(t, qualifier) }
	prefix := "pkg " + pkg.Path() + ", "
	var out []string
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch obj := obj.(type) {
		case *types.Func:
			out = append(out, prefix+"func "+name+signature(obj.Type().(*types.Signature), str))
		case *types.Var:
			out = append(out, prefix+"var "+name+" "+str(obj.Type()))
		case *types.Const:
			out = append(out, prefix+"const "+name+" "+str(obj.Type()))
		case *types.TypeName:
			out = append(out, typeDeclarations(prefix, obj, str)...)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func typeDeclarations(prefix string, obj *types.TypeName, str func(types.Type) string) []string {
	name := obj.Name()
	if obj.IsAlias() {
		return []string{prefix + "type " + name + " = " + str(types.Unalias(obj.Type()))}
	}
	named, ok := obj.Type().(*types.Named)
	if !ok {
		return []string{prefix + "type " + name + " " + str(obj.Type().Underlying())}
	}
	if tp := named.TypeParams(); tp.Len() > 0 {
		name += "[" + fmt.Sprint(tp.Len()) + "]"
	}
	var out []string
	switch u := named.Underlying().(type) {
	case *types.Struct:
		out = append(out, prefix+"type "+name+" struct")
		for i := range u.NumFields() {
			if f := u.Field(i); f.Exported() {
				out = append(out, prefix+"type "+name+" struct, "+f.Name()+" "+str(f.Type()))
			}
		}
	case *types.Interface:
		out = append(out, prefix+"type "+name+" interface")
		for i := range u.NumMethods() {
			if m := u.Method(i); m.Exported() {
				out = append(out, prefix+"type "+name+" interface, "+m.Name()+signature(m.Type().(*types.Signature), str))
			}
		}
	default:
		out = append(out, prefix+"type "+name+" "+str(u))
	}
	for _, recv := range []types.Type{named, types.NewPointer(named)} {
		methods := types.NewMethodSet(recv)
		for i := range methods.Len() {
			m := methods.At(i).Obj()
			if !m.Exported() || methods.At(i).Indirect() && recv == types.Type(named) {
				continue
			}
			sig := m.Type().(*types.Signature)
			r := "(" + obj.Name() + ")"
			if _, ptr := sig.Recv().Type().(*types.Pointer); ptr {
				r = "(*" + obj.Name() + ")"
			}
			out = append(out, prefix+"method "+r+" "+m.Name()+signature(sig, str))
		}
	}
	return out
}

// signature writes sig's parameter and result types without their names:
// renaming a parameter changes no caller.
func signature(sig *types.Signature, str func(types.Type) string) string {
	tuple := func(t *types.Tuple, variadic bool) []string {
		var out []string
		for i := range t.Len() {
			ty := t.At(i).Type()
			if variadic && i == t.Len()-1 {
				out = append(out, "..."+str(ty.(*types.Slice).Elem()))
				continue
			}
			out = append(out, str(ty))
		}
		return out
	}
	s := "(" + strings.Join(tuple(sig.Params(), sig.Variadic()), ", ") + ")"
	switch results := tuple(sig.Results(), false); len(results) {
	case 0:
	case 1:
		s += " " + results[0]
	default:
		s += " (" + strings.Join(results, ", ") + ")"
	}
	return s
}
