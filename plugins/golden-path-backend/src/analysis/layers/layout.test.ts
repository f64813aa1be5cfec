import { parseGoMod } from '@golden-path/plugin-golden-path-common';
import { analyzeGoLayers } from './layers';
import { goModRequirement } from './goMod';
import { recogniseGoPackage } from './layout';
import { SourceTreeBuilder } from '../sourceTree';

/*
 * Services laid out in other ways than the golden path, made by hand after
 * the layouts seen in public Go services: one summary finding naming what
 * was recognised, the dependency rule between the layers they have, and no
 * "missing …" for a layout they never claimed.
 */

/** A service `svc` of module `example.com/svc` with these Go files (path → source). */
function analyze(files: Record<string, string>) {
  const tree = new SourceTreeBuilder();
  tree.add('svc/go.mod', Buffer.from('module example.com/svc\n\ngo 1.26\n'));
  for (const [p, src] of Object.entries(files))
    tree.add(`svc/${p}`, Buffer.from(src));
  return analyzeGoLayers(tree.build(), { serviceDir: 'svc' });
}

const go = (pkg: string, ...imports: string[]) =>
  `package ${pkg}\n\n${imports
    .map(
      i =>
        `import "${i.startsWith('.') ? `example.com/svc${i.slice(1)}` : i}"\n`,
    )
    .join('')}\nfunc New${pkg[0].toUpperCase()}${pkg.slice(1)}() {}\n`;

const byDir = (r: ReturnType<typeof analyze>) =>
  Object.fromEntries(
    r.packages.map(p => [p.dir, `${p.layer}/${p.sublayer ?? ''}`]),
  );

describe('services of another layout', () => {
  it('a domain folder per bounded context: one summary, nothing missing, the domain found', () => {
    const r = analyze({
      'cmd/shop/main.go': go('main', './domain/order', './internal/handler'),
      'domain/order/order.go': go('order'),
      'domain/payment/payment.go': go('payment', './domain/order'),
      'internal/handler/order.go': go('handler', './domain/order'),
      'internal/repository/order.go': go(
        'repository',
        './domain/order',
        'database/sql',
      ),
      // a classic layered service: its service layer uses the repositories by design
      'internal/service/order.go': go(
        'service',
        './domain/order',
        './internal/repository',
      ),
    });
    expect(byDir(r)).toEqual({
      'cmd/shop': 'cmd/',
      'domain/order': 'domain/order',
      'domain/payment': 'domain/payment',
      'internal/handler': 'adapter/handler',
      'internal/repository': 'other/repository',
      'internal/service': 'other/service',
    });
    expect(r.problems).toEqual([
      {
        severity: 'info',
        code: 'layout-foreign',
        message:
          "this service does not follow the golden-path layout (internal/domain, internal/application, internal/adapter, internal/infrastructure, cmd/); recognised: domain: domain/order, domain/payment; adapters: internal/handler; entry point: cmd/shop. The dependency rule is checked between the layers recognised; the golden path's parts are not expected.",
        path: 'svc',
      },
    ]);
    expect(r.violations).toEqual([]);
    expect(r.followsGoldenPath).toBe(false);
  });

  it('a domain folder per bounded context that imports an adapter: that violation is true and reported', () => {
    const r = analyze({
      'main.go': go('main', './domain/order'),
      'domain/order/order.go': go('order', './internal/handler'),
      'internal/handler/order.go': go('handler'),
    });
    expect(r.violations.map(v => `${v.path}:${v.line} ${v.rule}`)).toEqual([
      'svc/domain/order/order.go:3 domain must not import adapter (adapter/handler)',
    ]);
    expect(r.problems.map(p => p.code)).toEqual(['layout-foreign']);
  });

  it('package main at the service root: the entry point is found, no "missing cmd/main.go"', () => {
    const r = analyze({
      'main.go': go('main', './internal/store'),
      'server.go': 'package main\n\nfunc serve() {}\n',
      'internal/store/store.go': go('store', 'database/sql'),
    });
    expect(byDir(r)).toEqual({ '': 'cmd/', 'internal/store': 'other/store' });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].code).toBe('layout-foreign');
    expect(r.problems[0].message).toContain(
      'recognised: entry point: package main at the service root.',
    );
    expect(r.problems[0].message).not.toMatch(/missing/);
  });

  it('internal/entity + internal/usecase (clean architecture): layers recognised, no Fx or golden-path findings', () => {
    const r = analyze({
      'cmd/app/main.go': go(
        'main',
        './config',
        './internal/controller/http/v1',
      ),
      'config/config.go': go('config'),
      'internal/entity/user.go': go('entity'),
      'internal/usecase/user.go': go(
        'usecase',
        './internal/entity',
        './config',
      ),
      'internal/usecase/repo/user_postgres.go': go(
        'repo',
        './internal/entity',
        'github.com/jackc/pgx/v5',
      ),
      'internal/controller/http/v1/user.go': go(
        'v1',
        './internal/usecase',
        './config',
      ),
    });
    expect(byDir(r)).toEqual({
      'cmd/app': 'cmd/',
      config: 'other/',
      'internal/controller/http/v1': 'adapter/http',
      'internal/entity': 'domain/entity',
      'internal/usecase': 'application/usecase',
      'internal/usecase/repo': 'application/repo',
    });
    expect(r.problems.map(p => p.code)).toEqual(['layout-foreign']);
    expect(r.problems[0].message).toContain(
      'recognised: domain: internal/entity; application: internal/usecase; adapters: internal/controller/http/v1; entry point: cmd/app.',
    );
    expect(r.violations).toEqual([]);
  });
});

describe('layouts whose folder names mean a layer only together', () => {
  const PB = '// Code generated by protoc-gen-go. DO NOT EDIT.\n';

  it("Three Dots Labs' app + ports: commands and queries are the application, ports and adapters the adapters, service the wiring", () => {
    const r = analyze({
      'main.go': go('main', './ports', './service'),
      'app/app.go': go('app', './app/command', './app/query'),
      'app/command/schedule.go': go('command', './domain/hour'),
      'app/query/hours.go': go('query', './domain/hour'),
      'domain/hour/hour.go': go('hour'),
      'adapters/hour_repository.go': go(
        'adapters',
        './domain/hour',
        './app/query',
        'database/sql',
      ),
      'ports/http.go': go('ports', './app', './app/command', 'net/http'),
      'service/application.go': go('service', './adapters', './app'),
    });
    expect(byDir(r)).toEqual({
      '': 'cmd/',
      adapters: 'adapter/adapters',
      app: 'application/app',
      'app/command': 'application/command',
      'app/query': 'application/query',
      'domain/hour': 'domain/hour',
      ports: 'adapter/ports',
      service: 'infrastructure/service',
    });
    expect(r.violations).toEqual([]);
    expect(r.problems.map(p => p.code)).toEqual(['layout-foreign']);
    expect(r.problems[0].message).toContain(
      'recognised: domain: domain/hour; application: app; adapters: adapters, ports; infrastructure: service; entry point: package main at the service root.',
    );
  });

  it('app beside domain in a bounded context is its application layer', () => {
    const r = analyze({
      'cmd/main.go': go('main', './internal/order/infra/rpc'),
      'internal/order/app/place/place.go': go(
        'place',
        './internal/order/domain/order',
        './internal/order/infra/repository',
      ),
      'internal/order/domain/order/order.go': go('order'),
      'internal/order/infra/repository/repo.go': go(
        'repository',
        './internal/order/domain/order',
      ),
      'internal/order/infra/rpc/rpc.go': go(
        'rpc',
        './internal/order/app/place',
      ),
    });
    expect(byDir(r)).toMatchObject({
      'internal/order/app/place': 'application/place',
      'internal/order/domain/order': 'domain/order',
      'internal/order/infra/repository': 'infrastructure/repository',
    });
    expect(r.violations.map(v => `${v.path}:${v.line} ${v.rule}`)).toEqual([
      'svc/internal/order/app/place/place.go:4 application must not import infrastructure (infrastructure/repository)',
    ]);
  });

  it('a command that uses an adapter of that layout breaks the rule', () => {
    const r = analyze({
      'main.go': go('main', './ports'),
      'app/command/schedule.go': go('command', './adapters'),
      'adapters/repo.go': go('adapters'),
      'ports/http.go': go('ports', './app/command'),
    });
    expect(r.violations.map(v => `${v.path}:${v.line} ${v.rule}`)).toEqual([
      'svc/app/command/schedule.go:3 application must not import adapter (adapter/adapters)',
    ]);
  });

  it("Kratos' biz + data: biz the domain, data and service the adapters, server the servers", () => {
    const r = analyze({
      'cmd/server/main.go': go(
        'main',
        './internal/biz',
        './internal/data',
        './internal/server',
        './internal/service',
      ),
      'api/greeter/v1/greeter.pb.go': `${PB}package v1\n\ntype HelloRequest struct{}\n`,
      'internal/biz/greeter.go': go('biz', './api/greeter/v1'),
      'internal/data/greeter.go': go('data', './internal/biz'),
      'internal/service/greeter.go': go(
        'service',
        './api/greeter/v1',
        './internal/biz',
      ),
      'internal/server/grpc.go': go(
        'server',
        './api/greeter/v1',
        './internal/service',
      ),
    });
    expect(byDir(r)).toEqual({
      'api/greeter/v1': 'other/generated',
      'cmd/server': 'cmd/',
      'internal/biz': 'domain/biz',
      'internal/data': 'adapter/data',
      'internal/server': 'infrastructure/server',
      'internal/service': 'adapter/service',
    });
    expect(r.violations).toEqual([]);
    // the domain on the API's generated types: named as proto code, for the gRPC adapter
    expect(
      r.problems.map(p => `${p.severity} ${p.code} ${p.path} ${p.message}`),
    ).toEqual([
      'error generated-code-import svc/internal/biz/greeter.go domain imports generated proto code (api/greeter/v1); only the gRPC adapter should use it',
      expect.stringMatching(/^info layout-foreign svc /),
    ]);
  });

  it('the same names apart from their layout name no layer', () => {
    const r = analyze({
      'cmd/app/main.go': go('main', './internal/app'),
      // go-clean-template's internal/app wires everything beside entity and usecase
      'internal/app/app.go': go(
        'app',
        './internal/usecase',
        './internal/data',
        './internal/service',
      ),
      'internal/entity/user.go': go('entity'),
      'internal/usecase/user.go': go('usecase', './internal/entity'),
      'internal/data/user.go': go('data', './internal/entity'),
      'internal/service/user.go': go('service', './internal/data'),
      'internal/server/server.go': go('server'),
      'pkg/ports/ports.go': go('ports'),
      'internal/constructor/c.go': go('constructor'),
    });
    expect(byDir(r)).toMatchObject({
      'internal/app': 'other/app',
      'internal/data': 'other/data',
      'internal/service': 'other/service',
      'internal/server': 'other/server',
      'pkg/ports': 'other/',
      'internal/constructor': 'other/constructor',
    });
    expect(r.violations).toEqual([]);
  });
});

describe('folders named like a layer that are not one', () => {
  it('a domain folder of bounded contexts inside other folders (app/domain, business/domain) is no domain layer', () => {
    const r = analyze({
      'api/services/sales/main.go': go('main', './app/domain/userapp'),
      'app/domain/userapp/route.go': go(
        'userapp',
        'net/http',
        './business/domain/userbus',
      ),
      'app/sdk/mux/mux.go': go('mux', 'net/http'),
      'business/domain/userbus/userbus.go': go('userbus'),
      'business/domain/userbus/stores/userdb/userdb.go': go(
        'userdb',
        'database/sql',
      ),
      'business/sdk/sqldb/sqldb.go': go('sqldb', 'database/sql'),
    });
    expect(
      r.packages.filter(p => p.layer === 'domain').map(p => p.dir),
    ).toEqual([]);
    expect(r.problems.map(p => p.code)).toEqual(['layout-foreign']);
  });

  it('a bounded context with layer folders of its own keeps them', () => {
    const r = analyze({
      'main.go': go('main', './internal/order/usecase'),
      'internal/order/domain/order.go': go('domain', 'database/sql'),
      'internal/order/usecase/place.go': go(
        'usecase',
        './internal/order/domain',
      ),
    });
    expect(byDir(r)).toMatchObject({
      'internal/order/domain': 'domain/order',
      'internal/order/usecase': 'application/usecase',
    });
    expect(r.problems.map(p => p.code)).toEqual([
      'domain-external-dependency',
      'layout-foreign',
    ]);
  });
});

describe('services of the golden-path layout', () => {
  it('lists the parts still missing', () => {
    const r = analyze({
      'internal/domain/entity/a.go': go('entity'),
      'internal/application/usecase/a.go': go('usecase'),
      'internal/application/usecase/di.go':
        'package usecase\n\nfunc Module() {}\n',
    });
    expect(
      r.problems
        .filter(p => p.code === 'layout-missing-layer')
        .map(p => p.message),
    ).toEqual([
      'missing internal/adapter (gRPC handlers, persistence)',
      'missing internal/infrastructure (config, server, fx)',
      'missing cmd/main.go (the entry point)',
    ]);
    expect(r.problems.some(p => p.code === 'layout-foreign')).toBe(false);
    expect(r.followsGoldenPath).toBe(true);
  });

  it('counts a domain/<name> folder and a root package main as the parts they are', () => {
    const r = analyze({
      'main.go': go('main'),
      'domain/order/order.go': go('order'),
      'internal/application/usecase/a.go': go('usecase', './domain/order'),
      'internal/application/usecase/di.go':
        'package usecase\n\nfunc Module() {}\n',
      'internal/adapter/inbound/grpc/h.go': go('grpc'),
      'internal/adapter/inbound/grpc/di.go':
        'package grpc\n\nfunc Module() {}\n',
    });
    const missing = r.problems
      .filter(p => p.code === 'layout-missing-layer')
      .map(p => p.message);
    expect(missing).toEqual([
      'missing internal/infrastructure (config, server, fx)',
    ]);
  });
});

describe('services without Fx', () => {
  /** A hexagonal service in the golden-path folders, wired by hand (as go-clean-template, wild-workouts, kratos do). */
  const HEXAGONAL = {
    'cmd/app/main.go': go('main', './internal/application/usecase'),
    'internal/domain/entity/order.go': go('entity'),
    'internal/domain/entity/di.go': 'package entity\n\nfunc Provide() {}\n',
    'internal/application/usecase/order.go': go(
      'usecase',
      './internal/domain/entity',
    ),
    'internal/adapter/outbound/persistence/repo.go': go(
      'persistence',
      './internal/domain/entity',
    ),
    'internal/adapter/inbound/grpc/handler.go': go('grpc'),
    'internal/adapter/inbound/grpc/di.go': 'package grpc\n\nfunc Wire() {}\n',
  };
  const FX_CODES = [
    'layout-missing-di',
    'layout-di-without-module',
    'layout-domain-di',
  ];

  function analyzeWith(goMod: string, extra: Record<string, string> = {}) {
    const tree = new SourceTreeBuilder();
    tree.add('svc/go.mod', Buffer.from(goMod));
    for (const [p, src] of Object.entries({ ...HEXAGONAL, ...extra }))
      tree.add(`svc/${p}`, Buffer.from(src));
    return analyzeGoLayers(tree.build(), { serviceDir: 'svc' });
  }
  const fxFindings = (r: ReturnType<typeof analyzeGoLayers>) =>
    r.problems
      .filter(
        p =>
          FX_CODES.includes(p.code) ||
          (p.code === 'layout-missing-sublayer' &&
            p.message.includes('internal/infrastructure/fx')),
      )
      .map(p => `${p.severity} ${p.code} ${p.path ?? ''}`.trim())
      .sort();

  const WITH_FX = [
    'info layout-missing-sublayer',
    'warning layout-di-without-module svc/internal/adapter/inbound/grpc/di.go',
    'warning layout-di-without-module svc/internal/domain/entity/di.go',
    'warning layout-domain-di svc/internal/domain/entity',
    'warning layout-missing-di svc/internal/adapter/outbound/persistence',
    'warning layout-missing-di svc/internal/application/usecase',
  ];

  it.each([
    [
      'go.mod without Fx',
      'module example.com/svc\n\ngo 1.26\n\nrequire github.com/go-chi/chi/v5 v5.1.0\n',
      {},
      [],
    ],
    [
      'Fx only as an indirect dependency',
      'module example.com/svc\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.1.0\n\tgo.uber.org/fx v1.24.0 // indirect\n)\n',
      {},
      [],
    ],
    [
      'Fx required in a require block',
      'module example.com/svc\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.1.0\n\tgo.uber.org/fx v1.24.0\n)\n',
      {},
      WITH_FX,
    ],
    [
      'Fx required on one line',
      'module example.com/svc\n\nrequire go.uber.org/fx v1.24.0 // DI\n',
      {},
      WITH_FX,
    ],
    [
      'Fx imported though go.mod does not list it (yet)',
      'module example.com/svc\n',
      {
        'internal/infrastructure/fx/module.go':
          'package fx\n\nimport "go.uber.org/fx"\n\nvar Module = fx.Options()\n',
      },
      WITH_FX.filter(f => f !== 'info layout-missing-sublayer'),
    ],
  ])(
    '%s',
    (_label, goMod, extra: Record<string, string>, expected: string[]) => {
      const r = analyzeWith(goMod, extra);
      expect(r.followsGoldenPath).toBe(true);
      expect(fxFindings(r)).toEqual(expected);
      const notes = r.problems.filter(p => p.code === 'layout-no-fx');
      expect(notes.map(p => p.severity)).toEqual(
        expected.length ? [] : ['info'],
      );
      // the layout's other parts are still expected
      expect(
        r.problems
          .filter(p => p.code === 'layout-missing-layer')
          .map(p => p.message),
      ).toEqual(
        extra['internal/infrastructure/fx/module.go']
          ? []
          : ['missing internal/infrastructure (config, server, fx)'],
      );
    },
  );
});

describe('goModRequirement', () => {
  it.each([
    ['require go.uber.org/fx v1.24.0\n', 'direct'],
    ['require "go.uber.org/fx" v1.24.0\n', 'direct'],
    ['require (\n\tgo.uber.org/fx v1.24.0 // indirect\n)\n', 'indirect'],
    [
      'require (\n\tgo.uber.org/fx v1.24.0 // indirect; pinned\n)\n',
      'indirect',
    ],
    [
      'require (\n\t// go.uber.org/fx v1.24.0\n\tgo.uber.org/dig v1.18.0\n)\n',
      undefined,
    ],
    ['require go.uber.org/fxtest v1.0.0\n', undefined],
    ['replace go.uber.org/fx => ../fx\n', undefined],
    ['require (\n)\nrequire go.uber.org/fx v1.24.0\n', 'direct'],
  ])('%j → %s', (body, expected) => {
    expect(
      goModRequirement(
        parseGoMod(`module example.com/svc\n\n${body}`),
        'go.uber.org/fx',
      ),
    ).toBe(expected);
  });
});

describe('recogniseGoPackage', () => {
  it.each([
    ['domain/order', 'order', 'domain', 'order'],
    ['internal/order/domain', 'domain', 'domain', 'order'],
    ['internal/entity', 'entity', 'domain', 'entity'],
    ['internal/usecase', 'usecase', 'application', 'usecase'],
    ['internal/rest', 'rest', 'adapter', 'rest'],
    ['internal/infra/db', 'db', 'infrastructure', 'db'],
    ['', 'main', 'cmd', undefined],
  ])('%s (package %s) → %s/%s', (dir, name, layer, sublayer) => {
    expect(recogniseGoPackage(dir, name)).toEqual({ layer, sublayer });
  });

  it('leaves folders without a layer name alone', () => {
    expect(recogniseGoPackage('internal/store', 'store')).toBeUndefined();
    expect(recogniseGoPackage('pkg/util', 'util')).toBeUndefined();
    for (const ambiguous of ['repository', 'storage', 'config', 'http', 'grpc'])
      expect(
        recogniseGoPackage(`internal/${ambiguous}`, ambiguous),
      ).toBeUndefined();
  });
});
