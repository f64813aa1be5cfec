// The "Onboard a new team" template through the real scaffolder: rendered by
// the harness from the Go monorepo template's own skeletons, refusing a team
// that exists, and run as a real task that publishes locally and registers the
// team's Group and its System.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { ROOT, RESULTS_DIR, assertPortFree, authHeaders, startBackend, stopProcess, waitForUrl } from './lib/processes.mjs';

const run = promisify(execFile);
const BASE = 'http://127.0.0.1:7007';
const TEMPLATE = join(ROOT, 'templates/onboard-team.yaml');
const CLI = join(ROOT, 'packages/cli/bin/golden-path');
const OUT = join(RESULTS_DIR, 'render/onboard-team');
const values = JSON.parse(readFileSync(join(ROOT, 'templates/onboard-team/values/local.json'), 'utf8'));
let backend;

before(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  await assertPortFree(7007);
  backend = startBackend('onboard-team-backend');
  await waitForUrl(`${BASE}/.backstage/health/v1/readiness`, { child: backend });
});

after(async () => {
  if (backend) await stopProcess(backend);
});

async function render(v, out) {
  const file = `${out}.json`;
  writeFileSync(file, JSON.stringify(v));
  return run(process.execPath, [CLI, 'render', TEMPLATE, '--values', file, '--out', out, '--backend', BASE], {
    cwd: ROOT,
  }).then(
    r => ({ code: 0, ...r }),
    e => ({ code: e.code ?? 1, stdout: e.stdout, stderr: e.stderr }),
  );
}

async function waitForTask(id) {
  for (let i = 0; i < 240; i++) {
    const t = await (await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}`, { headers: authHeaders() })).json();
    if (['completed', 'failed', 'cancelled'].includes(t.status)) return t;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`task ${id} did not finish`);
}

test('renders the team and the monorepo from the monorepo template skeleton', async () => {
  const out = join(OUT, 'local');
  const r = await render(values, out);
  assert.equal(r.code, 0, r.stderr);
  const group = YAML.parse(readFileSync(join(out, `org/${values.teamName}.yaml`), 'utf8'));
  assert.equal(group.kind, 'Group');
  assert.equal(group.spec.profile.displayName, values.displayName);
  const docs = YAML.parseAllDocuments(readFileSync(join(out, 'catalog-info.yaml'), 'utf8')).map(d => d.toJSON());
  const system = docs.find(d => d.kind === 'System');
  assert.equal(system.metadata.name, values.projectName);
  assert.equal(system.spec.owner, `group:default/${values.teamName}`);
  assert.equal(system.metadata.annotations['golden-path.dev/monorepo'], values.projectName);
  // The Go monorepo template's own skeleton, not a copy.
  for (const file of ['scripts/init-db.sh', 'pkg/database/database.go']) {
    assert.equal(
      readFileSync(join(out, file), 'utf8'),
      readFileSync(join(ROOT, 'templates/go-monorepo/skeleton', file), 'utf8'),
    );
  }
});

test('refuses a team that already exists, before writing anything', async () => {
  const out = join(OUT, 'existing');
  const r = await render({ ...values, teamName: 'platform-team' }, out);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /the team group:default\/platform-team already exists: pick another name/);
  assert.ok(!existsSync(out));
});

test('refuses a team name with capitals in the form', async () => {
  const out = join(OUT, 'capitals');
  const r = await render({ ...values, teamName: 'Team Orders' }, out);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /teamName must match pattern/);
});

test('a real task publishes locally and registers the Group and the System', { timeout: 300_000 }, async () => {
  const suffix = Date.now().toString(36);
  const v = { ...values, teamName: `team-${suffix}`, projectName: `orders-${suffix}`, localPath: `orders-${suffix}` };
  const created = await fetch(`${BASE}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: { ...authHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ templateRef: 'template:default/onboard-team', values: v }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const task = await waitForTask((await created.json()).id);
  if (task.status !== 'completed') {
    const events = await (await fetch(`${BASE}/api/scaffolder/v2/tasks/${task.id}/events`, { headers: authHeaders() })).json();
    assert.fail(`task ${task.status}:\n${events.map(e => e.body?.message).filter(Boolean).join('\n')}`);
  }
  const group = await fetch(`${BASE}/api/catalog/entities/by-name/group/default/${v.teamName}`, { headers: authHeaders() });
  assert.equal(group.status, 200, 'the Group is not in the catalog');
  const system = await (
    await fetch(`${BASE}/api/catalog/entities/by-name/system/default/${v.projectName}`, { headers: authHeaders() })
  ).json();
  assert.equal(system.spec.owner, `group:default/${v.teamName}`);
  assert.ok(existsSync(join(process.env.GOLDEN_PATH_LOCAL_ROOT, v.localPath, 'pkg/proto/common/v1/money.pb.go')));

  // The team's golden path, computed from the real catalog.
  const onboarding = await (
    await fetch(`${BASE}/api/golden-path/onboarding/default/${v.teamName}`, { headers: authHeaders() })
  ).json();
  const status = Object.fromEntries(onboarding.steps.map(s => [s.id, s.status]));
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
    formData: { owner: `group:default/${v.teamName}`, system: `system:default/${v.projectName}` },
  });
});

test('a team with no entities: only the first step is open', async () => {
  const res = await fetch(`${BASE}/api/golden-path/onboarding/default/team-that-does-not-exist`, {
    headers: authHeaders(),
  });
  assert.equal(res.status, 200);
  const onboarding = await res.json();
  assert.equal(onboarding.done, 0);
  assert.deepEqual(
    onboarding.steps.map(s => s.status),
    ['open', 'blocked', 'blocked', 'blocked', 'blocked', 'blocked', 'blocked'],
  );
  assert.equal((await fetch(`${BASE}/api/golden-path/onboarding/default/x`)).status, 401);
});
