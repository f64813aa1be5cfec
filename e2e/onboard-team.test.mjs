// The "Onboard a new team" template through the real scaffolder: rendered by
// the harness from the Go monorepo and Go service templates' own skeletons
// (the first service equals what the Go service template renders), refusing a
// team that exists and bad service values, and run as real tasks that publish
// locally and register. The team's steps (GET /api/golden-path/onboarding) are
// then checked against that real catalog: a team with nothing, a half-onboarded
// team, a team whose service is registered (its migrations applied with the
// real atlas, its docs built by TechDocs), then given a dependency-rule
// violation, and a run cancelled after publishing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  existsSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import {
  BACKEND_URL,
  ROOT,
  RESULTS_DIR,
  authHeaders,
  startReadyBackend,
  stopProcess,
  waitForUrl,
} from './lib/processes.mjs';
import { PG, psql } from './lib/postgres.mjs';
import { GOFLAGS } from './lib/goFlags.mjs';

const run = promisify(execFile);
const BASE = BACKEND_URL;
const TEMPLATE = join(ROOT, 'templates/onboard-team.yaml');
const CLI = join(ROOT, 'packages/cli/bin/golden-path');
const OUT = join(RESULTS_DIR, 'render/onboard-team');
const values = JSON.parse(
  readFileSync(join(ROOT, 'templates/onboard-team/values/local.json'), 'utf8'),
);
const withService = JSON.parse(
  readFileSync(
    join(ROOT, 'templates/onboard-team/values/with-service.json'),
    'utf8',
  ),
);
const ATLAS = join(ROOT, '.tools/bin/atlas');
const suffix = Date.now().toString(36);
const databases = [];
const timings = [];
let backend;

before(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  backend = await startReadyBackend('onboard-team-backend');
  // One broken file in templates/*.yaml keeps every template of that location out of the catalog.
  await waitForUrl(
    `${BASE}/api/catalog/entities/by-name/template/default/onboard-team`,
    {
      headers: authHeaders(),
      timeoutMs: 120_000,
    },
  ).catch(e => {
    throw new Error(
      `template:default/onboard-team is not in the catalog (check templates/*.yaml for YAML errors in ${join(
        RESULTS_DIR,
        'onboard-team-backend.log',
      )}): ${e.message}`,
    );
  });
});

after(async () => {
  if (backend) await stopProcess(backend);
  for (const db of databases)
    psql(`drop database if exists "${db}" with (force)`);
  process.stdout.write(
    `# onboard-team timings:\n${timings.map(t => `#   ${t}`).join('\n')}\n`,
  );
});

async function render(v, out) {
  const file = `${out}.json`;
  writeFileSync(file, JSON.stringify(v));
  return run(
    process.execPath,
    [
      CLI,
      'render',
      TEMPLATE,
      '--values',
      file,
      '--out',
      out,
      '--backend',
      BASE,
    ],
    {
      cwd: ROOT,
    },
  ).then(
    r => ({ code: 0, ...r }),
    e => ({ code: e.code ?? 1, stdout: e.stdout, stderr: e.stderr }),
  );
}

async function waitForTask(id) {
  for (let i = 0; i < 600; i++) {
    const t = await (
      await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}`, {
        headers: authHeaders(),
      })
    ).json();
    if (['completed', 'failed', 'cancelled'].includes(t.status)) return t;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`task ${id} did not finish`);
}

async function startTask(v) {
  const created = await fetch(`${BASE}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: { ...authHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({
      templateRef: 'template:default/onboard-team',
      values: v,
    }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  return (await created.json()).id;
}

async function taskLog(id) {
  const events = await (
    await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}/events`, {
      headers: authHeaders(),
    })
  ).json();
  return events
    .map(e => e.body?.message)
    .filter(Boolean)
    .join('\n');
}

async function runTask(v) {
  const task = await waitForTask(await startTask(v));
  if (task.status !== 'completed')
    assert.fail(`task ${task.status}:\n${await taskLog(task.id)}`);
  return task;
}

const getJson = async path => {
  const res = await fetch(`${BASE}${path}`, { headers: authHeaders() });
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return res.json();
};

/** The team's steps as { id: status }, with the whole answer. */
async function steps(team, { refresh = false } = {}) {
  const onboarding = await getJson(
    `/api/golden-path/onboarding/default/${team}${
      refresh ? '?refresh=true' : ''
    }`,
  );
  return {
    onboarding,
    status: Object.fromEntries(onboarding.steps.map(s => [s.id, s.status])),
  };
}

const go = (args, cwd) =>
  run('go', args, {
    cwd,
    env: { ...process.env, GOFLAGS, GOWORK: '' },
    maxBuffer: 32 * 1024 * 1024,
  });

test('renders the team and the monorepo from the monorepo template skeleton', async () => {
  const out = join(OUT, 'local');
  const r = await render(values, out);
  assert.equal(r.code, 0, r.stderr);
  const group = YAML.parse(
    readFileSync(join(out, `org/${values.teamName}.yaml`), 'utf8'),
  );
  assert.equal(group.kind, 'Group');
  assert.equal(group.spec.profile.displayName, values.displayName);
  const docs = YAML.parseAllDocuments(
    readFileSync(join(out, 'catalog-info.yaml'), 'utf8'),
  ).map(d => d.toJSON());
  const system = docs.find(d => d.kind === 'System');
  assert.equal(system.metadata.name, values.projectName);
  assert.equal(system.spec.owner, `group:default/${values.teamName}`);
  assert.equal(
    system.metadata.annotations['golden-path.dev/monorepo'],
    values.projectName,
  );
  // The Go monorepo template's own skeleton, not a copy.
  for (const file of ['scripts/init-db.sh', 'pkg/database/database.go']) {
    assert.equal(
      readFileSync(join(out, file), 'utf8'),
      readFileSync(join(ROOT, 'templates/go-monorepo/skeleton', file), 'utf8'),
    );
  }
});

test('renders the first service from the Go service template: the same files, with its docs', async () => {
  const out = join(OUT, 'with-service');
  const r = await render(withService, out);
  assert.equal(r.code, 0, r.stderr);
  // The Go service template rendered with the same values gives the same service.
  const svcValues = {
    ...withService.service,
    stage: withService.stage,
    pkgModule: withService.pkgModule,
    owner: `group:default/${withService.teamName}`,
    system: `system:default/${withService.projectName}`,
    publishTo: 'local',
    localPath: withService.localPath,
  };
  const direct = join(OUT, 'go-service-direct');
  const file = `${direct}.json`;
  writeFileSync(file, JSON.stringify(svcValues));
  const d = await run(
    process.execPath,
    [
      CLI,
      'render',
      join(ROOT, 'templates/go-service'),
      '--values',
      file,
      '--out',
      direct,
      '--backend',
      BASE,
    ],
    {
      cwd: ROOT,
    },
  );
  assert.match(d.stdout, /rendered \d+ files/);
  const name = withService.service.name;
  for (const dir of [`services/${name}-service`, `api/proto/${name}`]) {
    const diff = await run('diff', [
      '-r',
      join(out, dir),
      join(direct, dir),
    ]).then(
      () => ({ code: 0 }),
      e => e,
    );
    assert.equal(
      diff.code,
      0,
      `${dir} differs from the Go service template's:\n${diff.stdout}`,
    );
  }
  assert.match(
    readFileSync(join(out, 'go.work'), 'utf8'),
    new RegExp(`^\\t\\./services/${name}-service$`, 'm'),
  );
  const component = YAML.parseAllDocuments(
    readFileSync(
      join(out, `services/${name}-service/catalog-info.yaml`),
      'utf8',
    ),
  )
    .map(doc => doc.toJSON())
    .find(e => e.kind === 'Component');
  assert.equal(component.spec.owner, `group:default/${withService.teamName}`);
  assert.equal(
    component.metadata.annotations['backstage.io/techdocs-ref'],
    'dir:.',
  );
  // The service's docs: rendered from its values, and mkdocs builds them (strict).
  const docs = readFileSync(
    join(out, `services/${name}-service/docs/index.md`),
    'utf8',
  );
  assert.doesNotMatch(docs, /TODO|\$\{\{|\{%/);
  for (const text of [
    '# payment-service',
    '`CreatePayment`',
    '`ListPayments`',
    '| `title` | text | yes |',
    'payment_db',
    'make dev-payment',
    'atlas migrate diff',
  ]) {
    assert.ok(docs.includes(text), `the service docs lack ${text}`);
  }
  const site = join(OUT, 'with-service-site');
  await run('/usr/bin/mkdocs', ['build', '--strict', '--site-dir', site], {
    cwd: join(out, `services/${name}-service`),
  });
  assert.match(
    readFileSync(join(site, 'index.html'), 'utf8'),
    /<h1[^>]*>payment-service/,
  );
});

test('refuses bad first-service values before writing anything', async () => {
  const cases = [
    [
      { name: 'func' },
      /name "func" is reserved \(a Go keyword or a monorepo directory\)/,
    ],
    [
      { fields: [{ name: 'select', type: 'string' }] },
      /select is a Go keyword or a reserved SQL word/,
    ],
    [
      { fields: [{ name: 'level', type: 'enum', values: [] }] },
      /an enum needs values, e\.g\. low, normal, high/,
    ],
    [{ name: 'Pay' }, /name must match pattern/],
  ];
  for (const [i, [patch, message]] of cases.entries()) {
    const out = join(OUT, `bad-service-${i}`);
    const r = await render(
      { ...withService, service: { ...withService.service, ...patch } },
      out,
    );
    assert.notEqual(r.code, 0, `accepted ${JSON.stringify(patch)}`);
    assert.match(r.stderr, message);
    assert.ok(
      !existsSync(out),
      `files were written for ${JSON.stringify(patch)}`,
    );
  }
});

test('refuses a team that already exists, before writing anything', async () => {
  const out = join(OUT, 'existing');
  const r = await render({ ...values, teamName: 'platform-team' }, out);
  assert.notEqual(r.code, 0);
  assert.match(
    r.stderr,
    /the team group:default\/platform-team already exists: pick another name/,
  );
  assert.ok(!existsSync(out));
});

test('refuses a team name with capitals in the form', async () => {
  const out = join(OUT, 'capitals');
  const r = await render({ ...values, teamName: 'Team Orders' }, out);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /teamName must match pattern/);
});

test(
  'a half-onboarded team: a real task registers the Group, the System and the monorepo, no service',
  { timeout: 300_000 },
  async () => {
    const v = {
      ...values,
      teamName: `team-${suffix}`,
      projectName: `orders-${suffix}`,
      localPath: `orders-${suffix}`,
    };
    const t0 = Date.now();
    await runTask(v);
    timings.push(
      `onboarding task without a service: ${((Date.now() - t0) / 1000).toFixed(
        1,
      )}s`,
    );
    const group = await fetch(
      `${BASE}/api/catalog/entities/by-name/group/default/${v.teamName}`,
      { headers: authHeaders() },
    );
    assert.equal(group.status, 200, 'the Group is not in the catalog');
    const system = await (
      await fetch(
        `${BASE}/api/catalog/entities/by-name/system/default/${v.projectName}`,
        { headers: authHeaders() },
      )
    ).json();
    assert.equal(system.spec.owner, `group:default/${v.teamName}`);
    assert.ok(
      existsSync(
        join(
          process.env.GOLDEN_PATH_LOCAL_ROOT,
          v.localPath,
          'pkg/proto/common/v1/money.pb.go',
        ),
      ),
    );

    // The team's golden path, computed from the real catalog.
    const onboarding = await (
      await fetch(`${BASE}/api/golden-path/onboarding/default/${v.teamName}`, {
        headers: authHeaders(),
      })
    ).json();
    const status = Object.fromEntries(
      onboarding.steps.map(s => [s.id, s.status]),
    );
    assert.deepEqual(status, {
      team: 'done',
      system: 'done',
      monorepo: 'done',
      service: 'open',
      migrations: 'blocked',
      'dependency-rule': 'blocked',
      'proto-lint': 'blocked',
    });
    const next = onboarding.steps.find(s => s.id === 'service');
    assert.deepEqual(next.action, {
      type: 'template',
      title: 'Add a Go service',
      templateRef: 'template:default/go-service',
      formData: {
        owner: `group:default/${v.teamName}`,
        system: `system:default/${v.projectName}`,
      },
    });
  },
);

test('a team with no entities: only the first step is open', async () => {
  const res = await fetch(
    `${BASE}/api/golden-path/onboarding/default/team-that-does-not-exist`,
    {
      headers: authHeaders(),
    },
  );
  assert.equal(res.status, 200);
  const onboarding = await res.json();
  assert.equal(onboarding.done, 0);
  assert.deepEqual(
    onboarding.steps.map(s => s.status),
    ['open', 'blocked', 'blocked', 'blocked', 'blocked', 'blocked', 'blocked'],
  );
  assert.equal(
    (await fetch(`${BASE}/api/golden-path/onboarding/default/x`)).status,
    401,
  );
});

test(
  'a team whose first service came with the onboarding: registered, built, migrated, documented, then broken',
  { timeout: 900_000 },
  async () => {
    const name = `p${suffix}`;
    const team = `team-p${suffix}`;
    const db = `${name}_db`;
    databases.push(db);
    const v = {
      ...withService,
      teamName: team,
      projectName: `pay-${suffix}`,
      localPath: `pay-${suffix}`,
      service: { ...withService.service, name },
    };
    const t0 = Date.now();
    await runTask(v);
    timings.push(
      `onboarding task with the first service: ${(
        (Date.now() - t0) /
        1000
      ).toFixed(1)}s`,
    );

    for (const [kind, entity] of [
      ['group', team],
      ['system', v.projectName],
      ['component', `${name}-service`],
      ['api', `${name}-grpc-api`],
      ['resource', `${name}-db`],
    ]) {
      const res = await fetch(
        `${BASE}/api/catalog/entities/by-name/${kind}/default/${entity}`,
        { headers: authHeaders() },
      );
      assert.equal(res.status, 200, `${kind}:${entity} is not in the catalog`);
    }
    const component = await getJson(
      `/api/catalog/entities/by-name/component/default/${name}-service`,
    );
    assert.equal(component.spec.owner, `group:default/${team}`);
    assert.equal(component.spec.system, `system:default/${v.projectName}`);

    // Published into the monorepo, in its go.work, building and passing its dependency-rule test.
    const root = join(process.env.GOLDEN_PATH_LOCAL_ROOT, v.localPath);
    const svcDir = join(root, `services/${name}-service`);
    assert.match(
      readFileSync(join(root, 'go.work'), 'utf8'),
      new RegExp(`^\\t\\./services/${name}-service$`, 'm'),
    );
    for (const f of [
      'sqlcgen/db.go',
      'db/migrations/atlas.sum',
      'docs/index.md',
      'mkdocs.yml',
    ]) {
      assert.ok(existsSync(join(svcDir, f)), `${f} not published`);
    }
    assert.ok(
      existsSync(join(root, `pkg/proto/${name}/v1/${name}_service_grpc.pb.go`)),
      'generated gRPC code not published',
    );
    const tBuild = Date.now();
    await go(['build', `./services/${name}-service/...`], root);
    await go(['vet', './...'], svcDir);
    await go(['test', '-count=1', './tests/architecture/'], svcDir);
    timings.push(
      `go build + vet + architecture test of the service: ${(
        (Date.now() - tBuild) /
        1000
      ).toFixed(1)}s`,
    );

    // 6 of 7: only the migrations are open (the database does not exist yet).
    let { onboarding, status } = await steps(team);
    assert.deepEqual(
      status,
      {
        team: 'done',
        system: 'done',
        monorepo: 'done',
        service: 'done',
        migrations: 'open',
        'dependency-rule': 'done',
        'proto-lint': 'done',
      },
      JSON.stringify(onboarding.steps, null, 2),
    );
    assert.equal(onboarding.done, 6);
    assert.match(
      onboarding.steps.find(s => s.id === 'migrations').message,
      new RegExp(`local could not be read: .*${db}`),
    );

    // The real atlas applies the service's migrations to its database in the first environment.
    psql(`create database "${db}"`);
    await run(ATLAS, [
      'migrate',
      'apply',
      '--dir',
      `file://${join(svcDir, 'db/migrations')}`,
      '--url',
      `postgres://${PG.user}@${PG.host}:${PG.port}/${db}?sslmode=disable`,
    ]);
    ({ onboarding, status } = await steps(team, { refresh: true }));
    assert.equal(
      status.migrations,
      'done',
      onboarding.steps.find(s => s.id === 'migrations').message,
    );
    assert.equal(onboarding.done, 7);

    // Its docs build in TechDocs with the local generator.
    const sync = await fetch(
      `${BASE}/api/techdocs/sync/default/component/${name}-service`,
      {
        headers: { ...authHeaders(), Accept: 'text/event-stream' },
      },
    );
    const events = await sync.text();
    assert.match(events, /event: finish/, events.slice(-2000));
    const html = await (
      await fetch(
        `${BASE}/api/techdocs/static/docs/default/component/${name}-service/index.html`,
        { headers: authHeaders() },
      )
    ).text();
    assert.match(html, new RegExp(`<h1[^>]*>${name}-service`));
    assert.ok(html.includes('CreatePayment'), 'the built docs lack the RPCs');

    // A domain package importing infrastructure: the step opens with the file and line.
    const leak = join(svcDir, 'internal/domain/entity/leak.go');
    const mod = readFileSync(join(svcDir, 'go.mod'), 'utf8').match(
      /^module (\S+)/m,
    )[1];
    writeFileSync(
      leak,
      `package entity\n\nimport _ "${mod}/internal/infrastructure/config"\n`,
    );
    ({ onboarding, status } = await steps(team, { refresh: true }));
    const rule = onboarding.steps.find(s => s.id === 'dependency-rule');
    assert.equal(rule.status, 'open');
    assert.match(
      rule.message,
      new RegExp(
        `^1 import breaks the dependency rule, first: services/${name}-service/internal/domain/entity/leak\\.go:3 \\(rule domain of services/${name}-service/\\.golangci\\.yml: the domain depends on nothing else in the service\\)`,
      ),
    );
    assert.deepEqual(rule.action, {
      type: 'entity',
      title: 'See the violations',
      entityRef: `component:default/${name}-service`,
      tab: 'architecture',
    });
    assert.equal(onboarding.done, 6);
    // The service's own dependency-rule test agrees.
    const broken = await go(
      ['test', '-count=1', './tests/architecture/'],
      svcDir,
    ).then(
      () => ({ code: 0 }),
      e => e,
    );
    assert.notEqual(
      broken.code,
      0,
      'the architecture test accepted the violation',
    );
    assert.match(broken.stdout, /leak\.go/);
  },
);

test(
  'a run cancelled after publishing is listed with what it left unregistered',
  { timeout: 300_000 },
  async () => {
    const team = `team-c${suffix}`;
    const v = {
      ...values,
      teamName: team,
      projectName: `cancel-${suffix}`,
      localPath: `cancel-${suffix}`,
    };
    const id = await startTask(v);
    // Cancel as soon as the monorepo is published, while the registrations run.
    for (let i = 0; ; i++) {
      const events = await (
        await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}/events`, {
          headers: authHeaders(),
        })
      ).json();
      if (
        events.some(
          e =>
            e.body?.stepId === 'publish-local' &&
            e.body?.status === 'completed',
        )
      )
        break;
      assert.ok(i < 1200, 'the monorepo was never published');
      await new Promise(r => setTimeout(r, 100));
    }
    const cancel = await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}/cancel`, {
      method: 'POST',
      headers: authHeaders(),
    });
    assert.equal(cancel.status, 200, await cancel.clone().text());
    // The scaffolder ends a task whose running step was cancelled as failed.
    const task = await waitForTask(id);
    assert.ok(['cancelled', 'failed'].includes(task.status), await taskLog(id));
    assert.match(await taskLog(id), /has been cancelled/);
    assert.ok(
      existsSync(
        join(
          process.env.GOLDEN_PATH_LOCAL_ROOT,
          v.localPath,
          'catalog-info.yaml',
        ),
      ),
      'the monorepo was not published',
    );
    const system = await fetch(
      `${BASE}/api/catalog/entities/by-name/system/default/${v.projectName}`,
      { headers: authHeaders() },
    );
    assert.equal(
      system.status,
      404,
      'the System was registered although the run was cancelled first',
    );

    const { onboarding } = await steps(team);
    assert.equal(onboarding.runsError, undefined);
    assert.equal(onboarding.runs.length, 1);
    const [r] = onboarding.runs;
    assert.equal(r.taskId, id);
    assert.equal(r.status, 'cancelled');
    assert.equal(
      r.publishedTo,
      `${v.localPath} (under the local publish root)`,
    );
    assert.ok(
      r.unregistered.some(u => u.catalogInfoPath === 'catalog-info.yaml'),
      `the unregistered monorepo is not named: ${JSON.stringify(
        r.unregistered,
      )}`,
    );
    assert.match(
      r.message,
      new RegExp(
        `^The onboarding run of ${team} was cancelled at "Register the (team|monorepo)"\\. It published ${v.localPath} \\(under the local publish root\\) but did not register (the team, )?the monorepo and its System: register (org/${team}\\.yaml, )?catalog-info\\.yaml there`,
      ),
    );
    // Another team's page does not list it.
    assert.deepEqual((await steps(`team-${suffix}`)).onboarding.runs, []);
  },
);
