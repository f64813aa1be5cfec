// The bundle installed into a Backstage that is not this workspace: a fresh
// app from @backstage/create-app (the release that creates the Backstage of
// backstage.json, from the npm registry), the bundle's packages built and
// packed here, and the README's "Installing the bundle into your Backstage"
// section applied literally: its sh blocks run as written in the app (only
// /path/to/ becomes the directory of the packed tarballs and
// /opt/golden-path/tools a cached tools directory), its json block merged
// into the app's root package.json, its ts blocks added to the backend's
// index.ts. A README that is wrong fails here. Then the app starts (`yarn
// start`, the app on 3140 and the backend on 7140 so it never meets the
// other suites' product), and: the templates are on its Create page, a real
// go-monorepo and go-service task publish locally and the service builds, and
// in Chromium the Architecture tab and the Golden Path page render.
// Cached in the per-user cache (~/.cache/golden-path/fresh-app, see
// lib/cacheDir.cjs): the create-app release (per Backstage version) and the
// tools directory (the README's `tools install` checks it is current, and
// reinstalls what is not); yarn's global cache holds the packages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import {
  RESULTS_DIR,
  ROOT,
  assertPortFree,
  startProcess,
  stopProcess,
  token,
  waitForUrl,
} from './lib/processes.mjs';
import { launchBrowser, signInAsGuest } from './lib/browser.mjs';
import { reportTimings, timer } from './lib/timings.mjs';
import { GOFLAGS } from './lib/goFlags.mjs';
import cacheDir from './lib/cacheDir.cjs';

const { goldenPathCacheDir } = cacheDir;
const exec = promisify(execFile);
const BACKSTAGE = JSON.parse(
  readFileSync(join(ROOT, 'backstage.json'), 'utf8'),
).version;
// outside the clone: a second clone on the same machine reuses both
const CACHE = join(goldenPathCacheDir(), 'fresh-app');
const YARN = join(
  ROOT,
  /^yarnPath: *(\S+)/m.exec(readFileSync(join(ROOT, '.yarnrc.yml'), 'utf8'))[1],
);
const BACKEND = 'http://127.0.0.1:7140';
const APP = 'http://localhost:3140';
const HEADING = '## Installing the bundle into your Backstage';

const suiteStarted = Date.now();
const timings = [];
const timed = timer(timings);
const scratch = mkdtempSync(join(tmpdir(), 'gp-fresh-app-'));
const tarballs = join(scratch, 'tarballs');
const appDir = join(scratch, 'app');
const localRoot = join(scratch, 'local-repos');
const toolsDir = join(CACHE, 'tools');
const shots = join(RESULTS_DIR, 'fresh-app');
let app;
let browser;
let page;

/**
 * The app resolves its dependencies as of the day this repository's own were
 * last resolved, not as of today. The app create-app makes has this
 * repository's yarn gate (npmMinimalAgeGate: 3d, @backstage/* preapproved),
 * and yarn applies it to each version on its own, without backtracking: a
 * version just past the gate can pin a dependency still inside it (yarn
 * chose @playwright/test 1.65.2, published 2026-12-01 17:55, whose playwright
 * 1.65.2 pins playwright-core 1.65.2, published 51 minutes later: "All
 * versions satisfying "1.65.2" are quarantined" until it aged too). Which
 * releases of the last days are near the gate changes by the hour; so the
 * gate is widened to end where the 3-day gate ended when yarn.lock was last
 * committed (or now, if it is changed in the working tree), and a version
 * published since then is never a candidate. Only older versions than a
 * team gets today, never newer: the README's commands still run as written.
 */
function resolutionGate() {
  const git = args =>
    execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  let resolved = Date.now();
  try {
    const changed = git(['status', '--porcelain', '--', 'yarn.lock']);
    const committed = git(['log', '-1', '--format=%cI', '--', 'yarn.lock']);
    if (!changed && committed) resolved = Date.parse(committed);
  } catch {
    // Not a git checkout: the gate as a team has it today.
  }
  const minutes =
    3 * 24 * 60 + Math.max(0, Math.ceil((Date.now() - resolved) / 60_000));
  const cutoff = new Date(Date.now() - minutes * 60_000).toISOString();
  return { minutes, cutoff };
}

// `yarn` on PATH as a user has it (the app's .yarnrc.yml yarnPath takes over).
// Yarn's TypeScript plugin would look up @types packages on a host outside the
// npm registry; the test machine has no route there.
const shim = join(scratch, 'bin');
const env = {
  ...process.env,
  PATH: `${shim}:${process.env.PATH}`,
  YARN_ENABLE_TELEMETRY: '0',
  YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
  YARN_TS_ENABLE_AUTO_TYPES: 'false',
  GOLDEN_PATH_LOCAL_ROOT: localRoot,
};

async function run(cmd, args, opts = {}) {
  try {
    const r = await exec(cmd, args, {
      timeout: 900_000,
      maxBuffer: 64 << 20,
      env,
      ...opts,
    });
    return { code: 0, ...r };
  } catch (e) {
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
const tail = r => `${r.stdout}\n${r.stderr}`.split('\n').slice(-30).join('\n');
async function must(cmd, args, opts) {
  const r = await run(cmd, args, opts);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')} failed:\n${tail(r)}`);
  return r;
}

/**
 * The README's install section: the fenced blocks from its heading to the
 * next level-2 heading, without the Developer Hub subsection (another way to
 * install) and the Dockerfile (an image build, not this app).
 */
function installBlocks(readme) {
  const start = readme.indexOf(`\n${HEADING}\n`);
  assert.ok(start >= 0, `README.md has no "${HEADING}" section`);
  const body = readme.slice(start + HEADING.length + 2);
  const end = body.search(/^(## |### Red Hat Developer Hub)/m);
  const section = end < 0 ? body : body.slice(0, end);
  return [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)]
    .map(m => ({ lang: m[1], text: m[2] }))
    .filter(b => b.lang !== 'dockerfile');
}

/** An sh block's commands: comments dropped, continuation lines joined. */
function shellCommands(text) {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map(l => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}

/** The create-app release that creates Backstage `version`, installed once under .tools. */
async function createAppBin(version) {
  const dir = join(CACHE, `create-app-${version}`);
  const bin = join(dir, 'node_modules/.bin/backstage-create-app');
  if (existsSync(join(dir, '.complete'))) return bin;
  const npmEnv = { ...env, npm_config_build_from_source: '' };
  const list = await must(
    'npm',
    ['view', '@backstage/create-app', 'versions', '--json'],
    { env: npmEnv },
  );
  const stable = JSON.parse(list.stdout)
    .filter(v => /^\d+\.\d+\.\d+$/.test(v))
    .reverse();
  const probe = mkdtempSync(join(scratch, 'create-app-'));
  // Newest first: each release carries the Backstage release it creates.
  for (const v of stable.slice(0, 10)) {
    const packed = await must(
      'npm',
      ['pack', `@backstage/create-app@${v}`, '--pack-destination', probe],
      { env: npmEnv },
    );
    const tgz = join(probe, packed.stdout.trim().split('\n').pop());
    const src = (
      await must('tar', ['xzOf', tgz, 'package/dist/package.json.cjs.js'])
    ).stdout;
    const creates = /var version = "([^"]+)"/.exec(src)?.[1];
    if (creates !== version) continue;
    const tmp = `${dir}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    await must(
      'npm',
      [
        'install',
        '--prefix',
        tmp,
        '--no-audit',
        '--no-fund',
        `@backstage/create-app@${v}`,
      ],
      { env: npmEnv },
    );
    writeFileSync(join(tmp, '.complete'), `${v}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return bin;
  }
  throw new Error(
    `none of @backstage/create-app ${stable
      .slice(0, 10)
      .join(', ')} creates Backstage ${version} (backstage.json)`,
  );
}

/** Every published package of the bundle, built and packed as <name without scope>.tgz. */
async function packBundle() {
  const dirs = [
    ...readdirSync(join(ROOT, 'plugins')).map(d => join('plugins', d)),
    'packages/cli',
  ].filter(d => {
    const f = join(ROOT, d, 'package.json');
    return existsSync(f) && !JSON.parse(readFileSync(f, 'utf8')).private;
  });
  mkdirSync(tarballs, { recursive: true });
  // Build output left in the checkout would change what the repository runs
  // (packages/cli/bin prefers a dist/): what was not built before goes again.
  const unbuilt = dirs.filter(d => !existsSync(join(ROOT, d, 'dist')));
  try {
    return await buildAndPack(dirs);
  } finally {
    for (const d of unbuilt)
      rmSync(join(ROOT, d, 'dist'), { recursive: true, force: true });
  }
}

async function buildAndPack(dirs) {
  await timed('tsc', () =>
    must(process.execPath, [YARN, 'tsc'], { cwd: ROOT }),
  );
  const names = [];
  await timed(`build ${dirs.length} packages`, async () => {
    for (const d of dirs)
      await must(
        process.execPath,
        [YARN, 'backstage-cli', 'package', 'build'],
        {
          cwd: join(ROOT, d),
        },
      );
  });
  await timed('pack', async () => {
    for (const d of dirs) {
      const { name } = JSON.parse(
        readFileSync(join(ROOT, d, 'package.json'), 'utf8'),
      );
      const file = `${name.replace(/^@[^/]+\//, '')}.tgz`;
      await must(process.execPath, [YARN, 'pack', '-o', join(tarballs, file)], {
        cwd: join(ROOT, d),
      });
      names.push(name);
    }
  });
  return names;
}

const applied = [];
let packages = [];

before(async () => {
  mkdirSync(shim, { recursive: true });
  writeFileSync(
    join(shim, 'yarn'),
    `#!/bin/sh\nexec "${process.execPath}" "${YARN}" "$@"\n`,
  );
  chmodSync(join(shim, 'yarn'), 0o755);
  mkdirSync(localRoot, { recursive: true });
  mkdirSync(shots, { recursive: true });
  await assertPortFree(7140);
  await assertPortFree(3140);

  const bin = await timed(`create-app for Backstage ${BACKSTAGE}`, () =>
    createAppBin(BACKSTAGE),
  );
  packages = await packBundle();
  await timed('create the app', () =>
    must(bin, ['--path', appDir, '--skip-install'], {
      cwd: scratch,
      env: { ...env, BACKSTAGE_APP_NAME: 'fresh-app' },
    }),
  );
  const created = JSON.parse(
    readFileSync(join(appDir, 'backstage.json'), 'utf8'),
  );
  assert.equal(created.version, BACKSTAGE, 'the app is on another release');
  // Its own gate, widened to the cutoff (never narrowed).
  const own = Number(
    (
      await must(join(shim, 'yarn'), ['config', 'get', 'npmMinimalAgeGate'], {
        cwd: appDir,
      })
    ).stdout.trim(),
  );
  const gate = resolutionGate();
  env.YARN_NPM_MINIMAL_AGE_GATE = `${Math.max(own, gate.minutes)}m`;
  process.stdout.write(
    `# the app's npmMinimalAgeGate: ${own} min; resolving as of ${gate.cutoff} (${env.YARN_NPM_MINIMAL_AGE_GATE})\n`,
  );

  // The README, applied as it stands.
  const blocks = installBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  await timed("the README's install section", async () => {
    for (const { lang, text } of blocks) {
      if (lang === 'sh') {
        for (const line of shellCommands(text)) {
          const cmd = line
            .replaceAll('/path/to/', `${tarballs}/`)
            .replaceAll('/opt/golden-path/tools', toolsDir);
          for (const [, f] of cmd.matchAll(/file:(\S+\.tgz)/g))
            assert.ok(
              existsSync(f),
              `the README installs ${f.replace(
                tarballs,
                '/path/to',
              )}, which is not a package of the bundle`,
            );
          await timed(line.slice(0, 60), () =>
            must('bash', ['-c', cmd], { cwd: appDir }),
          );
          applied.push(line);
        }
      } else if (lang === 'json') {
        const file = join(appDir, 'package.json');
        const pkg = JSON.parse(readFileSync(file, 'utf8'));
        const add = JSON.parse(text.replaceAll('/path/to/', `${tarballs}/`));
        for (const [k, v] of Object.entries(add))
          pkg[k] =
            typeof v === 'object' && !Array.isArray(v)
              ? { ...pkg[k], ...v }
              : v;
        writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
        applied.push(`package.json: ${Object.keys(add).join(', ')}`);
      } else if (lang === 'ts') {
        const file = join(appDir, 'packages/backend/src/index.ts');
        const src = readFileSync(file, 'utf8');
        assert.match(src, /^backend\.start\(\);$/m);
        writeFileSync(
          file,
          src.replace(/^backend\.start\(\);$/m, `${text}\nbackend.start();`),
        );
        applied.push(...text.split('\n').filter(l => l.includes('import(')));
      } else {
        assert.fail(
          `the install section has a \`${lang}\` block the suite does not know how to apply`,
        );
      }
    }
  });
  process.stdout.write(
    `# applied from README.md:\n${applied.map(a => `#   ${a}`).join('\n')}\n`,
  );

  // The app's own configuration: the bundle's keys (see each package's
  // README), the static token the test reaches the backend with, own ports.
  writeFileSync(
    join(appDir, 'app-config.local.yaml'),
    `app:
  baseUrl: ${APP}
backend:
  baseUrl: http://localhost:7140
  listen:
    port: 7140
  cors:
    origin: ${APP}
  auth:
    externalAccess:
      - type: static
        options:
          token: \${GOLDEN_PATH_TOKEN}
          subject: fresh-app-e2e
goldenPath:
  tools:
    dir: ${toolsDir}
  publish:
    local:
      allowedRoots:
        - ${localRoot}
  insights:
    localRoots:
      - ${localRoot}
`,
  );
  const t0 = Date.now();
  app = startProcess('fresh-app', join(shim, 'yarn'), ['start'], {
    cwd: appDir,
    env,
  });
  await waitForUrl(`${BACKEND}/.backstage/health/v1/readiness`, {
    child: app,
    timeoutMs: 300_000,
  });
  await waitForUrl(APP, { child: app, timeoutMs: 300_000 });
  timings.push(`start: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(APP);
  await signInAsGuest(page);
});

after(async () => {
  await browser?.close();
  if (app) await stopProcess(app);
  rmSync(scratch, { recursive: true, force: true });
  timings.push(
    `suite wall time: ${((Date.now() - suiteStarted) / 1000).toFixed(1)}s`,
  );
  reportTimings('fresh-app', timings);
});

const headers = () => ({
  Authorization: `Bearer ${token()}`,
  'Content-Type': 'application/json',
});
const shot = name =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

test('the README installs every package of the bundle', () => {
  const text = applied.join('\n');
  for (const name of packages)
    assert.ok(
      text.includes(`${name}@file:`),
      `the README's install section does not install ${name}`,
    );
});

test('the templates are on the Create page', { timeout: 300_000 }, async () => {
  const dir = join(ROOT, 'templates');
  const files = readdirSync(dir).flatMap(f =>
    f.endsWith('.yaml')
      ? [join(dir, f)]
      : existsSync(join(dir, f, 'template.yaml'))
      ? [join(dir, f, 'template.yaml')]
      : [],
  );
  const templates = files.map(f => parse(readFileSync(f, 'utf8')).metadata);
  assert.ok(templates.some(t => t.name === 'go-service'));
  await waitForUrl(
    `${BACKEND}/api/catalog/entities/by-name/template/default/go-service`,
    { headers: headers(), timeoutMs: 120_000 },
  );
  const missing = [];
  for (const { name } of templates) {
    const res = await fetch(
      `${BACKEND}/api/catalog/entities/by-name/template/default/${name}`,
      { headers: headers() },
    );
    if (res.status !== 200) missing.push(name);
  }
  await page.goto(`${APP}/create`);
  for (const { name, title } of templates)
    if (!missing.includes(name))
      await page
        .getByText(title, { exact: true })
        .first()
        .waitFor({ timeout: 120_000 });
  await shot('create-page');
  assert.deepEqual(
    missing,
    [],
    'templates not in the catalog (its reason is in test-results/fresh-app.log)',
  );
});

const monorepo = `fresh-${Date.now().toString(36)}`;

async function runTask(templateRef, values) {
  const created = await fetch(`${BACKEND}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ templateRef, values }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { id } = await created.json();
  for (;;) {
    const t = await (
      await fetch(`${BACKEND}/api/scaffolder/v2/tasks/${id}`, {
        headers: headers(),
      })
    ).json();
    if (['completed', 'failed', 'cancelled'].includes(t.status)) {
      const events = await (
        await fetch(`${BACKEND}/api/scaffolder/v2/tasks/${id}/events`, {
          headers: headers(),
        })
      ).json();
      t.log = events
        .map(e => e.body?.message)
        .filter(Boolean)
        .join('\n');
      return t;
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

test(
  'a real Go service task completes, publishes locally and builds',
  { timeout: 600_000 },
  async () => {
    const values = f =>
      JSON.parse(readFileSync(join(ROOT, 'templates', f), 'utf8'));
    const mono = await timed('go-monorepo task', () =>
      runTask('template:default/go-monorepo', {
        ...values('go-monorepo/values/mvp.json'),
        projectName: monorepo,
        localPath: monorepo,
      }),
    );
    assert.equal(mono.status, 'completed', mono.log);
    const svc = await timed('go-service task', () =>
      runTask('template:default/go-service', {
        ...values('go-service/values/orders.json'),
        system: `system:default/${monorepo}`,
        localPath: monorepo,
      }),
    );
    assert.equal(svc.status, 'completed', svc.log);
    const root = join(localRoot, monorepo);
    for (const f of ['cmd/main.go', 'sqlcgen/db.go', 'db/migrations/atlas.sum'])
      assert.ok(
        existsSync(join(root, 'services/order-service', f)),
        `${f} not published`,
      );
    await timed('go build', () =>
      must('go', ['build', './services/order-service/...'], {
        cwd: root,
        env: { ...env, GOFLAGS },
      }),
    );
    await waitForUrl(
      `${BACKEND}/api/catalog/entities/by-name/component/default/order-service`,
      { headers: headers(), timeoutMs: 120_000 },
    );
  },
);

test(
  'in Chromium, the Architecture tab of the service renders',
  { timeout: 300_000 },
  async () => {
    await page.goto(`${APP}/catalog/default/component/order-service`);
    await page.getByText('Architecture', { exact: true }).first().click();
    const diagram = page.getByTestId('layer-diagram');
    await diagram.waitFor({ timeout: 120_000 });
    for (const layer of ['Domain', 'Application', 'Adapter', 'Infrastructure'])
      await diagram.getByText(layer, { exact: true }).waitFor();
    await page.getByRole('button', { name: /^CreateOrder\b/ }).waitFor();
    await shot('architecture');
    // analysed in the worker thread, loaded from the installed package's dist/
    const log = readFileSync(join(RESULTS_DIR, 'fresh-app.log'), 'utf8');
    assert.match(log, /golden-path insights: the analysis worker started/);
    assert.doesNotMatch(log, /the analysis worker did not start/);
  },
);

test(
  'in Chromium, the Golden Path page renders',
  { timeout: 300_000 },
  async () => {
    await page.goto(`${APP}/catalog`);
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Golden Path' })
      .click();
    await page.waitForURL(/\/golden-path/, { timeout: 30_000 });
    await page
      .getByRole('link', { name: 'Start onboarding a new team' })
      .waitFor({ timeout: 120_000 });
    await shot('golden-path-page');
  },
);
