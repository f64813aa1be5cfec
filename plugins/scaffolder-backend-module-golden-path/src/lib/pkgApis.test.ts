import { InputError } from '@backstage/errors';
import { confinedRoot } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  checkMonorepoPkg,
  GO_SERVICE_PKG_APIS,
  neededPkgApis,
  PKG_READ_LIMITS,
  PkgApiManifest,
  readMonorepoPkg,
  SkeletonFiles,
  skeletonPkgApis,
  untemplateGo,
} from './pkgApis';
import { summarizeGoFile } from '@golden-path/plugin-golden-path-common';
import { SERVICE_SKELETON_PARTS } from './serviceRenders';

const TEMPLATES = path.resolve(__dirname, '../../../../templates');
const MANIFEST = path.join(__dirname, 'goServicePkgApis.json');
const PKG = path.join(TEMPLATES, 'go-monorepo/skeleton/pkg');

function walk(dir: string, rel = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const d of fs.readdirSync(path.join(dir, rel), {
    withFileTypes: true,
  })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...walk(dir, r));
    else if (d.isFile())
      out.push([r, fs.readFileSync(path.join(dir, r), 'utf8')]);
  }
  return out;
}

/** templates/go-service/skeleton* by part. */
function skeletonParts(): Map<string, SkeletonFiles> {
  const dir = path.join(TEMPLATES, 'go-service');
  return new Map(
    fs
      .readdirSync(dir)
      .filter(p => p.startsWith('skeleton'))
      .sort()
      .map(p => [p, new Map(walk(path.join(dir, p)))]),
  );
}

/** The monorepo template's pkg: package path → its non-test Go files. */
function templatePkg(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [rel, text] of walk(PKG)) {
    if (!rel.endsWith('.go') || rel.endsWith('_test.go')) continue;
    const dir = path.posix.dirname(rel);
    out.set(dir, [...(out.get(dir) ?? []), text]);
  }
  return out;
}

/** One line per difference: what the skeleton uses and the file lacks, and the reverse. */
function differences(a: PkgApiManifest, b: PkgApiManifest): string[] {
  const flat = (m: PkgApiManifest) =>
    new Set(
      Object.entries(m.parts).flatMap(([part, byPkg]) =>
        Object.entries(byPkg).flatMap(([p, apis]) =>
          apis.map(x => `${part}: ${p} ${x}`),
        ),
      ),
    );
  const fa = flat(a);
  const fb = flat(b);
  return [
    ...[...fa].filter(x => !fb.has(x)).map(x => `+ ${x}`),
    ...[...fb].filter(x => !fa.has(x)).map(x => `- ${x}`),
  ];
}

describe('the pkg APIs of the Go service skeletons', () => {
  it('are what goServicePkgApis.json lists (UPDATE_PKG_APIS=1 rewrites it)', () => {
    const computed = skeletonPkgApis(skeletonParts(), templatePkg());
    if (process.env.UPDATE_PKG_APIS === '1')
      fs.writeFileSync(MANIFEST, `${JSON.stringify(computed, null, 2)}\n`);
    const diff = differences(computed, GO_SERVICE_PKG_APIS);
    // One message: what differs, and the command that refreshes the file.
    expect(
      diff.length
        ? `${diff.join(
            '\n',
          )}\nthe skeletons and src/lib/goServicePkgApis.json disagree: run UPDATE_PKG_APIS=1 yarn backstage-cli package test pkgApis and review the diff`
        : '',
    ).toBe('');
    expect(computed).toEqual(GO_SERVICE_PKG_APIS);
  });

  it('name the calls the skeletons make: functions, fields of literals, methods of injected values', () => {
    const skel = GO_SERVICE_PKG_APIS.parts.skeleton;
    expect(skel['auth/jwt']).toEqual(
      expect.arrayContaining([
        'CheckJWKSURL',
        'Config.JWKSURL',
        'NewValidator',
      ]),
    );
    expect(skel.job).toEqual(
      expect.arrayContaining(['Scheduler.StopTicks', 'Runner.RefuseNewRuns']),
    );
    expect(GO_SERVICE_PKG_APIS.packages['auth/jwt']).toBe('jwt');
    // Every part is one serviceRenders knows.
    for (const part of Object.keys(GO_SERVICE_PKG_APIS.parts))
      expect(SERVICE_SKELETON_PARTS).toContain(part);
  });

  it('see a call added to or dropped from a skeleton', () => {
    const parts = skeletonParts();
    const skel = parts.get('skeleton')!;
    const [file, text] = [...skel].find(([, t]) =>
      t.includes('scheduler.StopTicks()'),
    )!;
    skel.set(file, text.replace('scheduler.StopTicks()', ''));
    expect(
      differences(skeletonPkgApis(parts, templatePkg()), GO_SERVICE_PKG_APIS),
    ).toEqual(['- skeleton: job Scheduler.StopTicks']);
  });

  it('read the Go of a file whose macros and block sets stand before its package clause', () => {
    const file = `{%- macro go(s) -%}\${{ s | capitalize }}{%- endmacro -%}
{%- set sig %}{% for f in fields %},\${{ f.type }}{% endfor %},{% endset -%}
package a

import "\${{ values.pkgModule }}/job"

var _ = job.NewRunner(\${{ go('x') }})
`;
    expect(summarizeGoFile(untemplateGo(file)).error).toBeUndefined();
    expect(untemplateGo(file).split('\n')).toHaveLength(
      file.split('\n').length,
    );
    const m = skeletonPkgApis(
      new Map([['skeleton-x', new Map([['a/a.go', file]])]]),
      new Map([['job', ['package job\nfunc NewRunner(int) {}\n']]]),
    );
    expect(m.parts['skeleton-x']).toEqual({ job: ['NewRunner'] });
    // The day-2 parts' files that start so are read: add-rpc's use case.
    expect(GO_SERVICE_PKG_APIS.parts['skeleton-rpc']?.errors).toEqual(
      expect.arrayContaining(['New', 'CodeInvalidArgument']),
    );
  });

  it('refuse to generate from a skeleton file that calls pkg and that they cannot read', () => {
    expect(() =>
      skeletonPkgApis(
        new Map([
          [
            'skeleton-x',
            new Map([
              [
                'a/a.go',
                'stray package a\n\nimport "${{ values.pkgModule }}/job"\n',
              ],
            ]),
          ],
        ]),
        new Map([['job', ['package job\n']]]),
      ),
    ).toThrow(
      'skeleton-x/a/a.go line 1: expected the package clause once its Nunjucks is taken out (untemplateGo): its pkg calls cannot be read',
    );
  });

  it('ignore names pkg does not declare: a local variable named like a package, a promoted method', () => {
    const m = skeletonPkgApis(
      new Map([
        [
          'skeleton',
          new Map([
            [
              'a/a.go',
              `package a

import (
	"\${{ values.pkgModule }}/job"
	"\${{ values.pkgModule }}/database"
)

func f(s *job.Scheduler, pool *database.Pool) {
	for _, job := range jobs { job.Name() }
	s.StopTicks()
	pool.Ping(ctx)
{%- if values.jobs | length %}
	r, err := job.NewRunner(job.RunnerConfig{Workers: 1})
	r.RefuseNewRuns()
{%- endif %}
}
`,
            ],
          ]),
        ],
      ]),
      new Map([
        [
          'job',
          [
            `package job
type Scheduler struct{}
func (s *Scheduler) StopTicks() {}
type RunnerConfig struct { Workers int }
type Runner struct{}
func NewRunner(c RunnerConfig) (*Runner, error) { return nil, nil }
func (r *Runner) RefuseNewRuns() {}
`,
          ],
        ],
        ['database', ['package database\ntype Pool struct{ *pgxpool.Pool }\n']],
      ]),
    );
    expect(m).toEqual({
      packages: { database: 'database', job: 'job' },
      parts: {
        skeleton: {
          database: ['Pool'],
          job: [
            'NewRunner',
            'Runner.RefuseNewRuns',
            'RunnerConfig',
            'RunnerConfig.Workers',
            'Scheduler',
            'Scheduler.StopTicks',
          ],
        },
      },
    });
  });
});

/** A monorepo whose pkg is a copy of the Go monorepo template's, edited by `edit`. */
function monorepo(edit: (pkg: string) => void = () => undefined) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-apis-'));
  const repos = path.join(base, 'repos');
  const pkg = path.join(repos, 'shop/pkg');
  fs.mkdirSync(repos);
  fs.cpSync(PKG, pkg, { recursive: true });
  // As the monorepo template renders it.
  const goMod = path.join(pkg, 'go.mod');
  fs.writeFileSync(
    goMod,
    fs
      .readFileSync(goMod, 'utf8')
      .replace(/\$\{\{\s*values\.goVersion\s*\}\}/, '1.26'),
  );
  edit(pkg);
  const logs: string[] = [];
  const check = (parts: string[] = ['skeleton', 'skeleton-jobs']) =>
    checkMonorepoPkg({
      root: confinedRoot(repos, { name: 'the local publish root' }),
      monorepo: path.join(repos, 'shop'),
      monorepoName: 'shop',
      parts,
      where: 'services/x-service',
      then: 'create the service',
      log: l => logs.push(l),
    });
  return {
    base,
    pkg,
    logs,
    check,
    cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}

/** Removes the Go function or method whose declaration starts with `head` from `file`. */
function removeFunc(file: string, head: string) {
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf(head);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n}\n', start) + 3;
  fs.writeFileSync(file, text.slice(0, start) + text.slice(end));
}

const JWKS_URL = 'auth/jwt/jwks_url.go';
const SCHEDULER = 'job/scheduler.go';

describe('checkMonorepoPkg', () => {
  it('passes the Go monorepo template pkg as it is', () => {
    const m = monorepo();
    expect(() => m.check(SERVICE_SKELETON_PARTS)).not.toThrow();
    expect(m.logs).toEqual([]);
    m.cleanup();
  });

  it('refuses an older pkg in one line naming exactly what it lacks', () => {
    const m = monorepo(pkg => {
      removeFunc(path.join(pkg, JWKS_URL), 'func CheckJWKSURL(');
      removeFunc(path.join(pkg, SCHEDULER), 'func (s *Scheduler) StopTicks(');
    });
    expect(() => m.check()).toThrow(
      new InputError(
        "services/x-service needs pkg APIs this monorepo's pkg module lacks (jwt.CheckJWKSURL in pkg/auth/jwt, job.Scheduler.StopTicks in pkg/job): its pkg is older than the go-service template; run the upgrade-monorepo template on shop first, then create the service",
      ),
    );
    m.cleanup();
  });

  it('names a missing field and a whole missing package', () => {
    const m = monorepo(pkg => {
      const f = path.join(pkg, 'auth/jwt/jwt.go');
      fs.writeFileSync(
        f,
        fs.readFileSync(f, 'utf8').replace(/^\tJWKSURL .*$/m, ''),
      );
      fs.rmSync(path.join(pkg, 'lock'), { recursive: true });
    });
    let err: Error | undefined;
    try {
      m.check(['skeleton', 'skeleton-jobs']);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toContain('jwt.Config.JWKSURL in pkg/auth/jwt');
    expect(err?.message).toContain('pkg/lock (the whole package)');
    expect(err?.message).not.toContain('\n');
    m.cleanup();
  });

  it('passes a customised pkg that still has every API the skeletons call', () => {
    const m = monorepo(pkg => {
      // Moved to another file, reformatted, with the team's own additions.
      const from = path.join(pkg, JWKS_URL);
      const text = fs.readFileSync(from, 'utf8');
      fs.rmSync(from);
      fs.writeFileSync(
        path.join(pkg, 'auth/jwt/url_source.go'),
        `// Team edit.\n${text.replace(/\t/g, '    ')}\nfunc TeamHelper() {}\n`,
      );
      fs.writeFileSync(
        path.join(pkg, 'job/team.go'),
        'package job\n\n// Drop is ours.\nfunc (s *Scheduler) Drop() {}\n',
      );
      fs.mkdirSync(path.join(pkg, 'teamonly'));
      fs.writeFileSync(path.join(pkg, 'teamonly/x.go'), 'package teamonly\n');
      // A test file the check does not read.
      fs.writeFileSync(path.join(pkg, 'job/broken_test.go'), '\u0000');
    });
    expect(() => m.check(SERVICE_SKELETON_PARTS)).not.toThrow();
    expect(m.logs).toEqual([]);
    m.cleanup();
  });

  describe('a pkg that compiles with the service: its members may come another way', () => {
    const edit = (file: string, from: string | RegExp, to: string) => {
      const text = fs.readFileSync(file, 'utf8');
      const out = text.replace(from, to);
      expect(out).not.toBe(text);
      fs.writeFileSync(file, out);
    };
    const JWT = 'auth/jwt/jwt.go';
    it.each<[string, (pkg: string) => void]>([
      [
        'a method promoted from an embedded type of the package',
        pkg => {
          const f = path.join(pkg, SCHEDULER);
          edit(
            f,
            'func (s *Scheduler) StopTicks() {',
            'func (s *ticks) StopTicks() {',
          );
          edit(
            f,
            'type Scheduler struct {',
            'type ticks struct{}\ntype Scheduler struct {\n\t*ticks',
          );
        },
      ],
      [
        'a method promoted from an embedded type of another package',
        pkg => {
          const f = path.join(pkg, SCHEDULER);
          removeFunc(f, 'func (s *Scheduler) StopTicks(');
          edit(
            f,
            'type Scheduler struct {',
            'type Scheduler struct {\n\t*base.Scheduler',
          );
        },
      ],
      [
        'fields through an alias of the package (type Config = config)',
        pkg =>
          edit(
            path.join(pkg, JWT),
            'type Config struct {',
            'type Config = config\ntype config struct {',
          ),
      ],
      [
        'fields through an alias of another package (type Config = core.Config)',
        pkg =>
          edit(
            path.join(pkg, JWT),
            /type Config struct \{[\s\S]*?\n\}\n/,
            'type Config = core.Config\n',
          ),
      ],
      [
        'fields through a defined type (type Config baseConfig)',
        pkg =>
          edit(
            path.join(pkg, JWT),
            'type Config struct {',
            'type Config baseConfig\ntype baseConfig struct {',
          ),
      ],
      [
        'a method declared on an alias receiver',
        pkg =>
          edit(
            path.join(pkg, SCHEDULER),
            'func (s *Scheduler) StopTicks() {',
            'type sched = Scheduler\nfunc (s *sched) StopTicks() {',
          ),
      ],
    ])('%s', (_name, change) => {
      const m = monorepo(change);
      expect(() => m.check(SERVICE_SKELETON_PARTS)).not.toThrow();
      expect(m.logs).toEqual([]);
      m.cleanup();
    });

    it('still refuses a member no way of them gives', () => {
      const m = monorepo(pkg => {
        const f = path.join(pkg, SCHEDULER);
        removeFunc(f, 'func (s *Scheduler) StopTicks(');
        edit(
          f,
          'type Scheduler struct {',
          'type ticks struct{}\ntype sched = Scheduler\ntype Scheduler struct {\n\t*ticks',
        );
      });
      expect(() => m.check()).toThrow(/job\.Scheduler\.StopTicks in pkg\/job/);
      m.cleanup();
    });
  });

  it('skips, quickly, a pkg whose needed packages are together over the total bound', () => {
    const big = `//${'x'.repeat(PKG_READ_LIMITS.packageBytes - 200 * 1024)}\n`;
    const m = monorepo(pkg => {
      for (const [dir, name] of [
        ['auth/jwt', 'jwt'],
        ['job', 'job'],
        ['lock', 'lock'],
      ])
        fs.writeFileSync(
          path.join(pkg, dir, 'zz_big.go'),
          `package ${name}\n${big}`,
        );
    });
    const start = Date.now();
    expect(() => m.check()).not.toThrow();
    expect(Date.now() - start).toBeLessThan(5000);
    expect(m.logs).toEqual([
      `the pkg APIs services/x-service calls were not checked against shop: the Go files of the pkg packages it needs are larger than ${PKG_READ_LIMITS.totalBytes} bytes together; the Go build will tell`,
    ]);
    m.cleanup();
  });

  describe('a hostile pkg: never crashes, never follows a link, logs one note', () => {
    it.each<[string, (pkg: string) => void, RegExp]>([
      [
        'a needed file that is a symlink to a host file',
        pkg => {
          fs.rmSync(path.join(pkg, JWKS_URL));
          fs.symlinkSync('/etc/passwd', path.join(pkg, JWKS_URL));
        },
        /"pkg\/auth\/jwt\/jwks_url\.go" is a symlink \(not followed\)/,
      ],
      [
        'a package directory that is a symlink out of the publish root',
        pkg => {
          fs.rmSync(path.join(pkg, 'lock'), { recursive: true });
          fs.symlinkSync('/etc', path.join(pkg, 'lock'));
        },
        /pkg\/lock.*symlink/,
      ],
      [
        'a binary file',
        pkg =>
          fs.writeFileSync(
            path.join(pkg, 'job/blob.go'),
            Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]),
          ),
        /"pkg\/job\/blob\.go" is not UTF-8 text/,
      ],
      [
        'a Latin-1 file',
        pkg =>
          fs.writeFileSync(
            path.join(pkg, 'job/latin.go'),
            Buffer.from('package job\n// caf\xe9\n', 'latin1'),
          ),
        /"pkg\/job\/latin\.go" is not UTF-8 text/,
      ],
      [
        'a file larger than the bound',
        pkg =>
          fs.writeFileSync(
            path.join(pkg, 'job/huge.go'),
            `package job\n//${'x'.repeat(PKG_READ_LIMITS.fileBytes)}\n`,
          ),
        /"pkg\/job\/huge\.go" is larger than 1048576 bytes/,
      ],
      [
        'a file name with a newline and an escape sequence',
        pkg =>
          fs.writeFileSync(
            path.join(pkg, 'job/x\nthe check passed\u001b[2J.go'),
            'package job\nvar s = "\n',
          ),
        /"pkg\/job\/x\\nthe check passed\\u001b\[2J\.go" is not Go the check can read/,
      ],
      [
        'a file that is not Go',
        pkg =>
          fs.writeFileSync(
            path.join(pkg, 'job/odd.go'),
            'package job\nvar s = "\n',
          ),
        /"pkg\/job\/odd\.go" is not Go the check can read \(line 2: newline in string\)/,
      ],
      [
        'no pkg/go.mod',
        pkg => fs.rmSync(path.join(pkg, 'go.mod')),
        /it has no pkg\/go.mod/,
      ],
      [
        'pkg/go.mod a symlink to a host file',
        pkg => {
          fs.rmSync(path.join(pkg, 'go.mod'));
          fs.symlinkSync('/etc/hostname', path.join(pkg, 'go.mod'));
        },
        /pkg\/go\.mod.*symlink/,
      ],
      [
        'a pkg that is not the template’s',
        pkg => {
          for (const d of fs.readdirSync(pkg))
            if (d !== 'go.mod')
              fs.rmSync(path.join(pkg, d), { recursive: true });
          fs.mkdirSync(path.join(pkg, 'util'));
          fs.writeFileSync(path.join(pkg, 'util/u.go'), 'package util\n');
        },
        /its pkg has none of the packages the Go service template uses/,
      ],
    ])('%s', (_name, edit, note) => {
      const m = monorepo(edit);
      expect(() => m.check()).not.toThrow();
      expect(m.logs).toHaveLength(1);
      expect(m.logs[0]).toMatch(note);
      expect(m.logs[0]).toMatch(
        /^the pkg APIs services\/x-service calls (from pkg\/[a-z/]+ )?were not checked against shop: .*; the Go build will tell$/,
      );
      expect(m.logs[0]).not.toMatch(/root:|\n/);
      m.cleanup();
    });
  });

  it('skips only the package of a file it cannot read: the others are still checked', () => {
    const m = monorepo(pkg => {
      fs.writeFileSync(
        path.join(pkg, 'job/blob.go'),
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]),
      );
      removeFunc(path.join(pkg, JWKS_URL), 'func CheckJWKSURL(');
    });
    expect(() => m.check()).toThrow(
      new InputError(
        "services/x-service needs pkg APIs this monorepo's pkg module lacks (jwt.CheckJWKSURL in pkg/auth/jwt): its pkg is older than the go-service template; run the upgrade-monorepo template on shop first, then create the service",
      ),
    );
    expect(m.logs).toEqual([
      'the pkg APIs services/x-service calls from pkg/job were not checked against shop: "pkg/job/blob.go" is not UTF-8 text; the Go build will tell',
    ]);
    m.cleanup();
  });

  /** Moves jwks_url.go (CheckJWKSURL and nothing else needed) to `name`, `header` before its text. */
  const moveJwksUrl =
    (name: string, header = '', replace?: [RegExp, string]) =>
    (pkg: string) => {
      const from = path.join(pkg, JWKS_URL);
      let text = header + fs.readFileSync(from, 'utf8');
      if (replace) text = text.replace(replace[0], replace[1]);
      fs.rmSync(from);
      fs.writeFileSync(path.join(pkg, 'auth/jwt', name), text);
    };

  it.each<[string, (pkg: string) => void]>([
    ['//go:build ignore', moveJwksUrl('gen.go', '//go:build ignore\n\n')],
    ['//go:build windows', moveJwksUrl('a.go', '//go:build windows\n\n')],
    ['//go:build !linux', moveJwksUrl('a.go', '//go:build !linux\n\n')],
    [
      '//go:build linux && !cgo',
      moveJwksUrl('a.go', '//go:build linux && !cgo\n\n'),
    ],
    [
      'a custom tag: //go:build integration',
      moveJwksUrl('a.go', '// Copyright.\n\n//go:build integration\n\n'),
    ],
    ['a legacy // +build ignore', moveJwksUrl('a.go', '// +build ignore\n\n')],
    ['a file for windows', moveJwksUrl('jwks_url_windows.go')],
    ['a file for darwin/arm64', moveJwksUrl('jwks_url_darwin_arm64.go')],
    ['a file for arm64', moveJwksUrl('jwks_url_arm64.go')],
    ['a name starting with _', moveJwksUrl('_jwks_url.go')],
    ['a name starting with .', moveJwksUrl('.jwks_url.go')],
    ['a test file', moveJwksUrl('jwks_url_test.go')],
    [
      'an external test package',
      moveJwksUrl('jwks_url_test.go', '', [
        /^package jwt$/m,
        'package jwt_test',
      ]),
    ],
    [
      'a package main ignored by its constraint',
      moveJwksUrl('gen.go', '//go:build ignore\n\n', [
        /^package jwt$/m,
        'package main',
      ]),
    ],
    [
      'a package documentation file (go/build ignores it)',
      moveJwksUrl('doc.go', '', [/^package jwt$/m, 'package documentation']),
    ],
    [
      'a name only on the continued line of a value, not declared',
      pkg => {
        removeFunc(path.join(pkg, JWKS_URL), 'func CheckJWKSURL(');
        fs.appendFileSync(
          path.join(pkg, JWKS_URL),
          '\nvar (\n\tshift = 1 <<\n\t\tCheckJWKSURL\n)\n',
        );
      },
    ],
  ])(
    'refuses an API the package does not declare as Go builds it: %s',
    (_name, edit) => {
      const m = monorepo(edit);
      expect(() => m.check()).toThrow(
        /pkg module lacks \(jwt\.CheckJWKSURL in pkg\/auth\/jwt\)/,
      );
      expect(m.logs).toEqual([]);
      m.cleanup();
    },
  );

  it.each<[string, (pkg: string) => void]>([
    [
      '//go:build linux && amd64',
      moveJwksUrl('a.go', '//go:build linux && amd64\n\n'),
    ],
    [
      '//go:build (unix || windows) && cgo && gc',
      moveJwksUrl('a.go', '//go:build (unix || windows) && cgo && gc\n\n'),
    ],
    [
      'a release tag up to go.mod’s Go version',
      moveJwksUrl('a.go', '//go:build go1.26\n\n'),
    ],
    [
      'a release tag up to go.mod’s toolchain',
      pkg => {
        fs.appendFileSync(path.join(pkg, 'go.mod'), '\ntoolchain go1.27.1\n');
        moveJwksUrl('a.go', '//go:build go1.27\n\n')(pkg);
      },
    ],
    [
      'a release tag up to go.mod’s release candidate (go 1.27rc1)',
      pkg => {
        const goMod = path.join(pkg, 'go.mod');
        const text = fs.readFileSync(goMod, 'utf8');
        fs.writeFileSync(goMod, text.replace(/^go .*$/m, 'go 1.27rc1'));
        moveJwksUrl('a.go', '//go:build go1.27\n\n')(pkg);
      },
    ],
    ['a legacy // +build', moveJwksUrl('a.go', '// +build linux,cgo\n\n')],
    [
      'a //go:build after which a // +build does not count',
      moveJwksUrl('a.go', '//go:build linux\n// +build windows\n\n'),
    ],
    [
      '// +build in the doc comment, not a constraint',
      moveJwksUrl('a.go', '// +build windows\n'),
    ],
    ['a file for linux', moveJwksUrl('jwks_url_linux.go')],
    ['a file for linux/amd64', moveJwksUrl('jwks_url_linux_amd64.go')],
    [
      'a file of another package ignored by its constraint',
      pkg =>
        fs.writeFileSync(
          path.join(pkg, 'auth/jwt/gen.go'),
          '//go:build ignore\n\npackage main\n\nfunc main() {}\n',
        ),
    ],
  ])(
    'counts an API declared in a file Go builds into the package: %s',
    (_name, edit) => {
      const m = monorepo(edit);
      expect(() => m.check()).not.toThrow();
      expect(m.logs).toEqual([]);
      m.cleanup();
    },
  );

  it.each<[string, (pkg: string) => void, string]>([
    [
      'a release tag newer than go.mod’s Go version',
      moveJwksUrl('a.go', '//go:build go1.27\n\n'),
      '"pkg/auth/jwt/a.go" has a build constraint the check cannot evaluate',
    ],
    [
      'a //go:build Go cannot parse',
      moveJwksUrl('a.go', '//go:build (linux\n\n'),
      '"pkg/auth/jwt/a.go" has a build constraint the check cannot evaluate',
    ],
    [
      'a non-test file of the external test package',
      moveJwksUrl('jwks_url.go', '', [/^package jwt$/m, 'package jwt_test']),
      '"pkg/auth/jwt/jwks_url.go" is in package jwt_test, "pkg/auth/jwt/jwks.go" in package jwt (Go builds one package a directory)',
    ],
    [
      'a stray package main',
      moveJwksUrl('main.go', '', [/^package jwt$/m, 'package main']),
      '"pkg/auth/jwt/main.go" is in package main, "pkg/auth/jwt/jwks.go" in package jwt (Go builds one package a directory)',
    ],
  ])(
    'cannot tell, and skips the package with one note: %s',
    (_name, edit, note) => {
      const m = monorepo(edit);
      expect(() => m.check()).not.toThrow();
      expect(m.logs).toEqual([
        `the pkg APIs services/x-service calls from pkg/auth/jwt were not checked against shop: ${note}; the Go build will tell`,
      ]);
      m.cleanup();
    },
  );

  it('reads only the packages asked for, each file once and bounded', () => {
    const m = monorepo();
    const read = readMonorepoPkg(
      confinedRoot(path.dirname(path.dirname(m.pkg)), { name: 'root' }),
      path.dirname(m.pkg),
      neededPkgApis(['skeleton-jobs']).keys(),
    );
    expect(read.kind === 'read' && [...read.packages.keys()].sort()).toEqual(
      [...neededPkgApis(['skeleton-jobs']).keys()].sort(),
    );
    m.cleanup();
  });
});
