// Starting and stopping the local Backstage for end-to-end tests.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RESULTS_DIR = join(ROOT, 'test-results');

/** Starts `args` in its own process group, logging to test-results/<name>.log. */
export function startProcess(
  name,
  command,
  args,
  { cwd = ROOT, env = {} } = {},
) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const log = createWriteStream(join(RESULTS_DIR, `${name}.log`));
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.exited = once(child, 'exit');
  return child;
}

const BACKEND_DIR = join(ROOT, 'packages/backend');

/** The node transform `backstage-cli package start` loads, resolved as the CLI resolves it. */
function nodeTransform() {
  let from = join(BACKEND_DIR, 'package.json');
  for (const pkg of ['@backstage/cli', '@backstage/cli-module-build'])
    from = createRequire(from).resolve(`${pkg}/package.json`);
  return createRequire(from).resolve(
    '@backstage/cli-node/config/nodeTransform.cjs',
  );
}

/**
 * Starts the backend package as `yarn start` (`backstage-cli package start`)
 * runs it: its TypeScript entry through Backstage's node transform, source
 * maps on, NODE_ENV development unless set, with extra config files. The
 * yarn and CLI processes around it (about 2 CPU-s a start, and a file
 * watcher the suites never use) are left out, and the config schema the
 * root logger loads for redaction comes from e2e/lib/configSchemaCache.cjs.
 */
export function startBackend(name, { configs = [], env = {} } = {}) {
  const args = [
    '--enable-source-maps',
    '--require',
    nodeTransform(),
    '--require',
    join(import.meta.dirname, 'configSchemaCache.cjs'),
    'src/index.ts',
  ];
  for (const c of configs) args.push('--config', join(ROOT, c));
  return startProcess(name, process.execPath, args, {
    cwd: BACKEND_DIR,
    env: { NODE_ENV: process.env.NODE_ENV || 'development', ...env },
  });
}

/** Stops a process group: SIGINT, then SIGKILL after `graceMs`; resolves with the exit. */
export async function stopProcess(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = sig => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  signalGroup('SIGINT');
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
  signalGroup('SIGKILL'); // children that outlived the leader
}

/** Polls `url` until it answers 2xx, failing early if `child` exits. */
export async function waitForUrl(
  url,
  { child, timeoutMs = 300_000, headers } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(
        `process exited with ${child.exitCode} before ${url} answered`,
      );
    }
    try {
      const res = await fetch(url, { headers });
      if (res.ok) return res;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await sleep(1000);
  }
  throw new Error(
    `${url} did not answer within ${timeoutMs / 1000}s (last: ${last})`,
  );
}

export function token() {
  const t = process.env.GOLDEN_PATH_TOKEN;
  if (!t)
    throw new Error(
      'GOLDEN_PATH_TOKEN is not set: run through scripts/test.sh',
    );
  return t;
}

export const authHeaders = () => ({ Authorization: `Bearer ${token()}` });

/** Fails when something already listens on `port` (a stale backend would answer for ours). */
export async function assertPortFree(port, host = '127.0.0.1') {
  const { connect } = await import('node:net');
  const inUse = await new Promise(resolve => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (inUse)
    throw new Error(
      `port ${port} is already in use: stop the process listening there (a running backend?)`,
    );
}

/** app-config.yaml's backend port, and the README's start command's. */
const DEFAULT_BACKEND_PORT = 7007;

/**
 * The port of the suites' own backend: GOLDEN_PATH_E2E_BACKEND_PORT, else
 * 7007. scripts/test.sh gives its second lane another one, so suites that
 * start their own backend run there beside lane 7007.
 */
export const BACKEND_PORT = (() => {
  const v = process.env.GOLDEN_PATH_E2E_BACKEND_PORT;
  if (!v) return DEFAULT_BACKEND_PORT;
  const port = Number(v);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`GOLDEN_PATH_E2E_BACKEND_PORT=${v} is not a port`);
  return port;
})();

/** Where the suites' backend listens. */
export const BACKEND_URL = `http://127.0.0.1:${BACKEND_PORT}`;

/**
 * The `backend` config that moves a backend to `port`: its base URL (on
 * `baseHost`: localhost as in app-config.yaml, where an app's pages reach
 * it), its listen address, and its reading allow-list (config arrays
 * replace app-config.yaml's localhost:7007).
 */
export function backendOnPort(port, { baseHost = 'localhost' } = {}) {
  return {
    baseUrl: `http://${baseHost}:${port}`,
    listen: { port, host: '127.0.0.1' },
    reading: {
      allow: [{ host: `127.0.0.1:${port}` }, { host: `localhost:${port}` }],
    },
  };
}

/**
 * The config files of the suites' backend `name`: `configs`, and on a port
 * other than 7007 app-config.yaml (when `configs` is empty, as `yarn start`)
 * then test-results/<name>.port.app-config.json moving it to BACKEND_PORT.
 */
function suiteBackendConfigs(name, configs = []) {
  if (BACKEND_PORT === DEFAULT_BACKEND_PORT) return configs;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.port.app-config.json`);
  writeFileSync(
    file,
    JSON.stringify({ backend: backendOnPort(BACKEND_PORT) }, null, 2),
  );
  return [
    ...(configs.length ? configs : ['app-config.yaml']),
    relative(ROOT, file),
  ];
}

/**
 * Starts the suites' backend (as {@link startBackend}) on BACKEND_PORT,
 * which must be free; the suite waits with {@link waitForBackendReady}.
 */
export async function startSuiteBackend(name, { configs, env } = {}) {
  await assertPortFree(BACKEND_PORT);
  return startBackend(name, {
    configs: suiteBackendConfigs(name, configs),
    env,
  });
}

/** Waits until the suites' backend answers its readiness check, failing early if `child` exits. */
export function waitForBackendReady(child) {
  return waitForUrl(`${BACKEND_URL}/.backstage/health/v1/readiness`, {
    child,
  });
}

/**
 * Starts the suites' backend (as {@link startSuiteBackend}) and waits until
 * it is ready; the suite stops it with {@link stopProcess}.
 */
export async function startReadyBackend(name, options) {
  const child = await startSuiteBackend(name, options);
  await waitForBackendReady(child);
  return child;
}

/** The render harness of packages/cli as a library: its TypeScript source through Backstage's transform. */
export async function renderHarness() {
  const { createRequire } = await import('node:module');
  const require = createRequire(join(ROOT, 'packages/cli/package.json'));
  require('@backstage/cli/config/nodeTransform.cjs');
  return require('./src/renderTemplate.ts');
}
