// Boots the real backend on SQLite, lists the templates with the static
// token, checks that auth is enforced, and stops it cleanly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, assertPortFree, authHeaders, startBackend, stopProcess, waitForUrl } from './lib/processes.mjs';

const BASE = 'http://127.0.0.1:7007';
let backend;

before(async () => {
  await assertPortFree(7007);
  backend = startBackend('backend-smoke');
  await waitForUrl(`${BASE}/.backstage/health/v1/readiness`, { child: backend });
});

after(async () => {
  if (backend) await stopProcess(backend);
});

// Template directories (templates/<name>/template.yaml) and top-level template
// files (templates/<name>.yaml, for templates reusing several skeletons).
const templateDirs = readdirSync(join(ROOT, 'templates'))
  .filter(d => existsSync(join(ROOT, 'templates', d, 'template.yaml')) || d.endsWith('.yaml'))
  .map(d => d.replace(/\.yaml$/, ''));

test('lists every template in templates/ through the catalog API', async () => {
  assert.ok(templateDirs.length > 0, 'templates/ holds no template.yaml');
  let names = [];
  for (let i = 0; i < 60; i++) {
    const res = await fetch(`${BASE}/api/catalog/entities?filter=kind=template`, {
      headers: authHeaders(),
    });
    assert.equal(res.status, 200);
    names = (await res.json()).map(e => e.metadata.name).sort();
    if (names.length >= templateDirs.length) break;
    await new Promise(r => setTimeout(r, 1000));
  }
  assert.deepEqual(names, [...templateDirs].sort());
});

test('refuses catalog reads without a token', async () => {
  const res = await fetch(`${BASE}/api/catalog/entities?filter=kind=template`);
  assert.equal(res.status, 401);
});

test('refuses a wrong token', async () => {
  const res = await fetch(`${BASE}/api/catalog/entities`, {
    headers: { Authorization: 'Bearer not-the-token' },
  });
  assert.equal(res.status, 401);
});

test('stops cleanly on SIGINT', async () => {
  await stopProcess(backend, 15_000);
  assert.ok(
    backend.exitCode === 0 || backend.signalCode === 'SIGINT' || backend.exitCode === 130,
    `backend exited with code ${backend.exitCode} signal ${backend.signalCode}`,
  );
  backend = undefined;
});
