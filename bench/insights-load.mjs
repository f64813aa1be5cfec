#!/usr/bin/env node
// Prints the figures of insights under load, as e2e/insights-load.test.mjs
// runs it: N concurrent users each loading the Architecture tab of a
// different Go service (GET …/insights, the tab's one request), on one
// backend (app-config.yaml, Backstage's memory cache store) with a fleet of
// 2N services copied from the service the Go service template rendered.
// Phases: cold, cached (R loads each), then the other N services cold with
// the cache limited to --max-entries (evictions). Per phase: p50/p95/max
// response, the backend's CPU time per request (the figure other work on
// the machine changes least) and the load's own (the users are one process
// on the same two cores: keep-alive connections, bodies decoded after the
// phase, as a browser decodes off its page's thread), the longest event-loop block measured inside
// the backend (e2e/lib/loopProbe.cjs), the health check polled meanwhile, RSS and live
// heap (after a full GC) before and after, cache entries, bytes and
// evictions, and the access cache's hits and misses (a miss reads the entity
// from the catalog and asks the permission backend).
//
//   scripts/lib.sh's activate_toolchain and ensure_dev_token, then:
//   flock /tmp/gp-e2e.lock node bench/insights-load.mjs [--users 20] [--rounds 5] [--max-entries 24] [--max-bytes N] [--access-ttl 10m] [--analysis worker|main] [--json]
//
// --analysis main analyses on the backend's main thread
// (goldenPath.insights.analysisWorker.enabled: false) instead of the worker.
//
// Backend on port 7120; the fleet and its database are removed afterwards.
import { cpus } from 'node:os';
import {
  formatLoad,
  removeFleet,
  runLoad,
  startLoadBackend,
  stopLoadBackend,
  writeFleet,
} from '../e2e/lib/insightsLoad.mjs';
import { benchOptions } from './lib/options.mjs';

const opts = benchOptions('bench/insights-load.mjs', {
  usage:
    'flock /tmp/gp-e2e.lock node bench/insights-load.mjs [--users 20] [--rounds 5] [--max-entries 24] [--max-bytes N] [--access-ttl 10m] [--analysis worker|main] [--json]',
  options: {
    users: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
    'max-entries': { type: 'string', default: '24' },
    'max-bytes': { type: 'string' },
    // goldenPath.insights.accessCache.ttl; '0s' checks access on every request
    'access-ttl': { type: 'string', default: '10m' },
    analysis: { type: 'string', default: 'worker' },
    json: { type: 'boolean', default: false },
  },
  wholeNumbers: { users: {}, rounds: {}, 'max-entries': {}, 'max-bytes': {} },
});
const LOCAL_ROOT = process.env.GOLDEN_PATH_LOCAL_ROOT;
if (!process.env.GOLDEN_PATH_TOKEN || !LOCAL_ROOT) {
  console.error(
    'bench/insights-load.mjs: set GOLDEN_PATH_TOKEN (any secret) and GOLDEN_PATH_LOCAL_ROOT (a directory for the fleet): scripts/lib.sh ensure_dev_token does both',
  );
  process.exit(2);
}

if (!/^[0-9]+(ms|s|m)$/.test(opts['access-ttl'])) {
  console.error(
    `bench/insights-load.mjs: --access-ttl ${opts['access-ttl']} is not a duration; write e.g. 10m, 5s or 0s`,
  );
  process.exit(2);
}
if (opts.analysis !== 'worker' && opts.analysis !== 'main') {
  console.error(
    `bench/insights-load.mjs: --analysis ${opts.analysis} is neither worker nor main`,
  );
  process.exit(2);
}
const users = Number(opts.users);
const cacheLimits = { maxEntries: Number(opts['max-entries']) };
if (opts['max-bytes']) cacheLimits.maxBytes = Number(opts['max-bytes']);
const fleet = writeFleet(LOCAL_ROOT, 2 * users + 1);
let backend;
try {
  backend = await startLoadBackend(fleet, {
    port: 7120,
    localRoot: LOCAL_ROOT,
    cacheLimits,
    accessCache: { ttl: opts['access-ttl'] },
    analysisWorker: opts.analysis === 'worker',
  });
  console.log(
    `# analysis: ${opts.analysis} thread; backend ready in ${(
      backend.readyMs / 1000
    ).toFixed(1)} s, ${fleet.names.length} services in the catalog ${(
      backend.catalogMs / 1000
    ).toFixed(1)} s later, start-up work done ${(
      backend.settleMs / 1000
    ).toFixed(1)} s after that`,
  );
  const phases = await runLoad(backend, fleet, {
    users,
    cachedRounds: Number(opts.rounds),
  });
  if (opts.json) console.log(JSON.stringify(phases, null, 2));
  console.log(
    formatLoad(phases, { cores: cpus().length, fleetSize: 2 * users + 1 }),
  );
  const failures = phases.flatMap(p => p.failures);
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exitCode = 1;
  }
} finally {
  if (backend) await stopLoadBackend(backend);
  removeFleet(fleet);
}
