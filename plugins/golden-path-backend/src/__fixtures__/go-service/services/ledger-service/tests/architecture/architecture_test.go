// Package architecture checks the dependency rule of the layered layout:
// domain depends on nothing else in the service, application only on domain,
// and neither on adapters or infrastructure.
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

const module = "github.com/acme/ledger-service"

func TestDependencyRule(t *testing.T) {
	t.Parallel()
	rules := []struct {
		layer     string
		forbidden []string
	}{
		{"internal/domain", []string{"internal/application", "internal/adapter", "internal/infrastructure", "sqlcgen", "google.golang.org/grpc", "github.com/jackc/pgx", "go.uber.org/fx"}},
		{"internal/application", []string{"internal/adapter", "internal/infrastructure", "sqlcgen", "google.golang.org/grpc", "github.com/jackc/pgx", "github.com/acme/go-pkg/proto"}},
	}
	for _, rule := range rules {
		root := filepath.Join("..", "..", filepath.FromSlash(rule.layer))
		files := 0
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			files++
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
			if err != nil {
				return err
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range rule.forbidden {
					if !strings.Contains(bad, ".") {
						bad = module + "/" + bad
					}
					if p == bad || strings.HasPrefix(p, bad+"/") {
						t.Errorf("%s imports %s: %s must not depend on it", path, p, rule.layer)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if files == 0 {
			t.Errorf("no Go files under %s", root)
		}
	}
}
