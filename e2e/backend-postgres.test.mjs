// Boots the same backend with app-config.production.yaml against the local
// PostgreSQL, in databases of a fresh prefix that are dropped afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  BACKEND_URL,
  authHeaders,
  startReadyBackend,
  stopProcess,
} from './lib/processes.mjs';
import {
  PG,
  databasesWithPrefix,
  dropDatabasesWithPrefix,
} from './lib/postgres.mjs';

const BASE = BACKEND_URL;
const prefix = `gp_e2e_${randomBytes(4).toString('hex')}_`;
let backend;

before(async () => {
  backend = await startReadyBackend('backend-postgres', {
    configs: ['app-config.yaml', 'app-config.production.yaml'],
    env: {
      POSTGRES_HOST: PG.host,
      POSTGRES_PORT: PG.port,
      POSTGRES_USER: PG.user,
      POSTGRES_PASSWORD: '',
      POSTGRES_DB_PREFIX: prefix,
      // The production config's shared cache, and local roots declared shared (one process here).
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      APP_CONFIG_goldenPath_localRootsShared: 'true',
    },
  });
});

after(async () => {
  if (backend) await stopProcess(backend);
  dropDatabasesWithPrefix(prefix);
});

test('keeps its plugin databases in PostgreSQL under the configured prefix', () => {
  const dbs = databasesWithPrefix(prefix);
  assert.ok(
    dbs.includes(`${prefix}catalog`),
    `no ${prefix}catalog among ${dbs.join(', ')}`,
  );
  assert.ok(
    dbs.includes(`${prefix}scaffolder`),
    `no ${prefix}scaffolder among ${dbs.join(', ')}`,
  );
});

test('serves templates from the catalog stored in PostgreSQL', async () => {
  let count = 0;
  for (let i = 0; i < 60 && count === 0; i++) {
    const res = await fetch(
      `${BASE}/api/catalog/entities?filter=kind=template`,
      { headers: authHeaders() },
    );
    assert.equal(res.status, 200);
    count = (await res.json()).length;
    if (!count) await new Promise(r => setTimeout(r, 1000));
  }
  assert.ok(count > 0, 'no templates listed');
});

test('drops its databases after the run', async () => {
  await stopProcess(backend, 15_000);
  backend = undefined;
  dropDatabasesWithPrefix(prefix);
  assert.deepEqual(databasesWithPrefix(prefix), []);
});
