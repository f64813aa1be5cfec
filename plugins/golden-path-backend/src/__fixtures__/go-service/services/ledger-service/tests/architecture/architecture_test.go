// Package architecture checks the dependency rule of the layered layout. The
// rule is data: the depguard rules of the service's .golangci.yml, which
// golangci-lint (make lint, CI) and the Golden Path insights tab read too.
// Change the rule there, not here.
package architecture

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// serviceRoot is the service directory, relative to this package.
const serviceRoot = "../.."

func TestDependencyRule(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(serviceRoot)
	if err != nil {
		t.Fatal(err)
	}
	lists, err := readDepguardRules(filepath.Join(root, ".golangci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]int{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			// the directories the go command ignores in ./...
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		file := filepath.ToSlash(path)
		var applying []*depguardList
		for _, l := range lists {
			if l.appliesTo(file) {
				applying = append(applying, l)
				covered[l.name]++
			}
		}
		if len(applying) == 0 {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			for _, l := range applying {
				if ok, why := l.importAllowed(p); !ok {
					rel, _ := filepath.Rel(root, path)
					t.Errorf("%s imports %s, which rule %q of .golangci.yml forbids: %s", rel, p, l.name, why)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lists {
		if covered[l.name] == 0 {
			t.Errorf("rule %q of .golangci.yml applies to no Go file of the service: check its files globs", l.name)
		}
	}
}

// TestDepguardReading pins the matching this test shares with depguard, so a
// reader that drifted from golangci-lint's verdicts fails here.
func TestDepguardReading(t *testing.T) {
	t.Parallel()
	layer := &depguardList{name: "domain", mode: "lax"}
	for _, g := range []string{"**/internal/domain/**"} {
		re, err := globToRegexp(g)
		if err != nil {
			t.Fatal(err)
		}
		layer.files = append(layer.files, re)
	}
	re, err := globToRegexp("**/*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	layer.notFiles = append(layer.notFiles, re)
	layer.allow = []string{"example.com/svc/internal/adapter/ok"}
	layer.deny = []string{"example.com/svc/internal/adapter", "example.com/x$", "net/http"}
	layer.suggestions = []string{"adapters", "exact", "transport"}

	files := map[string]bool{
		"/w/svc/internal/domain/entity/a.go":      true,
		"/w/svc/internal/domain/entity/a_test.go": false,
		"/w/svc/internal/application/a.go":        false,
	}
	for file, want := range files {
		if got := layer.appliesTo(file); got != want {
			t.Errorf("appliesTo(%s) = %v, want %v", file, got, want)
		}
	}
	imports := map[string]bool{
		"net/http":                            false,
		"net/http/httptest":                   false,
		"net":                                 true,
		"example.com/svc/internal/adapter/db": false,
		"example.com/svc/internal/adapter/ok": true,
		"example.com/x":                       false,
		"example.com/x/y":                     true,
		"fmt":                                 true,
	}
	for imp, want := range imports {
		if got, _ := layer.importAllowed(imp); got != want {
			t.Errorf("importAllowed(%s) = %v, want %v", imp, got, want)
		}
	}
	if _, err := globToRegexp("{a,b"); err == nil {
		t.Error("an unclosed { must be refused")
	}
}
