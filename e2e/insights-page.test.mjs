// Runs the README's start command, creates a service the way a person does:
// a real scaffolder task of the Go monorepo template, then one of the Go
// service template (every step: buf, sqlc, Atlas, publish to the local root,
// register in the catalog), with the values in
// plugins/golden-path-backend/src/__fixtures__/go-service.values.json. The
// published service must equal the backend tests' fixture (drift check;
// UPDATE_INSIGHTS_FIXTURE=1 refreshes it instead). One import breaking the
// dependency rule is then added to it (the tab has a violation to draw), and
// its database is created with nothing applied. The rule is then changed in
// the service's .golangci.yml: the generated architecture test, golangci-lint
// and the insights API follow it.
// In Debian chromium: the service's catalog page, the Architecture tab with
// the layers, an RPC's fields and the migration pending, then applied after
// `atlas migrate apply`. Bad input: broken copies of the service (an
// unparsable proto, a binary file, a 10 MB proto, a symlink loop, a database
// that accepts connections and never answers, 30,000 files), each message
// seen in the API and on the page, with the backend answering its health
// check promptly meanwhile.
// Screenshots in test-results/insights-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import {
  ROOT,
  RESULTS_DIR,
  startProcess,
  stopProcess,
  waitForUrl,
} from './lib/processes.mjs';
import { launchBrowser, signInAsGuest } from './lib/browser.mjs';
import { PG, psql } from './lib/postgres.mjs';

const BASE = 'http://127.0.0.1:7007';
const APP = 'http://localhost:3000';
const FIXTURES = join(ROOT, 'plugins/golden-path-backend/src/__fixtures__');
const VALUES = JSON.parse(
  readFileSync(join(FIXTURES, 'go-service.values.json'), 'utf8'),
);
const MONOREPO = VALUES.localPath; // insights-e2e
const SERVICE = `${VALUES.name}-service`; // ledger-service
const SERVICE_DIR = `services/${SERVICE}`;
const PROTO_DIR = `api/proto/${VALUES.name.replace(/-/g, '')}`;
const DATABASE = `${VALUES.name.replace(/-/g, '_')}_db`; // {db} of the "local" environment
const LOCAL_ROOT =
  process.env.GOLDEN_PATH_LOCAL_ROOT ?? join(ROOT, '.tools/local-repos');
const REPO = join(LOCAL_ROOT, MONOREPO);
const BAD = join(LOCAL_ROOT, `${MONOREPO}-bad`);
const ATLAS = join(ROOT, '.tools/bin/atlas');
const CONNECT_TIMEOUT_S = 2;
const dbUrl = `postgres://${PG.user}@${PG.host}:${PG.port}/${DATABASE}?sslmode=disable`;

let product;
let browser;
let hanging;
const hangingSockets = new Set();
const timings = [];

const token = () =>
  process.env.GOLDEN_PATH_TOKEN ??
  readFileSync(join(ROOT, '.tools/dev-token'), 'utf8').trim();
const headers = () => ({
  Authorization: `Bearer ${token()}`,
  'content-type': 'application/json',
});

function listFiles(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap(d =>
    d.isDirectory()
      ? listFiles(join(dir, d.name), base)
      : [relative(base, join(dir, d.name))],
  );
}

async function runTask(templateRef, values) {
  const created = await fetch(`${BASE}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ templateRef, values }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { id } = await created.json();
  for (let i = 0; i < 300; i++) {
    const task = await (
      await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}`, {
        headers: headers(),
      })
    ).json();
    if (['completed', 'failed', 'cancelled'].includes(task.status)) {
      if (task.status !== 'completed') {
        const events = await (
          await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}/events`, {
            headers: headers(),
          })
        ).json();
        assert.fail(
          `${templateRef} ${task.status}:\n${events
            .map(e => e.body?.message)
            .filter(Boolean)
            .join('\n')}`,
        );
      }
      return task;
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`task ${id} did not finish`);
}

async function registerLocation(target) {
  const res = await fetch(`${BASE}/api/catalog/locations`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ type: 'file', target }),
  });
  assert.equal(res.status, 201, await res.clone().text());
}

const insightsUrl = (name, refresh = false) =>
  `${BASE}/api/golden-path/entities/component/default/${name}/insights${
    refresh ? '?refresh=true' : ''
  }`;

/** The published service and its protos, compared with (or copied to) the backend tests' fixture. */
function checkFixture() {
  const fixture = join(FIXTURES, 'go-service');
  const parts = [SERVICE_DIR, PROTO_DIR];
  if (process.env.UPDATE_INSIGHTS_FIXTURE === '1') {
    rmSync(fixture, { recursive: true, force: true });
    for (const p of parts)
      cpSync(join(REPO, p), join(fixture, p), { recursive: true });
    return [];
  }
  const differences = [];
  for (const p of parts) {
    const published = new Set(listFiles(join(REPO, p)));
    const committed = new Set(listFiles(join(fixture, p)));
    for (const f of published) {
      if (!committed.has(f)) differences.push(`only published: ${p}/${f}`);
      else if (
        !readFileSync(join(REPO, p, f)).equals(
          readFileSync(join(fixture, p, f)),
        )
      )
        differences.push(`differs: ${p}/${f}`);
    }
    for (const f of committed)
      if (!published.has(f)) differences.push(`only in the fixture: ${p}/${f}`);
  }
  return differences;
}

/** Broken copies of the published service, registered as two Components. */
function writeBrokenCopies() {
  rmSync(BAD, { recursive: true, force: true });
  for (const variant of ['files', 'many']) {
    for (const p of [SERVICE_DIR, PROTO_DIR])
      cpSync(join(REPO, p), join(BAD, variant, p), { recursive: true });
  }
  const files = join(BAD, 'files');
  const svc = rel => join(files, SERVICE_DIR, rel);
  // an unparsable proto: the service's API with a parenthesis missing
  const protoFile = readdirSync(join(files, PROTO_DIR, 'v1')).find(f =>
    f.endsWith('_service.proto'),
  );
  const protoPath = join(files, PROTO_DIR, 'v1', protoFile);
  writeFileSync(
    protoPath,
    readFileSync(protoPath, 'utf8').replace(
      /rpc (Create\w+)\((\w+)\)/,
      'rpc $1($2',
    ),
  );
  // a binary file with a .go name
  writeFileSync(
    svc('internal/domain/entity/logo.go'),
    Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
    ]),
  );
  // a 10 MB proto
  writeFileSync(
    join(files, PROTO_DIR, 'v1', 'huge.proto'),
    `syntax = "proto3";\npackage ${VALUES.name}.v1;\n${'// padding\n'.repeat(
      (10 * 1024 * 1024) / 11,
    )}`,
  );
  // a symlink loop: internal/domain/self → internal/domain
  symlinkSync(svc('internal/domain'), svc('internal/domain/self'));
  // tens of thousands of files
  const many = join(
    BAD,
    'many',
    SERVICE_DIR,
    'internal/domain/valueobject/bulk',
  );
  mkdirSync(many, { recursive: true });
  for (let i = 0; i < 30_000; i++)
    writeFileSync(
      join(many, `v${i}.go`),
      `package bulk\n\n// V${i} is one of many.\ntype V${i} struct{}\n`,
    );
  const component = (
    name,
    dir,
    description,
  ) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  description: ${description}
  annotations:
    golden-path.dev/go-service: ${SERVICE_DIR}
    backstage.io/source-location: dir:${join(BAD, dir)}/
spec:
  type: service
  lifecycle: experimental
  owner: ${VALUES.owner}
`;
  writeFileSync(
    join(BAD, 'catalog-info.yaml'),
    [
      component(
        'insights-bad-files',
        'files',
        'The generated ledger service with an unparsable proto, a binary file, a 10 MB proto and a symlink loop',
      ),
      component(
        'insights-bad-many',
        'many',
        'The generated ledger service with 30,000 more Go files',
      ),
    ].join('---\n'),
  );
}

/** GETs `url` while probing the health endpoint every 100 ms; the probes' worst latency. */
async function whileProbing(url) {
  let done = false;
  const started = Date.now();
  const slow = fetch(url, { headers: headers() }).finally(() => {
    done = true;
  });
  const latencies = [];
  while (!done) {
    const t = Date.now();
    const probe = await fetch(`${BASE}/.backstage/health/v1/liveness`);
    assert.equal(probe.status, 200);
    latencies.push(Date.now() - t);
    await new Promise(r => setTimeout(r, 100));
  }
  const res = await slow;
  return {
    res,
    ms: Date.now() - started,
    probes: latencies.length,
    worst: Math.max(0, ...latencies),
  };
}

before(async () => {
  rmSync(REPO, { recursive: true, force: true });
  rmSync(BAD, { recursive: true, force: true });
  psql(`drop database if exists "${DATABASE}" with (force)`);
  psql(`create database "${DATABASE}"`);
  // a "database" that accepts connections and never answers
  hanging = createServer(socket => {
    hangingSockets.add(socket);
    socket.on('close', () => hangingSockets.delete(socket));
  });
  await new Promise(r => hanging.listen(0, '127.0.0.1', r));
  product = startProcess(
    'insights-page-start',
    'bash',
    [join(ROOT, 'scripts/start.sh')],
    {
      env: {
        // app-config.yaml's "local" environment for the generated service, and
        // the hanging one for the broken copies
        APP_CONFIG_goldenPath_insights_migrations_environments: JSON.stringify([
          {
            name: 'local',
            url: `postgres://${PG.user}@${PG.host}:${PG.port}/{db}?sslmode=disable`,
            entityFilter: [`component:default/${SERVICE}`],
          },
          {
            name: 'hanging',
            url: `postgres://reader@127.0.0.1:${
              hanging.address().port
            }/ledger_db?sslmode=disable`,
            entityFilter: ['component:default/insights-bad-*'],
          },
        ]),
        APP_CONFIG_goldenPath_insights_migrations_timeouts_connect: `${CONNECT_TIMEOUT_S}s`,
      },
    },
  );
  await waitForUrl(`${BASE}/.backstage/health/v1/readiness`, {
    child: product,
  });
  for (const name of ['go-monorepo', 'go-service'])
    await waitForUrl(
      `${BASE}/api/catalog/entities/by-name/template/default/${name}`,
      {
        headers: headers(),
        timeoutMs: 120_000,
      },
    );

  const t0 = Date.now();
  const monorepoValues = JSON.parse(
    readFileSync(join(ROOT, 'templates/go-monorepo/values/mvp.json'), 'utf8'),
  );
  await runTask('template:default/go-monorepo', {
    ...monorepoValues,
    projectName: MONOREPO,
    localPath: MONOREPO,
  });
  await runTask('template:default/go-service', VALUES);
  timings.push(
    `two real tasks (monorepo, service): ${((Date.now() - t0) / 1000).toFixed(
      1,
    )} s`,
  );
  await waitForUrl(
    `${BASE}/api/catalog/entities/by-name/component/default/${SERVICE}`,
    {
      headers: headers(),
      timeoutMs: 120_000,
    },
  );

  const t1 = Date.now();
  writeBrokenCopies();
  await registerLocation(join(BAD, 'catalog-info.yaml'));
  for (const name of ['insights-bad-files', 'insights-bad-many'])
    await waitForUrl(
      `${BASE}/api/catalog/entities/by-name/component/default/${name}`,
      {
        headers: headers(),
        timeoutMs: 120_000,
      },
    );
  timings.push(
    `broken copies (30,000 files): ${((Date.now() - t1) / 1000).toFixed(1)} s`,
  );
  await waitForUrl(APP, { child: product, timeoutMs: 600_000 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (product) await stopProcess(product);
  for (const s of hangingSockets) s.destroy();
  hanging?.close();
  try {
    psql(`drop database if exists "${DATABASE}" with (force)`);
  } catch {
    /* PostgreSQL gone */
  }
  rmSync(REPO, { recursive: true, force: true });
  rmSync(BAD, { recursive: true, force: true });
  process.stdout.write(
    `# insights-page timings:\n${timings.map(t => `#   ${t}`).join('\n')}\n`,
  );
});

test("the template's output is the backend tests' fixture", () => {
  const differences = checkFixture();
  assert.deepEqual(
    differences,
    [],
    `plugins/golden-path-backend/src/__fixtures__/go-service differs from what the Go service template publishes today; rerun with UPDATE_INSIGHTS_FIXTURE=1 and review the diff:\n${differences.join(
      '\n',
    )}`,
  );
});

test('the insights API analyses the generated service, with one violation added', async () => {
  // The generated service keeps the dependency rule (see the backend tests);
  // an entity importing the persistence adapter gives the tab an arrow to draw.
  const entityDir = join(REPO, SERVICE_DIR, 'internal/domain/entity');
  const module = /^module (\S+)/m.exec(
    readFileSync(join(REPO, SERVICE_DIR, 'go.mod'), 'utf8'),
  )[1];
  writeFileSync(
    join(entityDir, 'storage.go'),
    `package entity\n\n// Reaching the database from the domain breaks the dependency rule.\nimport _ "${module}/internal/adapter/outbound/persistence"\n`,
  );
  const res = await fetch(insightsUrl(SERVICE, true), { headers: headers() });
  assert.equal(res.status, 200, await res.clone().text());
  const insights = await res.json();
  writeFileSync(
    join(RESULTS_DIR, 'insights-e2e.json'),
    JSON.stringify(insights, null, 2),
  );
  assert.deepEqual(
    insights.layers.violations.map(
      v => `${v.path}:${v.line} ${v.fromLayer}->${v.toLayer}`,
    ),
    [`${SERVICE_DIR}/internal/domain/entity/storage.go:4 domain->adapter`],
  );
  assert.ok(
    insights.protos.files.some(f =>
      f.services.some(s => s.name === `${VALUES.aggregate}Service`),
    ),
  );
  assert.equal(insights.migrations.sum.status, 'ok');
  const local = insights.migrations.environments.find(e => e.name === 'local');
  assert.equal(local?.status, 'pending', JSON.stringify(local));
  assert.ok(
    local.versions.length > 0 &&
      local.versions.every(v => v.state === 'pending'),
    JSON.stringify(local),
  );
});

/** Runs a command in the published service; its exit status and output. */
// Asynchronous on purpose: a spawnSync of several seconds kept the event loop
// from seeing the backend close an idle keep-alive socket (5 s), and the next
// fetch went out on it ("fetch failed").
function inService(command, args) {
  return new Promise(resolve => {
    execFile(
      command,
      args,
      {
        cwd: join(REPO, SERVICE_DIR),
        encoding: 'utf8',
        timeout: 300_000,
        maxBuffer: 16 << 20,
        env: { ...process.env, GOTOOLCHAIN: 'local' },
      },
      (error, stdout, stderr) =>
        resolve({ ok: !error, out: `${stdout}\n${stderr}` }),
    );
  });
}

test("the dependency rule changed in the service's .golangci.yml: the Go test, golangci-lint and the tab follow it", async () => {
  const dir = join(REPO, SERVICE_DIR);
  const config = join(dir, '.golangci.yml');
  const shipped = readFileSync(config, 'utf8');
  // storage.go (the test above) closes an import cycle, which golangci-lint
  // refuses before any rule: it is set aside, and the domain imports net/http
  const storage = join(dir, 'internal/domain/entity/storage.go');
  const storageSource = readFileSync(storage, 'utf8');
  const web = join(dir, 'internal/domain/entity/web.go');
  const lint = join(ROOT, '.tools/bin/golangci-lint');
  const verdicts = async () => {
    const res = await fetch(insightsUrl(SERVICE, true), { headers: headers() });
    assert.equal(res.status, 200, await res.clone().text());
    const { layers } = await res.json();
    return {
      goTest: await inService('go', [
        'test',
        '-count=1',
        './tests/architecture/',
      ]),
      lint: await inService(lint, ['run', './...']),
      tab: layers.violations.map(
        v => `${v.path.split('/').pop()} ${v.toPackage}`,
      ),
      rule: layers.dependencyRule,
    };
  };
  const httpDeny = /\n\s+- pkg: net\/http\n\s+desc: [^\n]+/;
  try {
    rmSync(storage);
    writeFileSync(
      web,
      'package entity\n\n// Transport in the domain breaks the shipped rule.\nimport _ "net/http"\n',
    );
    // as shipped: all three refuse net/http in the domain
    let v = await verdicts();
    assert.equal(v.rule.source, 'service');
    assert.equal(v.rule.path, `${SERVICE_DIR}/.golangci.yml`);
    assert.deepEqual(v.tab, ['web.go net/http']);
    assert.ok(
      !v.goTest.ok && /web\.go imports net\/http/.test(v.goTest.out),
      v.goTest.out,
    );
    assert.ok(
      !v.lint.ok &&
        /web\.go:4:8: import 'net\/http' is not allowed from list 'domain'/.test(
          v.lint.out,
        ),
      v.lint.out,
    );

    // the team allows net/http in its domain: all three pass
    assert.match(shipped, httpDeny);
    const allowing = shipped.replace(httpDeny, '');
    writeFileSync(config, allowing);
    v = await verdicts();
    assert.deepEqual(v.tab, []);
    assert.ok(v.goTest.ok, v.goTest.out);
    assert.ok(v.lint.ok, v.lint.out);

    // the team forbids its domain the time package: all three refuse the same files
    writeFileSync(
      config,
      allowing.replace(
        'deny:\n',
        'deny:\n            - pkg: time$\n              desc: read the time through the clock port\n',
      ),
    );
    v = await verdicts();
    assert.ok(
      v.tab.length > 0 && v.tab.every(t => t.endsWith(' time')),
      JSON.stringify(v.tab),
    );
    assert.ok(!v.goTest.ok && !v.lint.ok, `${v.goTest.out}\n${v.lint.out}`);
    const refused = out =>
      [...out.matchAll(/(\w+\.go)(?::\d+:\d+: import 'time'| imports time)/g)]
        .map(m => m[1])
        .sort();
    const tabFiles = v.tab.map(t => t.split(' ')[0]).sort();
    assert.deepEqual(refused(v.goTest.out), tabFiles, v.goTest.out);
    assert.deepEqual(refused(v.lint.out), tabFiles, v.lint.out);
    assert.match(v.lint.out, /read the time through the clock port/);
  } finally {
    writeFileSync(config, shipped);
    rmSync(web, { force: true });
    writeFileSync(storage, storageSource);
    await fetch(insightsUrl(SERVICE, true), { headers: headers() });
  }
});

test('the Architecture tab shows the layers, an RPC and a pending migration', async () => {
  const insights = JSON.parse(
    readFileSync(join(RESULTS_DIR, 'insights-e2e.json'), 'utf8'),
  );
  const version = insights.migrations.files[0].version;
  const page = await browser.newPage();
  await page.goto(`${APP}/catalog/default/component/${SERVICE}`);
  await signInAsGuest(page);
  try {
    // The overview card, then the tab.
    await page
      .getByText('Golden Path insights')
      .first()
      .waitFor({ timeout: 120_000 });
    await page.getByText('local: pending').waitFor({ timeout: 120_000 });
    await page.screenshot({
      path: join(RESULTS_DIR, 'insights-overview.png'),
      fullPage: true,
    });
    await page
      .getByLabel('Golden Path insights', { exact: true })
      .screenshot({ path: join(RESULTS_DIR, 'insights-card.png') });
    await page
      .getByRole('tab', { name: 'Architecture' })
      .or(page.getByRole('link', { name: 'Architecture' }))
      .first()
      .click();
    await page.waitForURL(/\/architecture$/);

    const diagram = page.getByTestId('layer-diagram');
    await diagram.waitFor({ timeout: 120_000 });
    for (const layer of [
      'Domain',
      'Application',
      'Adapter',
      'Infrastructure',
      'Cmd',
    ]) {
      await diagram.getByText(layer, { exact: true }).waitFor();
    }
    await diagram.getByText('domain → adapter ×1').waitFor();
    // The arrow is drawn in a visible colour (theme variables resolve in SVG).
    const stroke = await diagram
      .locator('[data-violation-arrow="domain->adapter"] path')
      .evaluate(el => getComputedStyle(el).stroke);
    assert.ok(
      !['none', 'rgb(255, 255, 255)', 'rgba(0, 0, 0, 0)'].includes(stroke),
      `arrow stroke ${stroke}`,
    );
    await page
      .getByText(`${SERVICE_DIR}/internal/domain/entity/storage.go:`, {
        exact: false,
      })
      .first()
      .waitFor();
    await page.screenshot({
      path: join(RESULTS_DIR, 'insights-layers.png'),
      fullPage: true,
    });

    const rpc = `Create${VALUES.aggregate}`;
    await page.getByRole('button', { name: new RegExp(`^${rpc}\\b`) }).click();
    const request = page.getByLabel(`Request ${rpc}Request`);
    await request
      .getByText(`${VALUES.name}.v1.${rpc}Request`, { exact: true })
      .waitFor();
    for (const f of VALUES.fields)
      await request.getByText(f.name, { exact: true }).waitFor();
    await request.getByText('common.v1.Money', { exact: true }).waitFor();
    await request.getByText('optional string', { exact: true }).waitFor();

    const local = page.getByLabel('environment local');
    await local.getByText(version, { exact: true }).waitFor();
    await page.getByText('atlas.sum ok').waitFor();
    // the environment's chip and the version's
    assert.equal(
      await local.locator('[data-status="pending"]').count(),
      1 + insights.migrations.files.length,
    );
    assert.equal(await local.locator('[data-status="applied"]').count(), 0);
    for (const [label, file] of [
      ['Layers', 'insights-tab-layers.png'],
      ['Proto APIs', 'insights-tab-protos.png'],
      ['Migrations', 'insights-tab-migrations.png'],
    ]) {
      await page
        .getByLabel(label, { exact: true })
        .screenshot({ path: join(RESULTS_DIR, file) });
    }
  } finally {
    await page.screenshot({
      path: join(RESULTS_DIR, 'insights-architecture.png'),
      fullPage: true,
    });
  }
});

test('after the migrations run, the tab shows every version applied', async () => {
  execFileSync(
    ATLAS,
    [
      'migrate',
      'apply',
      '--dir',
      `file://${join(REPO, SERVICE_DIR, 'db/migrations')}`,
      '--url',
      dbUrl,
    ],
    { stdio: 'pipe' },
  );
  const files = JSON.parse(
    readFileSync(join(RESULTS_DIR, 'insights-e2e.json'), 'utf8'),
  ).migrations.files;
  const page = await browser.newPage();
  await page.goto(`${APP}/catalog/default/component/${SERVICE}/architecture`);
  await signInAsGuest(page);
  try {
    const local = page.getByLabel('environment local');
    await local
      .getByText(files[0].version, { exact: true })
      .waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Analyse again' }).click();
    for (
      let i = 0;
      i < 60 && (await local.locator('[data-status="pending"]').count()) > 0;
      i++
    ) {
      await page.waitForTimeout(500);
    }
    assert.equal(
      await local.locator('[data-status="pending"]').count(),
      0,
      'a version is still pending',
    );
    assert.equal(
      await local.locator('[data-status="applied"]').count(),
      files.length,
    );
    await local.getByText('up to date').waitFor();
  } finally {
    await page.screenshot({
      path: join(RESULTS_DIR, 'insights-applied.png'),
      fullPage: true,
    });
  }
});

test('bad input: each problem of the broken copy is reported while the backend keeps answering', async () => {
  const { res, ms, probes, worst } = await whileProbing(
    insightsUrl('insights-bad-files'),
  );
  timings.push(
    `insights-bad-files: ${ms} ms, ${probes} health probes meanwhile, worst ${worst} ms`,
  );
  assert.equal(res.status, 200, await res.clone().text());
  const insights = await res.json();
  writeFileSync(
    join(RESULTS_DIR, 'insights-bad-files.json'),
    JSON.stringify(insights, null, 2),
  );
  const problems = insights.source.problems
    .map(p => `${p.code} ${p.path}`)
    .sort();
  assert.deepEqual(problems, [
    `binary-file ${SERVICE_DIR}/internal/domain/entity/logo.go`,
    `file-too-large ${PROTO_DIR}/v1/huge.proto`,
    `symlink-loop ${SERVICE_DIR}/internal/domain/self`,
  ]);
  const [proto] = insights.protos.files;
  assert.ok(proto.parseError, 'the broken proto parsed');
  const env = insights.migrations.environments.find(e => e.name === 'hanging');
  assert.equal(env.status, 'error');
  assert.match(
    env.message,
    new RegExp(`timed out after ${CONNECT_TIMEOUT_S} s`),
  );
  assert.ok(ms < (CONNECT_TIMEOUT_S + 3) * 1000, `took ${ms} ms`);
  assert.ok(
    probes >= 3 && worst < 1000,
    `health probes: ${probes}, worst ${worst} ms`,
  );

  const page = await browser.newPage();
  await page.goto(`${APP}/catalog/default/component/insights-bad-files`);
  await signInAsGuest(page);
  try {
    const card = page.getByLabel('Golden Path insights', { exact: true });
    const attention = card.getByLabel('Needs attention');
    await attention.waitFor({ timeout: 120_000 });
    await attention
      .getByText(/database unreachable: cannot connect: timed out after/)
      .waitFor();
    await attention.getByText(/does not parse/).waitFor();
    await card.screenshot({ path: join(RESULTS_DIR, 'insights-bad-card.png') });

    await page.goto(
      `${APP}/catalog/default/component/insights-bad-files/architecture`,
    );
    const source = page.getByLabel('Source problems');
    await source.waitFor({ timeout: 120_000 });
    await source.getByText(/binary content/).waitFor();
    await source
      .getByText(/10 MiB, over the limit of 1 MiB per file/)
      .waitFor();
    await source.getByText(/symlink loop: leads back to/).waitFor();
    await page.getByText('This file does not parse').waitFor();
    const hangingEnv = page.getByLabel('environment hanging');
    await hangingEnv.getByText('The hanging database cannot be read').waitFor();
    await hangingEnv
      .getByText(new RegExp(`timed out after ${CONNECT_TIMEOUT_S} s`))
      .waitFor();
  } finally {
    await page.screenshot({
      path: join(RESULTS_DIR, 'insights-bad-input.png'),
      fullPage: true,
    });
  }
});

test('bad input: 30,000 files stop at the file limit, with the backend answering meanwhile', async () => {
  const { res, ms, probes, worst } = await whileProbing(
    insightsUrl('insights-bad-many'),
  );
  timings.push(
    `insights-bad-many: ${ms} ms, ${probes} health probes meanwhile, worst ${worst} ms`,
  );
  assert.equal(res.status, 200, await res.clone().text());
  const insights = await res.json();
  const limit = insights.source.problems.filter(
    p => p.code === 'tree-too-many-files',
  );
  assert.equal(limit.length, 1, JSON.stringify(insights.source.problems));
  assert.equal(insights.source.fileCount, 20_000);
  assert.ok(
    probes >= 3 && worst < 1000,
    `health probes: ${probes}, worst ${worst} ms`,
  );

  const page = await browser.newPage();
  await page.goto(
    `${APP}/catalog/default/component/insights-bad-many/architecture`,
  );
  await signInAsGuest(page);
  try {
    await page
      .getByLabel('Source problems')
      .getByText(/reading stopped at 20000 files/)
      .waitFor({ timeout: 120_000 });
    await page.getByText(/20000 files read/).waitFor();
  } finally {
    await page.screenshot({ path: join(RESULTS_DIR, 'insights-bad-many.png') });
  }
});
