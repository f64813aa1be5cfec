// The config schema cache of the suites' backends (e2e/lib/configSchemaCache.cjs):
// a backend that loads the schema from the cache redacts exactly the secrets
// one that compiles it does, and a broken entry is compiled again rather
// than trusted.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT } from './lib/processes.mjs';

const PRELOAD = join(ROOT, 'e2e/lib/configSchemaCache.cjs');
const cacheDir = mkdtempSync(join(tmpdir(), 'gp-config-schema-'));
after(() => rmSync(cacheDir, { recursive: true, force: true }));

// What the root logger does at start (createConfigSecretEnumerator), on a
// config with secrets at several depths, from packages/backend.
const ENUMERATE = `
const { createConfigSecretEnumerator } = require('@backstage/backend-defaults/rootConfig');
const { ConfigReader } = require('@backstage/config');
const warnings = [];
const logger = { warn: m => warnings.push(m), info: () => {} };
createConfigSecretEnumerator({ logger }).then(enumerate => {
  const secrets = enumerate(new ConfigReader({
    backend: {
      auth: { externalAccess: [{ type: 'static', options: { token: 'token-one', subject: 'ci' } }] },
      database: { client: 'pg', connection: { password: 'db-password', host: 'h' } },
    },
    integrations: { github: [{ host: 'github.com', token: 'gh-token' }] },
    app: { title: 'not a secret' },
  }));
  process.stdout.write(JSON.stringify({ secrets: [...secrets].sort(), warnings }));
});
`;

function enumerate({ cached }) {
  const out = execFileSync(
    process.execPath,
    [...(cached ? ['--require', PRELOAD] : []), '-e', ENUMERATE],
    {
      cwd: join(ROOT, 'packages/backend'),
      env: { ...process.env, GOLDEN_PATH_CACHE_DIR: cacheDir },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return JSON.parse(out);
}

const entries = () => readdirSync(join(cacheDir, 'config-schema'));

test('a schema from the cache redacts the same secrets as a compiled one', () => {
  const compiled = enumerate({ cached: false });
  assert.deepEqual(compiled.secrets, ['db-password', 'gh-token', 'token-one']);
  const stored = enumerate({ cached: true });
  assert.equal(entries().length, 1, 'the first cached load stores one entry');
  const fromCache = enumerate({ cached: true });
  assert.deepEqual(stored, compiled);
  assert.deepEqual(fromCache, compiled);
});

test('an entry that is not a serialized schema is compiled again and replaced', () => {
  const [entry] = entries();
  const file = join(cacheDir, 'config-schema', entry);
  writeFileSync(file, '{"warnings":[],"serialized":{"schemas":"no"}}');
  const again = enumerate({ cached: true });
  assert.deepEqual(again.secrets, ['db-password', 'gh-token', 'token-one']);
  assert.equal(
    JSON.parse(readFileSync(file, 'utf8')).serialized
      .backstageConfigSchemaVersion,
    1,
  );
});
