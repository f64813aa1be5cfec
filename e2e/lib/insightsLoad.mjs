// Insights under load, for e2e/insights-load.test.mjs and bench/insights-load.mjs:
// a fleet of Go services (copies of the service the Go service template
// rendered, plugins/golden-path-backend/src/__fixtures__/go-service, each its
// own monorepo under the local root, registered in the catalog as
// load-NN-service), one backend (app-config.yaml: SQLite, Backstage's memory
// cache store) with the event-loop probe (loopProbe.cjs) preloaded, and
// concurrent users each loading the Architecture tab of one service: the one
// request the tab makes, GET /api/golden-path/entities/component/default/<name>/insights
// (plugins/golden-path/src/api/GoldenPathInsightsClient.ts).
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ROOT,
  RESULTS_DIR,
  assertPortFree,
  authHeaders,
  startBackend,
  stopProcess,
  waitForUrl,
} from './processes.mjs';
import { PG, psql } from './postgres.mjs';
import { listenerPid, until } from './replicas.mjs';

const FIXTURE = join(
  ROOT,
  'plugins/golden-path-backend/src/__fixtures__/go-service',
);
const SERVICE_DIR = 'services/ledger-service';
const MIB = 1024 * 1024;

/** `load-07-service`. */
export const serviceName = i =>
  `load-${String(i + 1).padStart(2, '0')}-service`;

/**
 * Writes `count` copies of the rendered service under `<localRoot>/insights-load-<id>/`,
 * each a monorepo of its own, and a catalog file with one Component each
 * (the annotations golden-path:catalog:write gives a service).
 */
export function writeFleet(localRoot, count) {
  const id = randomBytes(4).toString('hex');
  const root = join(localRoot, `insights-load-${id}`);
  const docs = [];
  for (let i = 0; i < count; i++) {
    const name = serviceName(i);
    const repo = join(root, name);
    cpSync(FIXTURE, repo, { recursive: true });
    docs.push(
      JSON.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          annotations: {
            'golden-path.dev/go-service': SERVICE_DIR,
            'golden-path.dev/migrations-dir': 'db/migrations',
            'backstage.io/source-location': `dir:${repo}/`,
          },
        },
        spec: {
          type: 'service',
          lifecycle: 'experimental',
          owner: 'group:default/platform-team',
        },
      }),
    );
  }
  const catalogFile = join(root, 'catalog-info.yaml');
  writeFileSync(catalogFile, `${docs.join('\n---\n')}\n`);
  return {
    id,
    root,
    catalogFile,
    names: docs.map((_, i) => serviceName(i)),
    database: `gp_e2e_insights_load_${id}`,
  };
}

/** Removes the fleet's copies and its database. */
export function removeFleet(fleet) {
  rmSync(fleet.root, { recursive: true, force: true });
  psql(`drop database if exists "${fleet.database}" with (force)`);
}

/**
 * Starts the backend on `port` with app-config.yaml, the fleet as its only
 * catalog location, the given cache limits and access cache
 * (`goldenPath.insights.accessCache`, e.g. `{ ttl: '0s' }` to check every
 * request; the plugin's default without it); every service's migrations
 * are compared with one empty database (a pool per service, as a database
 * per service would have). Resolves once every service is in the catalog.
 */
export async function startLoadBackend(
  fleet,
  {
    port,
    localRoot,
    cacheLimits,
    accessCache,
    analysisWorker,
    name = 'insights-load',
  },
) {
  await assertPortFree(port);
  psql(`create database "${fleet.database}"`);
  const url = `http://127.0.0.1:${port}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const config = join(RESULTS_DIR, `${name}.app-config.json`);
  writeFileSync(
    config,
    JSON.stringify(
      {
        backend: {
          baseUrl: url,
          listen: { port, host: '127.0.0.1' },
          reading: { allow: [{ host: `127.0.0.1:${port}` }] },
        },
        catalog: {
          locations: [{ type: 'file', target: fleet.catalogFile }],
        },
        goldenPath: {
          insights: {
            cacheTtl: { minutes: 10 },
            cacheLimits,
            ...(accessCache ? { accessCache } : {}),
            ...(analysisWorker === undefined
              ? {}
              : { analysisWorker: { enabled: analysisWorker } }),
            localRoots: [localRoot],
            migrations: {
              environments: [
                {
                  name: 'local',
                  // a socket directory as the host (POSTGRES_HOST=/var/run/postgresql) percent-encoded
                  url: `postgres://${PG.user}@${encodeURIComponent(PG.host)}:${
                    PG.port
                  }/${
                    fleet.database
                  }?sslmode=disable&application_name=insights-load-{entity}`,
                },
              ],
            },
          },
        },
      },
      null,
      2,
    ),
  );
  const probeDir = mkdtempSync(join(tmpdir(), 'gp-loop-'));
  const child = startBackend(name, {
    configs: ['app-config.yaml', relative(ROOT, config)],
    env: {
      GOLDEN_PATH_LOOP_PROBE_DIR: probeDir,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(
        ROOT,
        'e2e/lib/loopProbe.cjs',
      )}`.trim(),
    },
  });
  const backend = {
    url,
    port,
    child,
    probeDir,
    log: join(RESULTS_DIR, `${name}.log`),
  };
  try {
    await untilReady(backend, fleet);
  } catch (e) {
    await stopProcess(child);
    throw e;
  }
  return backend;
}

/** Ready, the fleet in the catalog, the start-up work done, a user signed in. */
async function untilReady(backend, fleet) {
  const { url, child } = backend;
  const t0 = Date.now();
  await waitForUrl(`${url}/.backstage/health/v1/readiness`, { child });
  backend.readyMs = Date.now() - t0;
  await until(
    `the ${fleet.names.length} services in the catalog`,
    async () => {
      const res = await fetch(
        `${url}/api/catalog/entities/by-query?filter=kind=component&limit=1000&fields=metadata.name`,
        { headers: authHeaders() },
      );
      if (!res.ok) return false;
      const { items } = await res.json();
      const names = new Set(items.map(e => e.metadata.name));
      return fleet.names.every(n => names.has(n));
    },
    { timeoutMs: 120_000, everyMs: 500 },
  );
  backend.catalogMs = Date.now() - t0 - backend.readyMs;
  backend.pid = listenerPid(backend.port);
  await untilSettled(backend, { timeoutMs: 90_000 });
  backend.userToken = await guestToken(url);
}

/**
 * A user's token, as the app gets it when someone signs in as guest
 * (app-config.yaml's guest provider): the load's requests carry it, so the
 * catalog read and the permission check run as for a person.
 */
export async function guestToken(url) {
  const res = await fetch(
    `${url}/api/auth/guest/refresh?optional&env=development`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  if (!res.ok)
    throw new Error(
      `guest sign-in: HTTP ${
        res.status
      } ${await res.text()} (app-config.yaml's auth.providers.guest)`,
    );
  const token = (await res.json()).backstageIdentity?.token;
  if (!token) throw new Error('guest sign-in: no backstageIdentity.token');
  return token;
}

/** What the tab requests (its one call), and what the entity page requests first (the entity). */
export const REQUESTS = {
  insights: name =>
    `/api/golden-path/entities/component/default/${name}/insights`,
  entity: name => `/api/catalog/entities/by-name/component/default/${name}`,
};

/** Stops the backend and removes its probe's sockets. */
export async function stopLoadBackend(backend) {
  for (const agent of backend.users ?? []) agent.destroy();
  await stopProcess(backend.child);
  rmSync(backend.probeDir, { recursive: true, force: true });
}

// Backstage's search collates the catalog and TechDocs 3 s after start-up,
// one after the other (search.collators.*.schedule, every 10 min), then
// builds its in-memory (Lunr) index in one synchronous call: 100 ms and more
// of the event loop, which the load once measured as its longest block. The
// start of each collation is logged, then its end.
const SEARCH_COLLATORS = ['software-catalog', 'techdocs'];

/**
 * Waits until the start-up work is done: the catalog's first processing and
 * the search index (blocks of 100 ms and more) would otherwise be measured as
 * the load's. Each wait that outlasts `timeoutMs` says so in one line and the
 * load goes on. `backend.settleMs`: how long it took.
 */
export async function untilSettled(backend, { timeoutMs }) {
  const t0 = Date.now();
  await untilSearchIndexed(backend, { timeoutMs });
  await untilIdle(backend, { timeoutMs });
  backend.settleMs = Date.now() - t0;
}

/** Waits until the backend's log says each search collator ran once (at most `timeoutMs`). */
async function untilSearchIndexed(backend, { timeoutMs }) {
  const done = type =>
    new RegExp(`Collating documents for ${type} (succeeded|failed)`);
  const deadline = Date.now() + timeoutMs;
  let pending = SEARCH_COLLATORS;
  while (pending.length) {
    const log = readFileSync(backend.log, 'utf8');
    pending = pending.filter(type => !done(type).test(log));
    if (!pending.length) return;
    if (Date.now() > deadline) {
      process.stdout.write(
        `# search collation not logged as done within ${
          timeoutMs / 1000
        }s for ${pending.join(', ')}: measuring anyway\n`,
      );
      return;
    }
    await sleep(250);
  }
}

const IDLE_WINDOW_MS = 2000;
const IDLE_BUSY_MS = 20;

/** The event loop's busiest moment: main-thread CPU time where the probe has it, else the timer's delay. */
export const loopBusyMs = eventLoop =>
  eventLoop.maxBusyMs ?? eventLoop.maxBlockMs;

/**
 * Waits for a 2 s window in which no work held the backend's event loop over
 * 20 ms (main-thread CPU time, so a machine busy with the other test lane
 * does not count as the backend's work), at most `timeoutMs`.
 */
async function untilIdle(backend, { timeoutMs }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    await probe(backend, '/reset', 'POST');
    await sleep(IDLE_WINDOW_MS);
    const { eventLoop } = await probe(backend, '/figures');
    if (loopBusyMs(eventLoop) < IDLE_BUSY_MS) return;
    last = eventLoop;
    if (Date.now() > deadline) break;
  }
  process.stdout.write(
    `# the backend was not idle within ${
      timeoutMs / 1000
    }s (last 2 s window: ${loopBusyMs(last).toFixed(
      1,
    )} ms busy, ${last.maxBlockMs.toFixed(1)} ms blocked): measuring anyway\n`,
  );
}

/** The probe inside the backend: `GET /figures`, `POST /reset`, `POST /gc`. */
export function probe(backend, path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: join(backend.probeDir, `${backend.pid}.sock`),
        path,
        method,
      },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', d => (body += d));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(body))
            : reject(new Error(`probe ${path}: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The backend's insights cache figures (`GET /api/golden-path/insights-cache`). */
export async function cacheStats(backend) {
  const res = await fetch(`${backend.url}/api/golden-path/insights-cache`, {
    headers: authHeaders(),
  });
  if (!res.ok)
    throw new Error(`insights-cache: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** Live memory after a full GC, and the probe's counters restarted. */
async function settle(backend) {
  await probe(backend, '/gc', 'POST');
  return (await probe(backend, '/reset', 'POST')).memory;
}

const percentile = (xs, p) => {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
};

function summarize(xs) {
  return {
    n: xs.length,
    p50: percentile(xs, 0.5),
    p95: percentile(xs, 0.95),
    max: Math.max(...xs),
  };
}

/** Polls the liveness check every `everyMs` until `stop()`; resolves the latencies. */
export function pollHealth(backend, everyMs = 25) {
  let running = true;
  const latencies = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const done = (async () => {
    while (running) {
      const { ms } = await timedGet(
        `${backend.url}/.backstage/health/v1/liveness`,
        { agent },
      );
      latencies.push(ms);
      await sleep(everyMs);
    }
    agent.destroy();
    return latencies;
  })();
  return () => {
    running = false;
    return done;
  };
}

/**
 * User `i`'s connection to the backend, kept from one phase to the next as
 * a browser keeps the one its app has open (closed by stopLoadBackend).
 */
function userAgent(backend, i) {
  backend.users ??= [];
  backend.users[i] ??= new Agent({ keepAlive: true, maxSockets: 1 });
  return backend.users[i];
}

/**
 * One GET as a browser tab makes it (gzip accepted, the connection kept
 * alive for the user's next load), timed from the request to the response's
 * last byte. The body is kept as it came: decoding and parsing it are the
 * client's own work, done after the phase so that one user's decoding does
 * not hold another user's response unread (a browser decodes on its network
 * thread; this load has one JavaScript thread for every user).
 */
function timedGet(url, { agent, headers }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      { agent, headers: { ...headers, 'Accept-Encoding': 'gzip' } },
      res => {
        const chunks = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            ms: performance.now() - started,
            status: res.statusCode,
            encoding: res.headers['content-encoding'],
            raw: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A timed response's body as JSON (gunzipped where it came gzipped). */
function responseJson({ encoding, raw }) {
  const bytes = encoding === 'gzip' ? gunzipSync(raw) : raw;
  return JSON.parse(bytes.toString('utf8'));
}

/**
 * One phase: `users` concurrent users, user i loading the Architecture tab
 * of `names[i]` `rounds` times in a row. Measures each response, the event
 * loop inside the backend, the health check polled meanwhile, live memory
 * before and after, the cache figures after, and the load's own CPU time
 * (this process: requests, health polls, not the decoding after).
 */
export async function runPhase(
  backend,
  label,
  names,
  { rounds = 1, request: path = REQUESTS.insights } = {},
) {
  const memoryBefore = await settle(backend);
  const headers = { Authorization: `Bearer ${backend.userToken}` };
  const stopHealth = pollHealth(backend);
  const responses = [];
  const t0 = performance.now();
  const loadCpu = process.cpuUsage();
  await Promise.all(
    names.map(async (name, user) => {
      const agent = userAgent(backend, user);
      for (let r = 0; r < rounds; r++) {
        const response = await timedGet(`${backend.url}${path(name)}`, {
          agent,
          headers,
        });
        responses.push({ name, ...response });
      }
    }),
  );
  const { user, system } = process.cpuUsage(loadCpu);
  const wallMs = performance.now() - t0;
  const health = await stopHealth();
  const { eventLoop, memory: peak, cpuMs } = await probe(backend, '/figures');
  const memoryAfter = (await settle(backend)) ?? {};
  const failures = [];
  for (const { name, status, ...response } of responses) {
    let body;
    try {
      body = responseJson(response);
    } catch (error) {
      failures.push(
        `${name}: HTTP ${status}, a body that is not JSON: ${error}`,
      );
      continue;
    }
    if (status !== 200)
      failures.push(`${name}: HTTP ${status} ${body.error?.message}`);
    else if (path === REQUESTS.insights && !body.layers?.packages?.length)
      failures.push(`${name}: no packages in the layers`);
  }
  return {
    label,
    users: names.length,
    requests: responses.length,
    wallMs,
    latency: summarize(responses.map(r => r.ms)),
    health: summarize(health),
    eventLoop,
    // the backend's CPU time per request (the health checks included)
    cpuMsPerRequest: cpuMs / responses.length,
    // the load's: what it took from the two cores the backend runs on
    loadCpuMsPerRequest: (user + system) / 1000 / responses.length,
    memory: {
      before: memoryBefore,
      peakRss: peak.peakRss,
      peakHeapUsed: peak.peakHeapUsed,
      after: memoryAfter,
    },
    cache: await cacheStats(backend),
    failures,
  };
}

/**
 * The load (on a fleet of 2 × `users` + 1 services, the last analysed once
 * first, unmeasured): `users` users on the first `users` services cold, the same
 * again cached (`cachedRounds` each), the same users reading only the
 * entity from the catalog (the floor of any entity-page request), then the
 * same number of users on the rest of the fleet (cold, beyond the cache
 * limit: evictions).
 */
export async function runLoad(backend, fleet, { users, cachedRounds = 5 }) {
  const first = fleet.names.slice(0, users);
  const rest = fleet.names.slice(users, users * 2);
  const warmUp = fleet.names[users * 2];
  const phases = [];
  // A running backend has the analysis code compiled (JIT) already: one
  // service of the fleet, analysed once before, is not measured.
  if (warmUp) await runPhase(backend, 'warm-up', [warmUp]);
  phases.push(await runPhase(backend, 'cold', first));
  phases.push(
    await runPhase(backend, 'cached', first, { rounds: cachedRounds }),
  );
  // the floor: the entity page's own request, the catalog read the insights route also makes
  phases.push(
    await runPhase(backend, 'entity only (catalog)', first, {
      rounds: cachedRounds,
      request: REQUESTS.entity,
    }),
  );
  if (rest.length)
    phases.push(await runPhase(backend, 'cold, rest of the fleet', rest));
  return phases;
}

const f0 = x => (Number.isFinite(x) ? x.toFixed(0) : '-');
/** What the two event-loop columns say (both tables print it). */
export const LOOP_COLUMNS =
  "loop max: the longest a 5 ms timer fired late (wall time: a backend waiting for one of the machine's cores counts); loop busy max: the most main-thread CPU time between two ticks (work that held the loop)";
const f1 = x => (Number.isFinite(x) ? x.toFixed(1) : '-');
const mib = b => `${(b / MIB).toFixed(0)}`;

/** The figures as a table, one row per phase. */
export function formatLoad(phases, { cores, fleetSize }) {
  const head = [
    'phase',
    'users',
    'req',
    'p50 ms',
    'p95 ms',
    'max ms',
    'CPU ms/req',
    'load CPU ms/req',
    'loop max ms',
    'loop busy max ms',
    'loop p99 ms',
    'health p95/max ms',
    'RSS before/peak/after MiB',
    'heap before/after MiB',
    'cache entries/max',
    'cache MiB/max',
    'evictions',
    'access hits/misses',
    'db pools',
  ];
  const rows = phases.map(p => [
    p.label,
    p.users,
    p.requests,
    f0(p.latency.p50),
    f0(p.latency.p95),
    f0(p.latency.max),
    f1(p.cpuMsPerRequest),
    f1(p.loadCpuMsPerRequest),
    f1(p.eventLoop.maxBlockMs),
    f1(p.eventLoop.maxBusyMs ?? NaN),
    f1(p.eventLoop.p99BlockMs),
    `${f0(p.health.p95)}/${f0(p.health.max)}`,
    `${mib(p.memory.before.rss)}/${mib(p.memory.peakRss)}/${mib(
      p.memory.after.rss,
    )}`,
    `${mib(p.memory.before.heapUsed)}/${mib(p.memory.after.heapUsed)}`,
    `${p.cache.entries}/${p.cache.maxEntries}`,
    `${f1(p.cache.bytes / MIB)}/${f1(p.cache.maxBytes / MIB)}`,
    p.cache.evictions,
    p.cache.access ? `${p.cache.access.hits}/${p.cache.access.misses}` : '-',
    p.cache.databasePools,
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map(r => String(r[i]).length)),
  );
  const line = r => r.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
  return [
    `insights under load: ${fleetSize} services in the fleet, ${cores} cores`,
    line(head),
    widths.map(w => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
    'targets (issue 20): a load 1 s cold, 50 ms cached; the event loop never blocked 50 ms',
    "CPU ms/req: the backend's (every thread); load CPU ms/req: this process's, sending the requests and reading the responses on the same two cores",
    LOOP_COLUMNS,
  ].join('\n');
}
