// The fleet view under load, for e2e/fleet.test.mjs and bench/fleet.mjs: a
// fleet of MONOREPOS × PER_MONOREPO golden-path Go services. The Go service
// template renders a service once (the backend tests' fixture
// plugins/golden-path-backend/src/__fixtures__/go-service, made by a real
// scaffolder task and drift-checked by e2e/insights-page.test.mjs); the fleet
// is copies of it: each monorepo `fleet-<id>-mNN/` under the local root holds
// services/acctNNSS-service/ (the rendered service's files, hard-linked, so
// 500 services cost a second and no disk) and api/proto/acctNNSS/v1/ (its
// proto with the package renamed after the service), one catalog Component
// each (owner one of five teams, System the monorepo). Some services are
// changed the way a fleet drifts: every 7th records the older template
// version 0.9.0 (upgrade available), every 11th has an upgrade branch in its
// monorepo's .git, every 13th a domain file importing an adapter
// (dependency-rule violation). Every service's migrations are compared with
// one empty database (environment "local": all pending).
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  RESULTS_DIR,
  ROOT,
  assertPortFree,
  authHeaders,
  backendOnPort,
  startBackend,
  startProcess,
  stopProcess,
  waitForUrl,
} from './processes.mjs';
import { PG, psql } from './postgres.mjs';
import {
  LOOP_COLUMNS,
  guestToken,
  pollHealth,
  probe,
  untilSettled,
} from './insightsLoad.mjs';
import { listenerPid, until } from './replicas.mjs';

const FIXTURE = join(
  ROOT,
  'plugins/golden-path-backend/src/__fixtures__/go-service',
);
const SERVICE = join(FIXTURE, 'services/ledger-service');
const PROTO = join(FIXTURE, 'api/proto/ledger/v1/ledger_service.proto');
export const TEAMS = ['payments', 'orders', 'ledger', 'risk', 'platform'].map(
  t => `group:default/team-${t}`,
);
export const OLD_VERSION = '0.9.0';

/** Hard-links (or copies, across devices) every file of `from` into `to`. */
function linkTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const a = join(from, e.name);
    const b = join(to, e.name);
    if (e.isDirectory()) linkTree(a, b);
    else {
      try {
        linkSync(a, b);
      } catch {
        copyFileSync(a, b);
      }
    }
  }
}

/** Replaces a hard-linked file by its own copy with `content`. */
function rewrite(file, content) {
  rmSync(file, { force: true });
  writeFileSync(file, content);
}

/**
 * Writes the fleet under `<localRoot>/fleet-<id>-mNN/` and its catalog file;
 * resolves what the test asserts against (the services changed, by kind).
 */
export function writeFleet(
  localRoot,
  { monorepos = 10, perMonorepo = 50 } = {},
) {
  const id = randomBytes(4).toString('hex');
  const docs = [];
  const names = [];
  const behind = [];
  const branches = [];
  const violations = [];
  const roots = [];
  const proto = readFileSync(PROTO, 'utf8');
  const values = JSON.parse(
    readFileSync(join(SERVICE, '.golden-path/values.json'), 'utf8'),
  );
  for (let m = 0; m < monorepos; m++) {
    const mm = String(m + 1).padStart(2, '0');
    const repo = join(localRoot, `fleet-${id}-m${mm}`);
    roots.push(repo);
    const system = `fleet-${id}-m${mm}`;
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: system },
      spec: { owner: TEAMS[m % TEAMS.length] },
    });
    for (let s = 0; s < perMonorepo; s++) {
      const i = m * perMonorepo + s;
      const base = `acct${mm}${String(s + 1).padStart(2, '0')}`;
      const name = `${base}-service`;
      const dir = join(repo, 'services', name);
      linkTree(SERVICE, dir);
      const protoDir = join(repo, 'api/proto', base, 'v1');
      mkdirSync(protoDir, { recursive: true });
      writeFileSync(
        join(protoDir, `${base}_service.proto`),
        proto
          .replace(/package ledger\.v1;/, `package ${base}.v1;`)
          .replace(/ledger-service/g, name),
      );
      if (i % 7 === 3) {
        rewrite(
          join(dir, '.golden-path/values.json'),
          JSON.stringify(
            {
              ...values,
              templateVersion: {
                ...values.templateVersion,
                version: OLD_VERSION,
              },
            },
            null,
            2,
          ),
        );
        behind.push(name);
      }
      if (i % 11 === 5) {
        const heads = join(repo, '.git/refs/heads/golden-path');
        mkdirSync(heads, { recursive: true });
        const branch = `upgrade-${name}-${randomBytes(6).toString('hex')}`;
        writeFileSync(join(heads, branch), `${'0'.repeat(40)}\n`);
        branches.push({ name, branch: `golden-path/${branch}` });
      }
      if (i % 13 === 7) {
        writeFileSync(
          join(dir, 'internal/domain/entity/fleet_violation.go'),
          'package entity\n\nimport _ "github.com/acme/ledger-service/internal/adapter/outbound/persistence"\n',
        );
        violations.push(name);
      }
      names.push(name);
      docs.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          annotations: {
            'golden-path.dev/go-service': `services/${name}`,
            'golden-path.dev/migrations-dir': 'db/migrations',
            'backstage.io/source-location': `dir:${repo}/`,
          },
        },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: TEAMS[(m + s) % TEAMS.length],
          system,
        },
      });
    }
  }
  const catalogFile = join(localRoot, `fleet-${id}.catalog-info.yaml`);
  writeFileSync(
    catalogFile,
    `${docs.map(d => JSON.stringify(d)).join('\n---\n')}\n`,
  );
  return {
    id,
    roots,
    catalogFile,
    names,
    behind,
    branches,
    violations,
    systems: roots.map(
      (_, m) => `fleet-${id}-m${String(m + 1).padStart(2, '0')}`,
    ),
    database: `gp_e2e_fleet_${id}`,
  };
}

/** Removes the fleet's monorepos, its catalog file and its database. */
export function removeFleet(fleet) {
  for (const r of fleet.roots) rmSync(r, { recursive: true, force: true });
  rmSync(fleet.catalogFile, { force: true });
  psql(`drop database if exists "${fleet.database}" with (force)`);
}

/**
 * Starts the backend on `port` (app-config.yaml, the fleet as its only
 * catalog location besides the templates, the insights' default cache
 * limits, one migration environment "local" on the fleet's empty database,
 * the event-loop probe preloaded) and, with `appPort`, the app's dev server
 * on that port talking to it. Own ports, so a product started elsewhere on
 * 7007/3000 is left alone. Resolves once every service is in the catalog,
 * the start-up work is done and a guest user is signed in.
 */
export async function startFleetBackend(
  fleet,
  { port, appPort, localRoot, name = 'fleet', analysisWorker },
) {
  await assertPortFree(port);
  if (appPort) await assertPortFree(appPort);
  // the fleet's own database, fresh for each backend started on it
  psql(`drop database if exists "${fleet.database}" with (force)`);
  psql(`create database "${fleet.database}"`);
  const url = `http://127.0.0.1:${port}`;
  const appUrl = appPort ? `http://localhost:${appPort}` : undefined;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const config = join(RESULTS_DIR, `${name}.app-config.json`);
  writeFileSync(
    config,
    JSON.stringify(
      {
        ...(appUrl
          ? {
              app: {
                baseUrl: appUrl,
                listen: { host: 'localhost', port: appPort },
              },
            }
          : {}),
        backend: {
          // the app's pages reach it as localhost (same site as the app,
          // as in the README's start command); the tests as 127.0.0.1
          ...backendOnPort(port, {
            baseHost: appUrl ? 'localhost' : '127.0.0.1',
          }),
          ...(appUrl
            ? {
                cors: {
                  origin: appUrl,
                  methods: ['GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'DELETE'],
                  credentials: true,
                },
              }
            : {}),
        },
        catalog: { locations: [{ type: 'file', target: fleet.catalogFile }] },
        goldenPath: {
          insights: {
            cacheTtl: { minutes: 10 },
            localRoots: [localRoot],
            ...(analysisWorker === undefined
              ? {}
              : { analysisWorker: { enabled: analysisWorker } }),
            migrations: {
              environments: [
                {
                  name: 'local',
                  url: `postgres://${PG.user}@${encodeURIComponent(PG.host)}:${
                    PG.port
                  }/${
                    fleet.database
                  }?sslmode=disable&application_name=fleet-{entity}`,
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
  const configs = ['app-config.yaml', relative(ROOT, config)];
  const probeDir = mkdtempSync(join(tmpdir(), 'gp-loop-'));
  // an empty publish root of its own: the catalog's discovery of local
  // monorepos (app-config.yaml) sees neither the fleet nor other suites'
  const publishRoot = join(localRoot, '.publish-root');
  mkdirSync(publishRoot, { recursive: true });
  const child = startBackend(name, {
    configs,
    env: {
      GOLDEN_PATH_LOCAL_ROOT: publishRoot,
      GOLDEN_PATH_LOOP_PROBE_DIR: probeDir,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(
        ROOT,
        'e2e/lib/loopProbe.cjs',
      )}`.trim(),
    },
  });
  // the app's dev server, with the same configs (its backend.baseUrl is ours)
  const app = appPort
    ? startProcess(
        `${name}-app`,
        process.execPath,
        [
          join(ROOT, '.yarn/releases/yarn-4.13.0.cjs'),
          'start',
          ...configs.flatMap(c => ['--config', join(ROOT, c)]),
        ],
        { cwd: join(ROOT, 'packages/app') },
      )
    : undefined;
  const backend = {
    url,
    port,
    appUrl,
    child,
    app,
    probeDir,
    log: join(RESULTS_DIR, `${name}.log`),
  };
  try {
    const t0 = Date.now();
    await waitForUrl(`${url}/.backstage/health/v1/readiness`, { child });
    backend.readyMs = Date.now() - t0;
    await until(
      `the ${fleet.names.length} services in the catalog`,
      async () => {
        const res = await fetch(
          `${url}/api/catalog/entities/by-query?filter=kind=component,metadata.annotations.golden-path.dev/go-service&limit=1&fields=metadata.name`,
          { headers: authHeaders() },
        );
        if (!res.ok) return false;
        return (await res.json()).totalItems >= fleet.names.length;
      },
      { timeoutMs: 180_000, everyMs: 1000 },
    );
    backend.catalogMs = Date.now() - t0 - backend.readyMs;
    backend.pid = listenerPid(port);
    await untilSettled(backend, { timeoutMs: 120_000 });
    backend.userToken = await guestToken(url);
  } catch (e) {
    await stopFleetBackend(backend);
    throw e;
  }
  return backend;
}

/** Stops the app and the backend, and removes the probe's sockets. */
export async function stopFleetBackend(backend) {
  if (backend.app) await stopProcess(backend.app);
  await stopProcess(backend.child);
  rmSync(backend.probeDir, { recursive: true, force: true });
}

/** GET /api/golden-path/fleet as the signed-in user; resolves the body and the time. */
export async function getFleet(backend, query = '') {
  const t0 = performance.now();
  const res = await fetch(`${backend.url}/api/golden-path/fleet${query}`, {
    headers: { Authorization: `Bearer ${backend.userToken}` },
  });
  const body = await res.json();
  const ms = performance.now() - t0;
  if (!res.ok)
    throw new Error(
      `GET /fleet${query}: HTTP ${res.status} ${body.error?.message}`,
    );
  return { body, ms, bytes: JSON.stringify(body).length };
}

/**
 * The page's load, measured: cold (the first request, then asking again
 * every `pollMs` as the page does until nothing is pending), then cached
 * (`rounds` requests one after the other), each with the event loop inside
 * the backend, the health check polled meanwhile and memory.
 */
export async function measureFleet(
  backend,
  { pollMs = 1000, rounds = 10 } = {},
) {
  const phase = async (label, run) => {
    await probe(backend, '/gc', 'POST');
    const before = (await probe(backend, '/reset', 'POST')).memory;
    const stopHealth = pollHealth(backend);
    const t0 = performance.now();
    const result = await run();
    const wallMs = performance.now() - t0;
    const health = await stopHealth();
    const { eventLoop, memory } = await probe(backend, '/figures');
    return {
      label,
      wallMs,
      ...result,
      eventLoop,
      health: { n: health.length, max: Math.max(...health) },
      memory: {
        before,
        peakRss: memory.peakRss,
        peakHeapUsed: memory.peakHeapUsed,
      },
    };
  };
  const cold = await phase('cold', async () => {
    const first = await getFleet(backend);
    let last = first;
    let polls = 1;
    const deadline = performance.now() + 400_000;
    while (last.body.pending > 0 && performance.now() < deadline) {
      await sleep(pollMs);
      last = await getFleet(backend);
      polls++;
    }
    return {
      firstMs: first.ms,
      firstPending: first.body.pending,
      requests: polls,
      maxMs: Math.max(first.ms, last.ms),
      total: last.body.total,
      pending: last.body.pending,
      bytes: last.bytes,
      body: last.body,
    };
  });
  const cached = await phase('cached', async () => {
    const times = [];
    let last;
    for (let r = 0; r < rounds; r++) {
      last = await getFleet(backend);
      times.push(last.ms);
    }
    times.sort((a, b) => a - b);
    return {
      requests: rounds,
      p50Ms: times[Math.floor(times.length / 2)],
      maxMs: times[times.length - 1],
      total: last.body.total,
      pending: last.body.pending,
      bytes: last.bytes,
      body: last.body,
    };
  });
  return [cold, cached];
}

const MIB = 1024 * 1024;
const f0 = x => (Number.isFinite(x) ? x.toFixed(0) : '-');
const f1 = x => (Number.isFinite(x) ? x.toFixed(1) : '-');

/** The figures side by side, one row per phase. */
export function formatFleet(phases, { cores, services, cache }) {
  const head = [
    'phase',
    'requests',
    'first ms',
    'p50 ms',
    'max ms',
    'wall s',
    'loop max ms',
    'loop busy max ms',
    'loop p99 ms',
    'health max ms',
    'RSS before/peak MiB',
    'rows',
    'answer KiB',
  ];
  const rows = phases.map(p => [
    p.label,
    p.requests,
    f0(p.firstMs),
    f0(p.p50Ms),
    f0(p.maxMs),
    f1(p.wallMs / 1000),
    f1(p.eventLoop.maxBlockMs),
    f1(p.eventLoop.maxBusyMs ?? NaN),
    f1(p.eventLoop.p99BlockMs),
    f0(p.health.max),
    `${f0(p.memory.before.rss / MIB)}/${f0(p.memory.peakRss / MIB)}`,
    p.total,
    f0(p.bytes / 1024),
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map(r => String(r[i]).length)),
  );
  const line = r => r.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
  return [
    `fleet view: ${services} services, ${cores} cores; insights cache after: ${
      cache.entries
    } entries, ${f1(cache.bytes / MIB)} MiB of ${f1(
      cache.maxBytes / MIB,
    )} MiB, ${cache.evictions} evictions`,
    line(head),
    widths.map(w => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
    'targets (issue 18): an answer under 2 s cached, the fleet analysed within 30 s cold; the event loop never blocked 50 ms',
    LOOP_COLUMNS,
  ].join('\n');
}
