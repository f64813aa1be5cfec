#!/usr/bin/env node
// Prints the figures of the fleet view, as e2e/fleet.test.mjs measures them:
// a fleet of --monorepos × --per-monorepo golden-path Go services (copies of
// the service the Go service template rendered; e2e/lib/fleet.mjs), one
// backend (app-config.yaml, Backstage's memory cache store, the event-loop
// probe preloaded) and the page's request, GET /api/golden-path/fleet, as a
// signed-in user. Phases side by side: cold (the first answer with every
// service pending, then asking again every second as the page does until the
// whole fleet is analysed) and cached (--rounds requests): answer times,
// wall time, the longest event-loop block inside the backend, the health
// check polled meanwhile, RSS, rows and answer size, and the insights cache
// after. With --analysis worker,main (the default) the same fleet is measured
// once per place the source analysis runs (goldenPath.insights.analysisWorker:
// a worker thread, or the main thread), each with a backend of its own, and
// the two compared.
//
//   scripts/lib.sh's activate_toolchain and ensure_dev_token, then:
//   flock /tmp/gp-e2e.lock node bench/fleet.mjs [--monorepos 10] [--per-monorepo 50] [--rounds 10] [--port 7121] [--analysis worker,main] [--json]
//
// The fleet and its database are removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheStats } from '../e2e/lib/insightsLoad.mjs';
import {
  formatFleet,
  measureFleet,
  removeFleet,
  startFleetBackend,
  stopFleetBackend,
  writeFleet,
} from '../e2e/lib/fleet.mjs';
import { benchOptions } from './lib/options.mjs';

const opts = benchOptions('bench/fleet.mjs', {
  usage:
    'flock /tmp/gp-e2e.lock node bench/fleet.mjs [--monorepos 10] [--per-monorepo 50] [--rounds 10] [--port 7121] [--analysis worker,main] [--json]',
  options: {
    monorepos: { type: 'string', default: '10' },
    'per-monorepo': { type: 'string', default: '50' },
    rounds: { type: 'string', default: '10' },
    port: { type: 'string', default: '7121' },
    analysis: { type: 'string', default: 'worker,main' },
    json: { type: 'boolean', default: false },
  },
  wholeNumbers: {
    monorepos: {},
    'per-monorepo': {},
    rounds: {},
    port: { max: 65535 },
  },
});
const modes = opts.analysis.split(',').map(m => m.trim());
if (!modes.length || modes.some(m => m !== 'worker' && m !== 'main')) {
  console.error(
    `bench/fleet.mjs: --analysis ${opts.analysis} must list worker and/or main, e.g. worker,main`,
  );
  process.exit(2);
}
if (!process.env.GOLDEN_PATH_TOKEN) {
  console.error(
    'bench/fleet.mjs: set GOLDEN_PATH_TOKEN (any secret): scripts/lib.sh ensure_dev_token does',
  );
  process.exit(2);
}
// the fleet's own local root, outside the publish root the catalog's discovery walks
const LOCAL_ROOT = mkdtempSync(join(tmpdir(), 'gp-fleet-'));

const f1 = v => (Number.isFinite(v) ? v.toFixed(1) : '-');
const f2 = v => (Number.isFinite(v) ? v.toFixed(2) : '-');

/** The modes' figures side by side: per phase, each mode's and the ratio to the first. */
function compareModes(results) {
  const [base, ...others] = results;
  const figures = [
    ['wall s', p => p.wallMs / 1000],
    ['loop max ms', p => p.eventLoop.maxBlockMs],
    ['loop busy max ms', p => p.eventLoop.maxBusyMs ?? NaN],
    ['loop p99 ms', p => p.eventLoop.p99BlockMs],
    ['p50 ms', p => p.p50Ms],
    ['peak RSS MiB', p => p.memory.peakRss / 1024 / 1024],
  ];
  const lines = [
    `analysis ${results.map(r => r.mode).join(' vs ')} (ratio ${others
      .map(o => `${o.mode}/${base.mode}`)
      .join(', ')}):`,
  ];
  base.phases.forEach((phase, i) => {
    const cells = figures.map(([name, get]) => {
      const values = results.map(r => get(r.phases[i]) ?? NaN);
      const ratios = others.map((_, j) => f2(values[j + 1] / values[0]));
      return `${name} ${values.map(f1).join(' vs ')} (×${ratios.join(', ×')})`;
    });
    lines.push(`  ${phase.label}: ${cells.join('; ')}`);
  });
  return lines.join('\n');
}

const monorepos = Number(opts.monorepos);
const perMonorepo = Number(opts['per-monorepo']);
const t0 = Date.now();
const fleet = writeFleet(LOCAL_ROOT, { monorepos, perMonorepo });
console.log(
  `# ${fleet.names.length} services written in ${
    Date.now() - t0
  } ms (hard links of the rendered service)`,
);
let failed = false;
const results = [];
try {
  for (const mode of modes) {
    let backend;
    try {
      backend = await startFleetBackend(fleet, {
        port: Number(opts.port),
        localRoot: LOCAL_ROOT,
        name: 'bench-fleet',
        analysisWorker: mode === 'worker',
      });
      console.log(
        `# ${mode}: backend ready in ${(backend.readyMs / 1000).toFixed(
          1,
        )} s, ${fleet.names.length} services in the catalog ${(
          backend.catalogMs / 1000
        ).toFixed(1)} s later, start-up work done ${(
          backend.settleMs / 1000
        ).toFixed(1)} s after that`,
      );
      const phases = await measureFleet(backend, {
        rounds: Number(opts.rounds),
      });
      const cache = await cacheStats(backend);
      if (opts.json)
        console.log(
          JSON.stringify(
            { mode, cache, phases: phases.map(({ body, ...p }) => p) },
            null,
            2,
          ),
        );
      console.log(
        formatFleet(
          phases.map(p => ({ ...p, label: `${mode}: ${p.label}` })),
          { cores: cpus().length, services: fleet.names.length, cache },
        ),
      );
      results.push({ mode, phases });
      failed ||= phases.some(p => p.pending > 0);
    } finally {
      if (backend) await stopFleetBackend(backend);
    }
  }
  if (results.length > 1) console.log(compareModes(results));
} finally {
  removeFleet(fleet);
  rmSync(LOCAL_ROOT, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
