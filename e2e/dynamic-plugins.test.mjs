// Packages as a platform team gets them: the templates package's tarball
// carries the templates, and the frontend and backend plugins export as Red
// Hat Developer Hub dynamic plugins with @red-hat-developer-hub/cli (`yarn
// export-dynamic` in each package: `rhdh-cli plugin export`). Each exported
// backend package loads in plain Node from its dist-dynamic directory and
// its default export registers with a test backend (the golden-path plugin
// answers, the scaffolder lists the golden-path actions, the catalog holds
// the templates read from dist-dynamic/templates). The README's
// dynamic-plugins.yaml snippet names the exported packages and only exports
// the frontend plugin has, and declares every scaffolder field extension the
// frontend exports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ROOT } from './lib/processes.mjs';

const exec = promisify(execFile);
const YARN = join(
  ROOT,
  /^yarnPath: *(\S+)/m.exec(readFileSync(join(ROOT, '.yarnrc.yml'), 'utf8'))[1],
);
const TEMPLATES_PKG = join(
  ROOT,
  'plugins/catalog-backend-module-golden-path-templates',
);
const FRONTEND = join(ROOT, 'plugins/golden-path');
/** The backend packages exported, and what their loaded feature must register. */
const BACKENDS = [
  ['plugins/golden-path-backend', 'goldenPath'],
  ['plugins/scaffolder-backend-module-golden-path', 'scaffolderActions'],
  ['plugins/catalog-backend-module-golden-path-templates', 'catalogTemplates'],
];
const scratch = mkdtempSync(join(tmpdir(), 'gp-dynamic-plugins-'));
const timings = [];
after(() => {
  rmSync(scratch, { recursive: true, force: true });
  // the exports are build output: none is left in the packages
  for (const dir of ['plugins/golden-path', ...BACKENDS.map(b => b[0])])
    for (const out of ['dist-dynamic', 'dist-scalprum'])
      rmSync(join(ROOT, dir, out), { recursive: true, force: true });
  process.stdout.write(`# timings: ${timings.join(', ')}\n`);
});

async function run(cmd, args, opts = {}) {
  const started = Date.now();
  try {
    const r = await exec(cmd, args, {
      timeout: 600_000,
      maxBuffer: 64 << 20,
      ...opts,
      env: { ...process.env, YARN_ENABLE_TELEMETRY: '0', ...opts.env },
    });
    return { code: 0, ms: Date.now() - started, ...r };
  } catch (e) {
    return {
      code: e.code,
      ms: Date.now() - started,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}

const yarn = (cwd, ...args) => run(process.execPath, [YARN, ...args], { cwd });
const tail = r => `${r.stdout}\n${r.stderr}`.split('\n').slice(-40).join('\n');

// The exports build each package, and a build reads the declarations tsc
// writes to dist-types/ (incremental: nothing to do when they are current).
before(async () => {
  const r = await yarn(ROOT, 'tsc');
  timings.push(`tsc ${r.ms} ms`);
  assert.equal(r.code, 0, tail(r));
});

test('the packed templates package carries every template and its skeletons; postpack removes the copy', async () => {
  const tgz = join(scratch, 'templates.tgz');
  const packed = await yarn(TEMPLATES_PKG, 'pack', '-o', tgz);
  timings.push(`pack ${packed.ms} ms`);
  assert.equal(packed.code, 0, tail(packed));
  const list = new Set(
    (await run('tar', ['tzf', tgz])).stdout.split('\n').filter(Boolean),
  );
  // every file of templates/ git tracks (or would), a leading "." of a name
  // spelled "__dot__" (pack leaves dotfiles out)
  const expected = (
    await run(
      'git',
      ['ls-files', '--cached', '--others', '--exclude-standard', '--', '.'],
      { cwd: join(ROOT, 'templates') },
    )
  ).stdout
    .split('\n')
    .filter(f => f && existsSync(join(ROOT, 'templates', f)))
    .map(
      f =>
        `package/templates/${f
          .split('/')
          .map(p => p.replace(/^\./, '__dot__'))
          .join('/')}`,
    );
  assert.ok(expected.length > 100, `${expected.length} template files`);
  const missing = expected.filter(f => !list.has(f));
  assert.deepEqual(missing, [], 'every file of templates/ is in the tarball');
  assert.deepEqual(
    [...list].filter(f => f.includes('/__dot__versions/')),
    [],
    'no stored template revision is packed',
  );
  for (const f of [
    'package/templates/go-service/template.yaml',
    'package/templates/go-monorepo/skeleton/__dot__gitignore',
    'package/templates/go-monorepo/skeleton/__dot__github/workflows/ci.yml',
    'package/templates/onboard-team.yaml',
  ])
    assert.ok(list.has(f), `${f} is in the tarball`);
  assert.ok(
    !existsSync(join(TEMPLATES_PKG, 'templates')),
    'postpack removes the copied templates',
  );
});

test('yarn export-dynamic exports the frontend plugin (Scalprum assets, the legacy exports)', async () => {
  const r = await yarn(FRONTEND, 'export-dynamic');
  timings.push(`export golden-path ${r.ms} ms`);
  assert.equal(r.code, 0, tail(r));
  const pkg = JSON.parse(
    readFileSync(join(FRONTEND, 'dist-dynamic/package.json'), 'utf8'),
  );
  assert.equal(pkg.name, '@golden-path/plugin-golden-path-dynamic');
  const manifest = JSON.parse(
    readFileSync(
      join(FRONTEND, 'dist-dynamic/dist-scalprum/plugin-manifest.json'),
      'utf8',
    ),
  );
  assert.equal(manifest.name, 'golden-path.plugin-golden-path');
  assert.ok(manifest.loadScripts.length > 0, 'the manifest loads scripts');
});

for (const [dir, check] of BACKENDS) {
  test(`yarn export-dynamic exports ${dir}; its entry point loads in Node and registers with a test backend`, async () => {
    const pkgDir = join(ROOT, dir);
    const r = await yarn(pkgDir, 'export-dynamic');
    timings.push(`export ${dir.split('/')[1]} ${r.ms} ms`);
    assert.equal(r.code, 0, tail(r));
    const out = join(pkgDir, 'dist-dynamic');
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    const source = JSON.parse(
      readFileSync(join(pkgDir, 'package.json'), 'utf8'),
    );
    assert.equal(pkg.name, `${source.name}-dynamic`);
    // Backstage's packages are shared with the host; the bundle's own
    // libraries are embedded; every private dependency is installed inside
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      assert.ok(!dep.startsWith('@backstage/'), `${dep} is a peer`);
      if (dep.startsWith('@golden-path/'))
        assert.match(pkg.resolutions[dep], /^file:\.\/embedded\//, dep);
      assert.ok(
        existsSync(join(out, 'node_modules', dep, 'package.json')),
        `${dep} is installed in dist-dynamic/node_modules`,
      );
    }
    const loaded = await run(
      process.execPath,
      [join(ROOT, 'e2e/lib/dynamicPluginHost.cjs'), out, check],
      { cwd: ROOT, timeout: 120_000 },
    );
    timings.push(`load ${dir.split('/')[1]} ${loaded.ms} ms`);
    assert.equal(loaded.code, 0, tail(loaded));
    const found = JSON.parse(loaded.stdout.trim().split('\n').pop());
    assert.equal(found.type, '@backstage/BackendFeature');
    if (check === 'goldenPath') {
      assert.equal(found.status, 200, JSON.stringify(found));
      assert.equal(typeof found.body.entries, 'number');
    } else if (check === 'scaffolderActions') {
      assert.equal(found.status, 200);
      for (const action of [
        'golden-path:service:plan',
        'golden-path:publish:local',
        'golden-path:catalog:register',
      ])
        assert.ok(found.actions.includes(action), `${action} is registered`);
    } else {
      const goService = found.templates.find(t => t.name === 'go-service');
      assert.ok(goService, JSON.stringify(found.templates));
      // read from the exported package's templates, their dotfiles restored
      const m =
        /^file:(.*\/golden-path-templates-[0-9a-f]{16})\/go-service\/template\.yaml$/.exec(
          goService.location,
        );
      assert.ok(m, goService.location);
      assert.ok(existsSync(join(out, 'templates/go-service/template.yaml')));
      assert.ok(existsSync(join(m[1], 'go-monorepo/skeleton/.gitignore')));
      rmSync(m[1], { recursive: true, force: true });
    }
  });
}

test("the README's dynamic-plugins.yaml names the exported packages and only exports the frontend has", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```yaml\n# dynamic-plugins\.yaml\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README has a "# dynamic-plugins.yaml" yaml block');
  const { plugins } = parse(block[1]);
  const packages = plugins.map(p => p.package);
  for (const dir of ['plugins/golden-path', ...BACKENDS.map(b => b[0])]) {
    const name = JSON.parse(
      readFileSync(join(ROOT, dir, 'dist-dynamic/package.json'), 'utf8'),
    ).name;
    const folder = name.replace(/^@/, '').replace('/', '-');
    assert.ok(
      packages.includes(`./dynamic-plugins/dist/${folder}`),
      `${folder} is in the snippet`,
    );
  }
  const index = readFileSync(join(FRONTEND, 'src/index.ts'), 'utf8');
  const frontend = plugins.find(p => p.pluginConfig?.dynamicPlugins?.frontend)
    .pluginConfig.dynamicPlugins.frontend['golden-path.plugin-golden-path'];
  const names = [
    ...frontend.dynamicRoutes.map(r => r.importName),
    ...frontend.mountPoints.map(m => m.importName),
    ...frontend.mountPoints.flatMap(m => m.config?.if?.allOf ?? []),
  ];
  for (const name of names)
    assert.match(index, new RegExp(`\\b${name}\\b`), `${name} is exported`);
  assert.deepEqual(frontend.mountPoints.map(m => m.mountPoint).sort(), [
    'entity.page.architecture/cards',
    'entity.page.overview/cards',
  ]);
  // Every scaffolder field extension the package exports (its API report,
  // which CI keeps equal to the source) is declared, so that the Developer
  // Hub's scaffolder can render the templates' fields; and nothing else is.
  const report = readFileSync(join(FRONTEND, 'report.api.md'), 'utf8');
  const exported = [
    ...report.matchAll(/^export const (\w+): FieldExtensionComponent</gm),
  ]
    .map(m => m[1])
    .sort();
  assert.ok(
    exported.includes('GoServiceDependenciesPickerFieldExtension'),
    `the API report lists the field extensions: ${exported.join(', ')}`,
  );
  for (const name of exported)
    assert.match(index, new RegExp(`\\b${name}\\b`), `${name} is exported`);
  assert.deepEqual(
    (frontend.scaffolderFieldExtensions ?? []).map(e => e.importName).sort(),
    exported,
    'scaffolderFieldExtensions declares every field extension the package exports',
  );
});
