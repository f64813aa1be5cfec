// Backend replicas with the production config for end-to-end tests and
// bench/: one PostgreSQL (databases under a fresh prefix), Redis as
// Backstage's cache store (keys under a fresh namespace), each replica on its
// own port, and the scaffolder API of each reached by URL.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ROOT,
  RESULTS_DIR,
  assertPortFree,
  authHeaders,
  startBackend,
  waitForUrl,
} from './processes.mjs';
import { PG, dropDatabasesWithPrefix } from './postgres.mjs';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh PostgreSQL prefix and Redis namespace for one group of replicas. */
export function replicaSet(name) {
  const id = randomBytes(4).toString('hex');
  return {
    name,
    prefix: `gp_e2e_${name}_${id}_`,
    namespace: `gp-e2e-${name}-${id}`,
    dir: join(RESULTS_DIR, name),
  };
}

/**
 * Writes the replica's own config (its URL and port, the set's Redis
 * namespace, `extra` on top) and starts it with app-config.yaml and
 * app-config.production.yaml before it; resolves once it is ready.
 */
export async function startReplica(
  set,
  port,
  extra = {},
  { ready = true } = {},
) {
  await assertPortFree(port);
  mkdirSync(set.dir, { recursive: true });
  const url = `http://127.0.0.1:${port}`;
  const config = join(set.dir, `app-config.replica-${port}.json`);
  writeFileSync(
    config,
    JSON.stringify(
      merge(
        {
          app: { baseUrl: url },
          backend: {
            baseUrl: url,
            listen: `127.0.0.1:${port}`,
            reading: { allow: [{ host: `127.0.0.1:${port}` }] },
            cache: { redis: { client: { namespace: set.namespace } } },
          },
        },
        extra,
      ),
      null,
      2,
    ),
  );
  const child = startBackend(`${set.name}-${port}`, {
    configs: [
      'app-config.yaml',
      'app-config.production.yaml',
      relative(ROOT, config),
    ],
    env: {
      POSTGRES_HOST: PG.host,
      POSTGRES_PORT: PG.port,
      POSTGRES_USER: PG.user,
      POSTGRES_PASSWORD: '',
      POSTGRES_DB_PREFIX: set.prefix,
      REDIS_URL,
    },
  });
  const replica = {
    port,
    url,
    child,
    log: join(RESULTS_DIR, `${set.name}-${port}.log`),
  };
  if (ready)
    await waitForUrl(`${url}/.backstage/health/v1/readiness`, { child });
  return replica;
}

function merge(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      typeof a[k] === 'object'
        ? merge(a[k], v)
        : v;
  }
  return out;
}

/** The PID of the backend process itself (the one listening on the port), not `yarn start`'s. */
export function listenerPid(port) {
  const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], {
    encoding: 'utf8',
  });
  const m = /pid=(\d+)/.exec(out);
  assert.ok(m, `nothing listens on port ${port}: ${out}`);
  return Number(m[1]);
}

/** Processes as [pid, ppid, command line]. */
export function processes() {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(l => {
      const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l);
      return [Number(m[1]), Number(m[2]), m[3]];
    });
}

/** Descendants of `pid` (children, their children, ...). */
export function descendants(pid, list = processes()) {
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    for (const proc of list) {
      if (proc[1] === p) {
        out.push(proc);
        queue.push(proc[0]);
      }
    }
  }
  return out;
}

/**
 * Stops `pid` with SIGSTOP and resolves once every thread of it is stopped
 * (state T in /proc): the signal is delivered asynchronously, and until then
 * the process may still run, and send queries, for a while.
 */
export async function freeze(pid, timeoutMs = 5000) {
  process.kill(pid, 'SIGSTOP');
  const state = stat => stat[stat.lastIndexOf(')') + 2];
  await until(
    `process ${pid} stopped`,
    () =>
      readdirSync(`/proc/${pid}/task`).every(t =>
        /[Tt]/.test(state(readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8'))),
      ),
    { timeoutMs, everyMs: 10 },
  );
}

/** Starts a task through the replica at `base`; resolves its id. */
export async function submitTask(base, templateRef, values) {
  const res = await fetch(`${base}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: { ...authHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ templateRef, values }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).id;
}

export async function getJson(url) {
  const res = await fetch(url, { headers: authHeaders() });
  assert.ok(res.ok, `${url}: HTTP ${res.status} ${await res.clone().text()}`);
  return res.json();
}

export const taskEvents = (base, id) =>
  getJson(`${base}/api/scaffolder/v2/tasks/${id}/events`);

/** Polls a task at `base` until it ends; returns it with its events and log. */
export async function waitForTaskAt(base, id, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const t = await getJson(`${base}/api/scaffolder/v2/tasks/${id}`);
    if (['completed', 'failed', 'cancelled'].includes(t.status)) {
      t.events = await taskEvents(base, id);
      t.log = t.events
        .map(e => e.body?.message)
        .filter(Boolean)
        .join('\n');
      return t;
    }
    await sleep(500);
  }
  throw new Error(`task ${id} did not end within ${timeoutMs / 1000}s`);
}

/** Polls `fn` until it returns a truthy value. */
export async function until(
  what,
  fn,
  { timeoutMs = 60_000, everyMs = 500 } = {},
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000}s`);
    await sleep(everyMs);
  }
}

/** Redis commands through redis-cli (Debian's redis-tools). */
export function redis(...args) {
  return execFileSync('redis-cli', ['-u', REDIS_URL, '--raw', ...args], {
    encoding: 'utf8',
  }).trim();
}

/** Keys of the set's namespace matching `pattern`. */
export const redisKeys = (set, pattern = '*') =>
  redis('--scan', '--pattern', `${set.namespace}:${pattern}`)
    .split('\n')
    .filter(Boolean);

/** Drops the set's databases and Redis keys. */
export function cleanUpReplicaSet(set) {
  dropDatabasesWithPrefix(set.prefix);
  for (const key of redisKeys(set)) redis('del', key);
}

/** The lines of a replica's log, for a failing assertion. */
export const logTail = (replica, n = 30) =>
  readFileSync(replica.log, 'utf8').split('\n').slice(-n).join('\n');
