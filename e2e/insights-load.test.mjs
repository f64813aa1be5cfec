// Insights under load (issue 20): 20 concurrent users each loading the
// Architecture tab of a different Go service (the tab's one request, with a
// guest user's token), on one backend (app-config.yaml, Backstage's memory
// cache store) with a fleet of 41 services (copies of the service the Go
// service template rendered, each analysed for real: source read, layers,
// protos, atlas.sum, migration status against PostgreSQL; one analysed first
// to warm up, unmeasured). First cold, then cached (5 loads each), the same
// users reading only the entity from the catalog (the floor of a request
// that checks access), then the other 20 services cold with the cache
// limited to 24 entries, so the least recently used are evicted. The access
// cache keeps each user's check for 10 minutes here (as the insights), so
// the cached round measures reloads within its TTL: no catalog read, no
// permission request. Asserts: cached loads answered
// from both caches and at most half the cold p95 (the figures say
// how far from the 50 ms: a timed assertion on a shared 2-core
// machine would be flaky); no event-loop block near an analysis's cost
// (the figure against the 50 ms; measured inside the backend by e2e/lib/loopProbe.cjs, the health check polled meanwhile as a
// second signal); the cache within its limit with the evictions counted,
// and live memory not growing with the fleet. The figures go to
// test-results/insights-load.json and the table to the TAP output;
// bench/insights-load.mjs prints the same (--access-ttl 0s: access checked
// on every request, as before the access cache).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { RESULTS_DIR } from './lib/processes.mjs';
import {
  formatLoad,
  loopBusyMs,
  removeFleet,
  runLoad,
  startLoadBackend,
  stopLoadBackend,
  writeFleet,
} from './lib/insightsLoad.mjs';
import { logTail } from './lib/replicas.mjs';
import { reportTimings, timer } from './lib/timings.mjs';

const USERS = 20;
// 20 services cold, the same cached, 20 more cold, and one to warm up with
const FLEET = 2 * USERS + 1;
// one entry per service (its insights; a dir: location has no commit to keep
// the source analysis by): room for 24 of the 41
const MAX_ENTRIES = 24;
const LOCAL_ROOT = process.env.GOLDEN_PATH_LOCAL_ROOT;
const timings = [];
const timed = timer(timings);
let fleet;
let backend;
let phases;

before(async () => {
  assert.ok(
    LOCAL_ROOT,
    'GOLDEN_PATH_LOCAL_ROOT is not set: run through scripts/test.sh',
  );
  fleet = await timed(`fleet of ${FLEET} services written`, () =>
    writeFleet(LOCAL_ROOT, FLEET),
  );
  backend = await timed('backend ready, fleet in the catalog', () =>
    startLoadBackend(fleet, {
      port: 7120,
      localRoot: LOCAL_ROOT,
      cacheLimits: { maxEntries: MAX_ENTRIES },
      accessCache: { ttl: { minutes: 10 } },
    }),
  );
});

after(async () => {
  if (backend) await stopLoadBackend(backend);
  if (fleet) removeFleet(fleet);
  reportTimings('insights-load', timings);
});

test(
  `${USERS} users on ${USERS} services: cold, cached, then ${USERS} more services beyond the cache limit`,
  { timeout: 180_000 },
  async () => {
    phases = await timed('load', () =>
      runLoad(backend, fleet, { users: USERS, cachedRounds: 5 }),
    );
    const table = formatLoad(phases, {
      cores: cpus().length,
      fleetSize: FLEET,
    });
    console.log(table);
    writeFileSync(
      join(RESULTS_DIR, 'insights-load.json'),
      JSON.stringify({ cores: cpus().length, fleet: FLEET, phases }, null, 2),
    );
    for (const p of phases)
      assert.deepEqual(p.failures, [], `${p.label}:\n${logTail(backend)}`);
  },
);

test('cached loads answered from the caches, under half the cold p95', () => {
  assert.ok(phases, 'the load did not run');
  const [cold, cached, entityOnly] = phases;
  // The 1 s cold is a figure (the table, bench/insights-load.mjs), not
  // an assertion: on 2 shared cores it measures the machine's load as much
  // as the backend (every load answered is asserted above).
  assert.equal(cached.cache.misses, cold.cache.misses, 'a cached load missed');
  // every cold load checked access once (a miss), no cached load did
  assert.equal(cold.cache.access.misses, USERS + 1);
  assert.equal(
    cached.cache.access.misses,
    cold.cache.access.misses,
    'a cached load read the catalog and asked the permission backend',
  );
  assert.equal(
    cached.cache.access.hits,
    cold.cache.access.hits + cached.requests,
  );
  // CPU time, which other work on the machine changes little: a cached load
  // costs the backend less than reading the entity alone from the catalog
  assert.ok(
    cached.cpuMsPerRequest < entityOnly.cpuMsPerRequest,
    `cached: ${cached.cpuMsPerRequest.toFixed(
      1,
    )} ms of CPU per load, entity only ${entityOnly.cpuMsPerRequest.toFixed(
      1,
    )} ms`,
  );
  // The 50 ms: the figures say how close (20 requests at once on
  // the event loop: the 20th waits for the 19 before it). Asserted coarsely
  // (a cached load that redid the analysis would cost as much as a cold
  // one), as a 2-core machine running other work can take longer.
  assert.ok(
    cached.latency.p95 < cold.latency.p95 / 2,
    `cached: p95 ${cached.latency.p95.toFixed(
      0,
    )} ms, entity only ${entityOnly.latency.p95.toFixed(
      0,
    )} ms, cold ${cold.latency.p95.toFixed(0)} ms`,
  );
});

// The 50 ms is a target the table prints against (and
// bench/insights-load.mjs); the assertion catches what breaks it for sure, an
// analysis run on the event loop (seconds for a service), and leaves room for
// what a 2-core machine running the other test lane adds: the fresh-clone CI
// measured 162 ms in the last cold phase with the templates building beside
// it (40-64 ms in the others; near 30 ms on a quiet machine). Asserted on the
// main thread's CPU time between two ticks (loopBusyMs): the timer's delay
// also counts the backend waiting for a core, which the other lane decides.
const LOOP_BLOCK_LIMIT_MS = 500;
// The health check is wall time (a request from another process): it shows
// the backend kept answering, with room for a machine busier than this one.
const HEALTH_LIMIT_MS = 2000;

test('the event loop is never blocked long; the health check answers meanwhile', () => {
  assert.ok(phases, 'the load did not run');
  for (const p of phases) {
    assert.ok(
      loopBusyMs(p.eventLoop) < LOOP_BLOCK_LIMIT_MS,
      `${p.label}: event loop held ${loopBusyMs(p.eventLoop).toFixed(
        1,
      )} ms (blocked ${p.eventLoop.maxBlockMs.toFixed(1)} ms)`,
    );
    assert.ok(p.health.n > 0, `${p.label}: the health check was not polled`);
    assert.ok(
      p.health.max < HEALTH_LIMIT_MS,
      `${p.label}: the health check took ${p.health.max.toFixed(0)} ms`,
    );
  }
});

test('memory is bounded: the cache stays within its limit, evicting the least recently used', () => {
  assert.ok(phases, 'the load did not run');
  const [cold, cached, , rest] = phases;
  // the warm-up's entry and the 20 of the cold phase
  assert.equal(cold.cache.entries, USERS + 1);
  assert.equal(cold.cache.evictions, 0);
  assert.equal(cached.cache.evictions, 0);
  // 41 entries written, 24 kept
  assert.equal(rest.cache.entries, MAX_ENTRIES);
  assert.equal(rest.cache.evictions, FLEET - MAX_ENTRIES);
  assert.ok(rest.cache.bytes <= rest.cache.maxBytes);
  // twice the services analysed, the live heap (after a full GC) grows by
  // at most the cache's own growth plus 16 MiB
  const growth = rest.memory.after.heapUsed - cold.memory.after.heapUsed;
  const cacheGrowth = rest.cache.bytes - cold.cache.bytes;
  assert.ok(
    growth < cacheGrowth + 16 * 1024 * 1024,
    `live heap grew ${(growth / 1048576).toFixed(1)} MiB (cache ${(
      cacheGrowth / 1048576
    ).toFixed(1)} MiB)`,
  );
});
