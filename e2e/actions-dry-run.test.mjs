// A small template using the bundle's actions, run through the real
// scaffolder's dry-run API (what the Create page's template editor does):
// lint results come back as structured output, actions that run programs named
// by workspace content are skipped, and bad input fails the step with a
// specific message while the backend stays up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
