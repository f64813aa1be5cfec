// A small template using the bundle's actions, run through the real
// scaffolder's dry-run API (what the Create page's template editor does):
// lint results come back as structured output, actions that run programs named
// by workspace content are skipped, and bad input fails the step with a
// specific message while the backend stays up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, assertPortFree, authHeaders, startBackend, stopProcess, waitForUrl } from './lib/processes.mjs';

const BASE = 'http://127.0.0.1:7007';
const TEMPLATE = join(ROOT, 'e2e/fixtures/actions-template');
let backend;
let api;

before(async () => {
  await assertPortFree(7007);
  backend = startBackend('actions-dry-run-backend');
  await waitForUrl(`${BASE}/.backstage/health/v1/readiness`, { child: backend });
  // The render harness as a library: the CLI package's source through Backstage's transform.
  const { createRequire } = await import('node:module');
  const require = createRequire(join(ROOT, 'packages/cli/package.json'));
  require('@backstage/cli/config/nodeTransform.cjs');
  api = require('./src/renderTemplate.ts');
});

after(async () => {
  if (backend) await stopProcess(backend);
});

const render = values =>
  api.renderTemplate({ templateDir: TEMPLATE, values, backendUrl: BASE, token: authHeaders().Authorization.slice(7) });

test('buf:lint reports violations as output; buf:format and catalog:write run; buf:generate is skipped', async () => {
  const result = await render({ protoDir: 'proto' });
  const status = Object.fromEntries(result.steps.map(s => [s.id, s.status]));
  assert.deepEqual(status, {
    fetch: 'completed',
    lint: 'completed',
    format: 'completed',
    generate: 'skipped',
    catalog: 'completed',
  });
  assert.equal(result.output.lintOk, false);
  const rules = result.output.violations.map(v => `${v.path}:${v.line}:${v.rule}`).sort();
  assert.deepEqual(rules, [
    'order/v1/order_service.proto:17:ENUM_VALUE_PREFIX',
    'order/v1/order_service.proto:17:ENUM_ZERO_VALUE_SUFFIX',
  ]);
  assert.deepEqual(result.output.formatted, ['proto/order/v1/order_service.proto']);
  assert.equal(result.output.entityRef, 'component:default/order-service');
  const files = result.files.map(f => f.path);
  assert.ok(files.includes('catalog-info.yaml'), 'catalog-info.yaml not written');
  assert.ok(!files.some(f => f.startsWith('proto/gen/')), 'buf:generate ran in a dry run');
});

/** Processes of a session: pid, parent, command name (from /proc). */
function sessionProcesses(sid) {
  const out = [];
  for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const [, ppid, , session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(session) === sid) out.push({ pid: Number(pid), ppid: Number(ppid), comm });
  }
  return out;
}

test('the backend starts its tools through one golden-path-launcher, its own child', async t => {
  await render({ protoDir: 'proto' });
  const procs = sessionProcesses(backend.pid);
  const launchers = procs.filter(p => p.comm === 'golden-path-lau'); // comm is cut at 15 characters
  assert.equal(launchers.length, 1, `launchers in the backend session: ${JSON.stringify(procs)}`);
  const parent = procs.find(p => p.pid === launchers[0].ppid);
  const exe = parent ? readlinkSync(`/proc/${parent.pid}/exe`) : '';
  assert.equal(exe, process.execPath, `the launcher's parent is not the Node backend: ${JSON.stringify(parent)}`);
  // For the figures: the memory a fork of this backend would have to copy.
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${parent.pid}/status`, 'utf8'))?.[1];
  t.diagnostic(`backend resident memory: ${Math.round(Number(rss) / 1024)} MiB`);
});

for (const [dir, message] of [
  ['../..', /points outside the task workspace/],
  ['/etc', /workingDirectory/],
  ['proto/missing', /proto\/missing/],
]) {
  test(`a workingDirectory of ${dir} fails the step with a specific message`, async () => {
    const error = await render({ protoDir: dir }).catch(e => e);
    assert.ok(error instanceof Error, 'the dry run succeeded');
    assert.match(error.message, message);
    const health = await fetch(`${BASE}/.backstage/health/v1/readiness`);
    assert.equal(health.status, 200, 'the backend is not healthy after the failure');
  });
}
