import fs from 'node:fs';
import path from 'node:path';
import {
  compileGlob,
  importAllowed,
  readServiceDependencyRule,
  ruleAppliesTo,
} from './dependencyRule';
import { analyzeGoLayers } from './layers';
import type { SourceTree } from '../sourceTree';

const TEMPLATE_CONFIG = path.resolve(
  __dirname,
  '../../../../../templates/go-service/skeleton/services/${{ values.name }}-service/.golangci.yml',
);
const MOD = 'github.com/acme/order-service';
const PKG = 'github.com/acme/go-pkg';

/** The template's .golangci.yml as the scaffolder renders it for MOD. */
function templateConfig(): string {
  return fs
    .readFileSync(TEMPLATE_CONFIG, 'utf8')
    .replaceAll('${{ values.module }}', MOD)
    .replaceAll('${{ values.pkgModule }}', PKG);
}

function tree(files: Record<string, string>): SourceTree {
  return {
    files: new Map(
      Object.entries(files).map(([k, v]) => [k, Buffer.from(v, 'utf8')]),
    ),
    problems: [],
  };
}

function goFile(pkg: string, ...imports: string[]): string {
  return `package ${pkg}\n\nimport (\n${imports
    .map(i => `\t_ "${i}"\n`)
    .join('')})\n`;
}

const SERVICE = 'services/order-service';
const goMod = `module ${MOD}\n\ngo 1.26.0\n\nreplace ${PKG} => ../../pkg\n`;

function service(config: string | undefined, extra: Record<string, string>) {
  const files: Record<string, string> = {
    [`${SERVICE}/go.mod`]: goMod,
    [`${SERVICE}/internal/domain/entity/order.go`]: goFile('entity', 'time'),
    [`${SERVICE}/internal/application/usecase/order.go`]: goFile(
      'usecase',
      `${MOD}/internal/domain/entity`,
    ),
    [`${SERVICE}/internal/adapter/inbound/grpc/handler.go`]: goFile(
      'grpc',
      `${PKG}/proto/order/v1`,
    ),
    ...extra,
  };
  if (config !== undefined) files[`${SERVICE}/.golangci.yml`] = config;
  return analyzeGoLayers(tree(files), { serviceDir: SERVICE });
}

describe('the dependency rule from the service’s .golangci.yml', () => {
  it('reads the template’s shipped rules: domain, application, adapter', () => {
    const r = readServiceDependencyRule(
      tree({ [`${SERVICE}/.golangci.yml`]: templateConfig() }),
      SERVICE,
    );
    expect(r.problems).toEqual([]);
    expect(r.rule?.path).toBe(`${SERVICE}/.golangci.yml`);
    expect(r.rule?.lists.map(l => l.name)).toEqual([
      'adapter',
      'application',
      'domain',
    ]);
  });

  it('gives depguard’s verdicts: prefixes, exact $, a longer allow in lax mode, std roots', () => {
    const { rule } = readServiceDependencyRule(
      tree({ [`${SERVICE}/.golangci.yml`]: templateConfig() }),
      SERVICE,
    );
    const [adapter, application, domain] = rule!.lists;
    expect(importAllowed(domain, 'net/http').allowed).toBe(false);
    expect(importAllowed(domain, 'net/http').description).toBe(
      'keep transport out of the domain',
    );
    expect(importAllowed(domain, 'net').allowed).toBe(true);
    expect(importAllowed(domain, `${PKG}/errors`).allowed).toBe(true);
    expect(importAllowed(domain, `${PKG}/proto/order/v1`).allowed).toBe(false);
    expect(importAllowed(application, `${PKG}/proto/order/v1`).allowed).toBe(
      false,
    );
    expect(importAllowed(application, 'go.uber.org/fx').allowed).toBe(true);
    expect(
      importAllowed(adapter, `${MOD}/internal/infrastructure/config`).allowed,
    ).toBe(true);
    expect(
      importAllowed(adapter, `${MOD}/internal/infrastructure/fx`).allowed,
    ).toBe(false);
    expect(ruleAppliesTo(domain, `${SERVICE}/internal/domain/a/b.go`)).toBe(
      true,
    );
    expect(ruleAppliesTo(domain, `${SERVICE}/internal/domain/b_test.go`)).toBe(
      false,
    );
  });

  it('the tab follows a rule changed in the repository', () => {
    const code = {
      [`${SERVICE}/internal/domain/entity/clock.go`]: goFile(
        'entity',
        'net/http',
      ),
    };
    const shipped = service(templateConfig(), code);
    expect(shipped.dependencyRule?.source).toBe('service');
    expect(shipped.violations.map(v => [v.toPackage, v.rule])).toEqual([
      [
        'net/http',
        `rule domain of ${SERVICE}/.golangci.yml: keep transport out of the domain`,
      ],
    ]);
    // the team allows net/http in its domain: no violation
    const relaxed = templateConfig().replace(
      /\n\s+- pkg: net\/http\n\s+desc: [^\n]+/,
      '',
    );
    expect(relaxed).not.toContain('net/http');
    expect(service(relaxed, code).violations).toEqual([]);
    // and forbids time: the entity breaks the rule now
    const stricter = templateConfig().replace(
      'deny:\n',
      'deny:\n            - pkg: time$\n              desc: use the clock port\n',
    );
    expect(service(stricter, code).violations.map(v => v.rule)).toContain(
      `rule domain of ${SERVICE}/.golangci.yml: keep transport out of the domain`,
    );
    expect(
      service(stricter, code).violations.filter(v => v.toPackage === 'time'),
    ).toHaveLength(1);
  });

  it('the template’s own rules hold no finding on the template-shaped service', () => {
    const r = service(templateConfig(), {});
    expect(r.violations).toEqual([]);
    expect(r.problems.filter(p => p.code.startsWith('dependency'))).toEqual([]);
  });

  it('without a config: the default rule, said to be the default, refusing what the template refuses', () => {
    const r = service(undefined, {
      [`${SERVICE}/internal/domain/entity/web.go`]: goFile(
        'entity',
        'net/http',
      ),
      [`${SERVICE}/internal/application/usecase/pb.go`]: goFile(
        'usecase',
        `${PKG}/proto/order/v1`,
      ),
    });
    expect(r.dependencyRule?.source).toBe('default');
    expect(r.dependencyRule?.rules.map(x => x.name)).toEqual([
      'domain',
      'application',
      'adapter',
    ]);
    expect(
      r.problems
        .map(p => p.code)
        .filter(c => !c.startsWith('layout-'))
        .sort(),
    ).toEqual(['domain-external-dependency', 'generated-code-import']);
  });
});

describe('bad input: golangci-lint configs the rule cannot be read from', () => {
  const read = (config: string | Buffer) =>
    readServiceDependencyRule(
      {
        files: new Map([[`${SERVICE}/.golangci.yml`, Buffer.from(config)]]),
        problems: [],
      },
      SERVICE,
    );
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['not YAML', 'linters: [', /not valid YAML/],
    ['a list', '- a\n- b\n', /not a YAML mapping/],
    [
      'rules a list',
      'version: "2"\nlinters:\n  settings:\n    depguard:\n      rules: [a]\n',
      /must be a mapping of rule names/,
    ],
    [
      'an unknown key',
      'version: "2"\nlinters:\n  settings:\n    depguard:\n      rules:\n        main:\n          denny: []\n',
      /unknown key "denny"/,
    ],
    [
      'a deny map (v1 shape)',
      'version: "2"\nlinters:\n  settings:\n    depguard:\n      rules:\n        main:\n          deny:\n            net/http: no\n',
      /deny must be a list/,
    ],
    [
      'a list mode',
      'version: "2"\nlinters:\n  settings:\n    depguard:\n      rules:\n        main:\n          list-mode: loose\n          deny: [{pkg: x}]\n',
      /list-mode "loose"/,
    ],
    [
      'an unclosed brace',
      'version: "2"\nlinters:\n  settings:\n    depguard:\n      rules:\n        main:\n          files: ["**/{a,b"]\n          deny: [{pkg: x}]\n',
      /unclosed \{/,
    ],
    [
      'a path placeholder',
      'version: "2"\nlinters:\n  settings:\n    depguard:\n      rules:\n        main:\n          files: ["${base-path}/internal/**"]\n          deny: [{pkg: x}]\n',
      /path placeholder, which is not expanded here/,
    ],
    [
      'a rule without lists',
      'version: "2"\nlinters:\n  settings:\n    depguard:\n      rules:\n        main:\n          files: ["$all"]\n',
      /neither allow nor deny/,
    ],
    [
      'too large',
      Buffer.alloc(300 * 1024, 0x23),
      /larger than 256 KiB and was not read/,
    ],
  ];
  it.each(cases)('%s: one finding, the default rule', (_, config, message) => {
    const r = read(config);
    expect(r.rule).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({
      severity: 'error',
      code: 'dependency-rule-unreadable',
      path: `${SERVICE}/.golangci.yml`,
    });
    expect(r.problems[0].message).toMatch(message);
    expect(r.problems[0].message).toMatch(/default dependency rule/);
  });

  // golangci-lint v1 configs, as many public repositories have them
  it.each([
    [
      'no version, no depguard (wild-workouts)',
      'run:\n  timeout: 5m\nlinters:\n  enable: [errcheck, govet]\n',
    ],
    [
      'version 1, depguard disabled (connect examples-go)',
      'version: 1\nlinters:\n  disable: [depguard]\n',
    ],
    ['an empty file', ''],
  ])(
    'a v1 config with no depguard rules: no rule, no finding (%s)',
    (_, config) => {
      expect(read(config)).toEqual({ problems: [] });
    },
  );

  it('a v1 config with depguard rules: the default rule, and one note saying why', () => {
    const r = read(
      'linters-settings:\n  depguard:\n    rules:\n      main:\n        deny:\n          - pkg: github.com/pkg/errors\n',
    );
    expect(r.rule).toBeUndefined();
    expect(r.problems).toEqual([
      {
        severity: 'info',
        code: 'dependency-rule-v1-config',
        path: `${SERVICE}/.golangci.yml`,
        message:
          'the depguard rules of a golangci-lint v1 config (linters-settings.depguard, version null) are not read, only those of v2 configs (version: "2", linters.settings.depguard; golangci-lint migrate converts it); the golden path’s default dependency rule was checked instead',
      },
    ]);
  });

  it('depguard not enabled: the rules are checked and the gap is said', () => {
    const r = read(
      'version: "2"\nlinters:\n  settings:\n    depguard:\n      rules:\n        main:\n          deny: [{pkg: x}]\n',
    );
    expect(r.rule?.lists).toHaveLength(1);
    expect(r.problems.map(p => p.code)).toEqual(['dependency-rule-not-linted']);
  });

  it('a glob built to backtrack matches in linear time', () => {
    const m = compileGlob(`${'**a'.repeat(40)}b`, 'test');
    const started = Date.now();
    expect(m(`/${'a'.repeat(5000)}`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('globs match as a backtracking matcher of the same rules does', () => {
    // the reference: gobwas/glob's rules for these tokens, as a regular expression
    const reference = (glob: string) =>
      new RegExp(
        `^${glob
          .split(/(\*\*|\*|\?)/)
          .map(part => {
            if (part === '**') return '.*';
            if (part === '*') return '[^/]*';
            if (part === '?') return '[^/]';
            return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
          })
          .join('')}$`,
        's',
      );
    const globs = [
      '**/*.go',
      '**/*_test.go',
      '/services/*/internal/domain/**',
      '**/internal/domain/**/*.go',
      '*/a?c/**',
      '**a**b*',
      '/x/**/y/*.go',
      'a*b*c',
      '',
      '**',
    ];
    const paths = [
      '/services/order-service/internal/domain/entity/order.go',
      '/services/order-service/internal/domain/order_test.go',
      '/x/y/z.go',
      '/x/q/y/z.go',
      '/x/y/q/z.go',
      'a/abc/d',
      'a/abc',
      'ab/abc/',
      'aXbYc',
      'aXb/Yc',
      'ab',
      '',
      '/',
    ];
    for (const g of globs) {
      const m = compileGlob(g, 'test');
      const re = reference(g);
      for (const p of paths) expect([g, p, m(p)]).toEqual([g, p, re.test(p)]);
    }
  });

  it('an alias bomb is refused as a shape, not expanded', () => {
    const bomb = [
      'version: "2"',
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'linters:',
      '  settings:',
      '    depguard:',
      '      rules:',
      '        main:',
      '          files: *c',
      '          deny: [{pkg: x}]',
    ].join('\n');
    const r = read(bomb);
    expect(r.problems[0].message).toMatch(
      /files\[0\] must be a non-empty string/,
    );
  });
});
