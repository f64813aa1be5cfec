import { analyzeGoLayers } from './layers';
import { createInsightsFileFilter, SourceTreeBuilder } from '../sourceTree';

/*
 * Module boundaries as the go command draws them: a go.mod below the
 * service starts another module, and a go.work makes its modules one
 * workspace.
 */

function analyze(serviceDir: string, files: Record<string, string>) {
  const tree = new SourceTreeBuilder();
  for (const [p, src] of Object.entries(files)) tree.add(p, Buffer.from(src));
  return analyzeGoLayers(tree.build(), { serviceDir });
}

const findings = (r: ReturnType<typeof analyze>) =>
  r.problems
    .filter(p => p.code.startsWith('gomod-'))
    .map(p => `${p.severity} ${p.code}: ${p.message}`);

describe('module boundaries', () => {
  it('leaves a module below the service out of its packages, and its imports outside', () => {
    const r = analyze('svc', {
      'svc/go.mod': 'module example.com/svc\n\ngo 1.26\n',
      'svc/main.go':
        'package main\n\nimport "example.com/svc/tools/lint"\n\nfunc main() { lint.Run() }\n',
      'svc/tools/go.mod': 'module example.com/svc/tools\n\ngo 1.26\n',
      'svc/tools/lint/lint.go': 'package lint\n\nfunc Run() {}\n',
    });
    expect(r.packages.map(p => `${p.dir || '.'} ${p.importPath}`)).toEqual([
      '. example.com/svc',
    ]);
    expect(r.packages[0].externalImports).toEqual([
      'example.com/svc/tools/lint',
    ]);
    expect(findings(r)).toEqual([
      "info gomod-nested: tools (example.com/svc/tools) is another module (own go.mod, used by no go.work), left out of this service's packages as go list ./... leaves it out",
    ]);
  });

  it('reads a go.work at the service root without a go.mod there as the workspace of its modules', () => {
    const r = analyze('', {
      'go.work': 'go 1.26\n\nuse (\n\t./gateway // the edge\n\t./user\n)\n',
      'gateway/go.mod': 'module example.com/gateway\n\ngo 1.26\n',
      'gateway/main.go':
        'package main\n\nimport "github.com/acme/user/domain/account"\n\nfunc main() { _ = account.New }\n',
      'user/go.mod': 'module github.com/acme/user\n\ngo 1.26\n',
      'user/domain/account/account.go': 'package account\n\nfunc New() {}\n',
      // not used by the go.work: not a module of the workspace
      'scratch/go.mod': 'module example.com/scratch\n\ngo 1.26\n',
      'scratch/main.go': 'package main\n\nfunc main() {}\n',
    });
    expect(r.packages.map(p => `${p.dir} ${p.importPath}`)).toEqual([
      'gateway example.com/gateway',
      'user/domain/account github.com/acme/user/domain/account',
    ]);
    expect(r.packages[0].internalImports).toEqual([
      'github.com/acme/user/domain/account',
    ]);
    expect(findings(r)).toEqual([
      'info gomod-workspace: the service directory is a Go workspace (go.work) of the modules gateway (example.com/gateway), user (github.com/acme/user); each package is resolved in its own module',
      "info gomod-nested: scratch (example.com/scratch) is another module (own go.mod, used by no go.work), left out of this service's packages as go list ./... leaves it out",
    ]);
  });

  it('resolves imports between the modules of a workspace', () => {
    const r = analyze('', {
      'go.work': 'go 1.26\n\nuse ./a\nuse ./b\n',
      'a/go.mod': 'module example.com/a\n\ngo 1.26\n',
      'a/main.go':
        'package main\n\nimport "example.com/b/domain/order"\n\nfunc main() { order.New() }\n',
      'b/go.mod': 'module example.com/b\n\ngo 1.26\n',
      'b/domain/order/order.go':
        'package order\n\nimport "example.com/a/internal/handler"\n\nfunc New() { handler.X() }\n',
      'a/internal/handler/h.go': 'package handler\n\nfunc X() {}\n',
    });
    expect(r.packages.find(p => p.dir === 'a')?.internalImports).toEqual([
      'example.com/b/domain/order',
    ]);
    expect(r.violations.map(v => `${v.path} ${v.rule}`)).toEqual([
      'b/domain/order/order.go domain must not import adapter (adapter/handler)',
    ]);
  });

  it('names the modules a directory without go.mod or go.work holds', () => {
    const r = analyze('', {
      'app/auth/go.mod': 'module example.com/auth\n\ngo 1.26\n',
      'app/auth/main.go': 'package main\n\nfunc main() {}\n',
    });
    expect(findings(r)).toEqual([
      "warning gomod-missing: no go.mod at or above the service directory, which holds the modules app/auth (example.com/auth): point the entity's service directory at one of them, or list them in a go.work",
    ]);
  });

  it('reads the go.mod files below the service and the go.work files above it', () => {
    const wanted = createInsightsFileFilter('services/svc');
    expect(wanted('services/svc/tools/go.mod')).toBe(true);
    expect(wanted('services/go.work')).toBe(true);
    expect(wanted('go.work')).toBe(true);
    expect(wanted('other/go.mod')).toBe(false);
  });
});
