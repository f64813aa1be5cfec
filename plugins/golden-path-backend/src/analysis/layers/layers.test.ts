import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  countLines,
  summarizeGoFile,
} from '@golden-path/plugin-golden-path-common';
import { parseGoModModule } from './goMod';
import { analyzeGoLayers, classifyGoPackage } from './layers';
import {
  createInsightsDirFilter,
  createInsightsFileFilter,
  readLocalSourceTree,
  serviceProtoDirs,
  SourceTreeBuilder,
} from '../sourceTree';

const MONOREPO = path.resolve(__dirname, '../../__fixtures__/monorepo');
const SERVICE = 'services/order-service';

describe('summarizeGoFile', () => {
  it('reads imports, ignoring comments and strings that look like imports', () => {
    const src = fs.readFileSync(
      path.join(MONOREPO, SERVICE, 'internal/domain/entity/order.go'),
      'utf8',
    );
    const s = summarizeGoFile(src);
    expect(s.packageName).toBe('entity');
    expect(s.imports).toEqual([
      { path: 'errors', alias: undefined, line: 5, column: 2 },
      { path: 'time', alias: undefined, line: 6, column: 2 },
      {
        path: 'github.com/acme/shop/services/order-service/internal/domain/valueobject',
        alias: undefined,
        line: 9,
        column: 2,
      },
    ]);
    expect(s.functions).toEqual(['NewOrder']); // the method ID is not a top-level func
    expect(s.error).toBeUndefined();
  });

  it('reads single, aliased, dot and blank imports', () => {
    const s = summarizeGoFile(
      '// +build linux\n\npackage x\nimport "a"\nimport b "b/c"\nimport (\n\t. "d"\n\t_ "e" // side effects\n\tf `f/g`\n)\nvar s = "import \\"z\\""\nfunc (r R) M() {}\nfunc Map[T any](t T) {}\n',
    );
    expect(s.imports.map(i => [i.path, i.alias])).toEqual([
      ['a', undefined],
      ['b/c', 'b'],
      ['d', '.'],
      ['e', '_'],
      ['f/g', 'f'],
    ]);
    expect(s.functions).toEqual(['Map']);
  });

  it.each([
    ['an unterminated comment', 'package x\n/* open', 2, 1],
    ['an unterminated string', 'package x\nimport "a', 2, 8],
    ['no package clause', 'import "a"', 1, 1],
  ])('reports %s with its position', (_label, src, line, column) => {
    expect(summarizeGoFile(src).error).toMatchObject({ line, column });
  });

  it('counts lines like an editor', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('a')).toBe(1);
    expect(countLines('a\n')).toBe(1);
    expect(countLines('a\nb')).toBe(2);
  });

  it('reads the module path of go.mod', () => {
    expect(
      parseGoModModule('// c\nmodule example.com/x // comment\n\ngo 1.26\n'),
    ).toBe('example.com/x');
    expect(parseGoModModule('module "example.com/q"\n')).toBe('example.com/q');
    expect(parseGoModModule('go 1.26\n')).toBeUndefined();
  });
});

describe('classifyGoPackage', () => {
  it.each([
    ['internal/domain/entity', 'domain', 'entity'],
    ['internal/domain', 'domain', undefined],
    ['internal/application/usecase/orderuc', 'application', 'usecase'],
    ['internal/application/dto/request', 'application', 'dto'],
    ['internal/application/port/output', 'application', 'port/output'],
    ['internal/adapter/inbound/grpc', 'adapter', 'inbound/grpc'],
    [
      'internal/adapter/outbound/persistence/pg',
      'adapter',
      'outbound/persistence',
    ],
    ['internal/infrastructure/fx', 'infrastructure', 'fx'],
    ['cmd', 'cmd', undefined],
    ['sqlcgen', 'other', 'generated'],
    ['internal/tools', 'other', 'tools'],
  ])('%s → %s/%s', (dir, layer, sublayer) => {
    expect(classifyGoPackage(dir)).toEqual({ layer, sublayer });
  });
});

describe('analyzeGoLayers on the fixture service', () => {
  let result: ReturnType<typeof analyzeGoLayers>;
  beforeAll(async () => {
    const tree = await readLocalSourceTree(
      MONOREPO,
      createInsightsFileFilter(SERVICE),
    );
    result = analyzeGoLayers(tree, { serviceDir: SERVICE });
  });

  it('resolves the module and classifies every package', () => {
    expect(result.modulePath).toBe(
      'github.com/acme/shop/services/order-service',
    );
    expect(result.serviceImportPath).toBe(
      'github.com/acme/shop/services/order-service',
    );
    const byDir = Object.fromEntries(
      result.packages.map(p => [p.dir, `${p.layer}/${p.sublayer ?? ''}`]),
    );
    expect(byDir).toMatchObject({
      cmd: 'cmd/',
      'internal/domain/entity': 'domain/entity',
      'internal/application/usecase/orderuc': 'application/usecase',
      'internal/adapter/outbound/persistence': 'adapter/outbound/persistence',
      'internal/infrastructure/fx': 'infrastructure/fx',
      sqlcgen: 'other/generated',
    });
    const orderuc = result.packages.find(
      p => p.dir === 'internal/application/usecase/orderuc',
    )!;
    expect(orderuc).toMatchObject({
      name: 'orderuc',
      files: 2,
      testFiles: 1,
      hasDi: true,
    });
    expect(orderuc.externalImports).toEqual(['context', 'go.uber.org/fx']);
    const domain = result.layers.find(l => l.layer === 'domain')!;
    expect(domain.packages).toBe(4);
    expect(domain.sublayers.map(s => s.name)).toEqual([
      'entity',
      'event',
      'repository',
      'valueobject',
    ]);
    expect(result.totals.testFiles).toBe(1);
  });

  it('reports imports that break the dependency rule, with file and line', () => {
    expect(result.violations.map(v => `${v.path}:${v.line} ${v.rule}`)).toEqual(
      [
        'services/order-service/internal/adapter/inbound/grpc/order_handler.go:6 adapter must not import infrastructure (infrastructure/server)',
        'services/order-service/internal/application/usecase/orderuc/create_order.go:10 application must not import adapter (adapter/outbound/persistence)',
        'services/order-service/internal/domain/event/order_created.go:4 domain must not import infrastructure (infrastructure/config)',
      ],
    );
    // strings and comments in entity/order.go that mention adapter packages do not count,
    // the adapter's import of infrastructure/config is allowed, and the test file is not judged
    expect(
      result.violations.some(v => v.path.endsWith('/entity/order.go')),
    ).toBe(false);
    expect(result.violations.some(v => v.path.endsWith('_test.go'))).toBe(
      false,
    );
  });

  it('reports constructors without a di.go', () => {
    const missingDi = result.problems
      .filter(p => p.code === 'layout-missing-di')
      .map(p => p.path)
      .sort();
    expect(missingDi).toEqual([
      'services/order-service/internal/adapter/outbound/persistence',
      'services/order-service/internal/application/service',
    ]);
    // domain constructors (NewOrder, NewMoney) are not Fx-wired
    expect(missingDi.some(p => p?.includes('domain'))).toBe(false);
  });

  it('leaves out files go list leaves out: a //go:build ignore generator, a tools.go, a file for another OS', () => {
    const tree = new SourceTreeBuilder();
    tree.add('go.mod', Buffer.from('module example.com/shop\n\ngo 1.22\n'));
    tree.add(
      'usecase/place.go',
      Buffer.from(
        'package usecase\n\nimport "example.com/shop/domain/order"\n\nfunc Place() order.Order { return order.Order{} }\n',
      ),
    );
    tree.add(
      'domain/order/order.go',
      Buffer.from(
        'package order\n\n//go:generate go run enum_gen.go\n\ntype Order struct{ ID string }\n',
      ),
    );
    tree.add(
      'domain/order/enum_gen.go',
      Buffer.from(
        '//go:build ignore\n\n// Generates status_string.go.\npackage main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\nvar _ = http.StatusOK\nfunc main() { os.Exit(0) }\n',
      ),
    );
    tree.add(
      'domain/order/order_windows.go',
      Buffer.from(
        'package order\n\nimport "golang.org/x/sys/windows"\n\nvar _ = windows.Handle(0)\n',
      ),
    );
    tree.add(
      'tools/tools.go',
      Buffer.from(
        '//go:build tools\n\npackage tools\n\nimport _ "github.com/sqlc-dev/sqlc/cmd/sqlc"\n',
      ),
    );
    const r = analyzeGoLayers(tree.build(), { serviceDir: '' });
    const order = r.packages.find(p => p.dir === 'domain/order')!;
    expect(order).toMatchObject({
      name: 'order',
      files: 1,
      externalImports: [],
    });
    expect(r.packages.map(p => p.dir)).not.toContain('tools');
    expect(r.violations).toEqual([]);
  });

  it('leaves out the packages ./... skips: directories named _x, .x or testdata below the service', () => {
    const tree = new SourceTreeBuilder();
    tree.add('go.mod', Buffer.from('module example.com/shop\n\ngo 1.22\n'));
    tree.add(
      'svc/_service/internal/domain/order.go',
      Buffer.from('package domain\n\ntype Order struct{}\n'),
    );
    const example =
      'package main\n\nimport "example.com/shop/svc/_service/cmd"\n\nfunc main() { cmd.Run() }\n';
    tree.add(
      'svc/_service/internal/domain/_examples/main.go',
      Buffer.from(example),
    );
    tree.add(
      'svc/_service/internal/domain/testdata/x/main.go',
      Buffer.from(example),
    );
    tree.add(
      'svc/_service/internal/domain/.draft/main.go',
      Buffer.from(example),
    );
    const r = analyzeGoLayers(tree.build(), { serviceDir: 'svc/_service' });
    // the service directory itself may be named so: ./... starts there
    expect(r.packages.map(p => p.dir)).toEqual(['internal/domain']);
    expect(r.violations).toEqual([]);
  });

  it("names the package at the service's directory by its import path when the module is above it", () => {
    const tree = new SourceTreeBuilder();
    tree.add('go.mod', Buffer.from('module example.com/shop\n\ngo 1.22\n'));
    tree.add('svc/main.go', Buffer.from('package main\n\nfunc main() {}\n'));
    tree.add(
      'svc/internal/server/server.go',
      Buffer.from('package server\n\nimport _ "example.com/shop/svc"\n'),
    );
    const r = analyzeGoLayers(tree.build(), { serviceDir: 'svc' });
    // as go list ./... in svc/ names it
    expect(r.packages.map(p => p.importPath)).toEqual([
      'example.com/shop/svc',
      'example.com/shop/svc/internal/server',
    ]);
    expect(r.packages[1].internalImports).toEqual(['example.com/shop/svc']);
  });

  it('names a package of test files only as go list does, and makes no entry point of it', () => {
    const tree = new SourceTreeBuilder();
    tree.add('go.mod', Buffer.from('module example.com/shop\n\ngo 1.22\n'));
    tree.add('e2e/b_test.go', Buffer.from('package e2e\n'));
    tree.add('e2e/a_test.go', Buffer.from('package e2e_test\n'));
    tree.add('tls/main_test.go', Buffer.from('package main\n'));
    const r = analyzeGoLayers(tree.build(), { serviceDir: '' });
    expect(r.packages.map(p => [p.dir, p.name, p.layer])).toEqual([
      ['e2e', 'e2e', 'other'],
      ['tls', 'main', 'other'],
    ]);
  });

  it.each([
    ['go 1.22', 1],
    ['go 1.20\ntoolchain go1.22.3', 1],
    // an older toolchain the go.mod allows builds the fallback
    ['go 1.20', 2],
  ])(
    'reads the Go version for release tags from go.mod (%j)',
    (line, files) => {
      const tree = new SourceTreeBuilder();
      tree.add('go.mod', Buffer.from(`module example.com/shop\n\n${line}\n`));
      tree.add(
        'domain/order/order.go',
        Buffer.from('//go:build go1.21\n\npackage order\n'),
      );
      tree.add(
        'domain/order/compat.go',
        Buffer.from(
          '//go:build !go1.21\n\npackage order\n\nimport "golang.org/x/exp/slices"\n\nvar _ = slices.Contains[[]int]\n',
        ),
      );
      const r = analyzeGoLayers(tree.build(), { serviceDir: '' });
      expect(r.packages.find(p => p.dir === 'domain/order')).toMatchObject({
        files,
      });
    },
  );

  it('reports missing layout parts', () => {
    const tree = new SourceTreeBuilder();
    tree.add('svc/go.mod', Buffer.from('module example.com/svc\n'));
    tree.add(
      'svc/internal/domain/entity/a.go',
      Buffer.from('package entity\n'),
    );
    // two golden-path layer folders: the service claims the layout
    tree.add(
      'svc/internal/adapter/inbound/grpc/h.go',
      Buffer.from('package grpc\n'),
    );
    const r = analyzeGoLayers(tree.build(), { serviceDir: 'svc' });
    expect(
      r.problems
        .filter(p => p.code === 'layout-missing-layer')
        .map(p => p.message),
    ).toEqual([
      expect.stringContaining('internal/application'),
      expect.stringContaining('internal/infrastructure'),
      expect.stringContaining('cmd/main.go'),
    ]);
  });
});

describe('readLocalSourceTree', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-tree-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-outside-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('stays inside the root, survives symlink loops, skips binaries and large files', async () => {
    const svc = path.join(root, 'svc');
    fs.mkdirSync(path.join(svc, 'internal/domain'), { recursive: true });
    fs.writeFileSync(path.join(svc, 'go.mod'), 'module example.com/svc\n');
    fs.writeFileSync(
      path.join(svc, 'internal/domain/a.go'),
      'package domain\n',
    );
    fs.writeFileSync(
      path.join(svc, 'internal/domain/blob.go'),
      Buffer.from([0x70, 0, 1, 2]),
    );
    fs.writeFileSync(
      path.join(svc, 'internal/domain/big.go'),
      `package domain\n${'/'.repeat(2048)}`,
    );
    fs.writeFileSync(path.join(outside, 'secret.go'), 'package secret\n');
    fs.symlinkSync(outside, path.join(svc, 'internal/out'));
    fs.symlinkSync(
      path.join(outside, 'secret.go'),
      path.join(svc, 'internal/domain/secret.go'),
    );
    fs.symlinkSync(svc, path.join(svc, 'internal/loop')); // a loop back to the service
    fs.symlinkSync(
      path.join(svc, 'internal/domain/a.go'),
      path.join(svc, 'internal/domain/alias.go'),
    );

    const tree = await readLocalSourceTree(
      root,
      createInsightsFileFilter('svc'),
      { maxFileBytes: 1024 },
    );
    expect([...tree.files.keys()].sort()).toEqual([
      'svc/go.mod',
      'svc/internal/domain/a.go',
      'svc/internal/domain/alias.go',
    ]);
    expect(tree.problems.map(p => `${p.code} ${p.path}`).sort()).toEqual([
      'binary-file svc/internal/domain/blob.go',
      'file-too-large svc/internal/domain/big.go',
      'symlink-loop svc/internal/loop',
      'symlink-outside svc/internal/domain/secret.go',
      'symlink-outside svc/internal/out',
    ]);
    const byCode = Object.fromEntries(tree.problems.map(p => [p.code, p]));
    expect(byCode['symlink-loop'].message).toBe(
      'symlink loop: leads back to svc, which contains it; not followed',
    );
    expect(byCode['file-too-large'].message).toBe(
      '2 KiB, over the limit of 1 KiB per file (goldenPath.insights.limits.maxFileBytes); not analysed',
    );
  });

  it('reads a directory under its own path, not under a link to it that the walk meets first', async () => {
    const linkedRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-linked-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(linkedRoot, rel)), {
        recursive: true,
      });
      fs.writeFileSync(path.join(linkedRoot, rel), text);
    };
    write('go.mod', 'module example.com/svc\n');
    write(
      'internal/domain/entity/order.go',
      'package entity\n\nimport "example.com/svc/internal/application/port"\n\nvar _ port.X\n',
    );
    write('internal/application/port/port.go', 'package port\n\ntype X int\n');
    // "adapter" sorts before "domain": the walk meets the link first
    fs.mkdirSync(path.join(linkedRoot, 'internal/adapter'));
    fs.symlinkSync(
      '../domain/entity',
      path.join(linkedRoot, 'internal/adapter/model'),
    );
    try {
      const tree = await readLocalSourceTree(
        linkedRoot,
        createInsightsFileFilter(''),
      );
      expect(
        [...tree.files.keys()].filter(f => f.endsWith('.go')).sort(),
      ).toEqual([
        'internal/application/port/port.go',
        'internal/domain/entity/order.go',
      ]);
      const r = analyzeGoLayers(tree, { serviceDir: '' });
      expect(
        r.violations.map(v => `${v.path} ${v.fromLayer}->${v.toLayer}`),
      ).toEqual(['internal/domain/entity/order.go domain->application']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('reports links that resolve back to themselves, and dangling links to wanted files', async () => {
    const domain = path.join(root, 'svc/internal/domain');
    fs.mkdirSync(domain, { recursive: true });
    fs.symlinkSync(path.join(domain, 'b.go'), path.join(domain, 'a.go'));
    fs.symlinkSync(path.join(domain, 'a.go'), path.join(domain, 'b.go'));
    fs.symlinkSync(path.join(domain, 'gone.go'), path.join(domain, 'c.go'));
    fs.symlinkSync(path.join(domain, 'gone'), path.join(domain, 'README'));
    const tree = await readLocalSourceTree(
      root,
      createInsightsFileFilter('svc'),
    );
    expect(tree.files.size).toBe(0);
    expect(tree.problems.map(p => `${p.code} ${p.path}`).sort()).toEqual([
      'symlink-dangling svc/internal/domain/c.go',
      'symlink-loop svc/internal/domain/a.go',
      'symlink-loop svc/internal/domain/b.go',
    ]);
  });

  it("enters only the directories that can hold the service's files", async () => {
    for (const rel of [
      'go.mod',
      'services/a-b-service/go.mod',
      'services/a-b-service/internal/domain/x.go',
      'services/other-service/internal/domain/y.go',
      'api/proto/ab/v1/ab.proto',
      'api/proto/other/v1/other.proto',
      'docs/z.go',
    ]) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), 'package x\n');
    }
    // a loop in a directory the service does not need is not even entered
    fs.symlinkSync(
      path.join(root, 'services'),
      path.join(root, 'services/other-service/loop'),
    );
    const wanted = createInsightsDirFilter('services/a-b-service');
    const entered: string[] = [];
    const tree = await readLocalSourceTree(
      root,
      createInsightsFileFilter('services/a-b-service'),
      {
        dirFilter: rel => {
          if (wanted(rel)) entered.push(rel);
          return wanted(rel);
        },
      },
    );
    // every proto of the monorepo's proto root: the service's imports resolve to them
    expect([...tree.files.keys()].sort()).toEqual([
      'api/proto/ab/v1/ab.proto',
      'api/proto/other/v1/other.proto',
      'go.mod',
      'services/a-b-service/go.mod',
      'services/a-b-service/internal/domain/x.go',
    ]);
    expect(entered).not.toContain('docs');
    expect(entered).not.toContain('services/other-service');
    expect(tree.problems).toEqual([]);
  });

  it('stops at the file limit and reports it once', async () => {
    fs.mkdirSync(path.join(root, 'svc'));
    for (let i = 0; i < 10; i++)
      fs.writeFileSync(path.join(root, 'svc', `f${i}.go`), 'package x\n');
    const tree = await readLocalSourceTree(
      root,
      createInsightsFileFilter('svc'),
      { maxFiles: 3 },
    );
    expect(tree.files.size).toBe(3);
    expect(
      tree.problems.filter(p => p.code === 'tree-too-many-files'),
    ).toHaveLength(1);
  });
});

describe('serviceProtoDirs', () => {
  it("knows the template's proto directory, named without hyphens", () => {
    expect(serviceProtoDirs('services/order-history-service')).toEqual([
      'api/proto/order-history/',
      'api/proto/orderhistory/',
    ]);
    expect(serviceProtoDirs('services/order-service')).toEqual([
      'api/proto/order/',
    ]);
  });
});
