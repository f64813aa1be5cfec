#!/usr/bin/env node
// Prints the figures of a burst of teams creating services at once on one
// backend with the production config (the local PostgreSQL and Redis), as
// e2e/burst.test.mjs runs it: wall time, per-task p50/p95, tool runs in
// flight against goldenPath.tools.concurrency, tasks that queued for a slot;
// and, on two replicas, insights computed on one and served by the other.
//
//   scripts/lib.sh's activate_toolchain, then:
//   flock /tmp/gp-e2e.lock node bench/burst.mjs [--services 10] [--onboardings 3] [--concurrency 2]
//
// Backends on ports 7110 and 7111; their databases and Redis keys are dropped afterwards.
import { cpus } from 'node:os';
import { authHeaders, stopProcess } from '../e2e/lib/processes.mjs';
import {
  burstTasks,
  createMonorepo,
  formatFigures,
  runBurst,
} from '../e2e/lib/burst.mjs';
import {
  cleanUpReplicaSet,
  getJson,
  replicaSet,
  startReplica,
  until,
} from '../e2e/lib/replicas.mjs';
import { benchOptions } from './lib/options.mjs';

const opts = benchOptions('bench/burst.mjs', {
  usage:
    'flock /tmp/gp-e2e.lock node bench/burst.mjs [--services 10] [--onboardings 3] [--concurrency 2]',
  options: {
    services: { type: 'string', default: '10' },
    onboardings: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '2' },
  },
  wholeNumbers: {
    services: { min: 0, max: 12 },
    onboardings: { min: 0 },
    concurrency: {},
  },
});
if (!process.env.GOLDEN_PATH_TOKEN || !process.env.GOLDEN_PATH_LOCAL_ROOT) {
  console.error(
    'bench/burst.mjs: set GOLDEN_PATH_TOKEN (any secret) and GOLDEN_PATH_LOCAL_ROOT (a directory the backends publish to)',
  );
  process.exit(2);
}

const set = replicaSet('bench');
const suffix = set.namespace.slice(-8);
const replicas = [];
const step = m => console.log(`# ${m}`);
try {
  const t0 = Date.now();
  const extra = {
    goldenPath: {
      localRootsShared: true,
      tools: { concurrency: Number(opts.concurrency) },
    },
  };
  replicas.push(await startReplica(set, 7110, extra));
  step(`replica 1 ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const [a] = replicas;
  await until(
    'the templates in the catalog',
    async () =>
      (
        await fetch(
          `${a.url}/api/catalog/entities/by-name/template/default/onboard-team`,
          { headers: authHeaders() },
        )
      ).ok,
    { timeoutMs: 120_000, everyMs: 1000 },
  );
  const monorepo = `bench-${suffix}`;
  const mono = await createMonorepo(a.url, monorepo);
  if (mono.status !== 'completed') throw new Error(`monorepo: ${mono.log}`);
  const { figures } = await runBurst(
    a.url,
    a.port,
    burstTasks({
      monorepo,
      services: Number(opts.services),
      onboardings: Number(opts.onboardings),
      suffix,
    }),
  );
  console.log(formatFigures(figures, opts.concurrency));
  console.log(`cores: ${cpus().length}`);

  const t1 = Date.now();
  replicas.push(await startReplica(set, 7111, extra));
  step(`replica 2 ready in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  const [, b] = replicas;
  const path = 'entities/component/default/order-service/insights';
  const c0 = Date.now();
  const computed = await getJson(
    `${a.url}/api/golden-path/${path}?refresh=true`,
  );
  const computeMs = Date.now() - c0;
  const s0 = Date.now();
  const served = await getJson(`${b.url}/api/golden-path/${path}`);
  const servedMs = Date.now() - s0;
  console.log(
    `insights of order-service: computed on replica 1 in ${computeMs} ms, served by replica 2 from Redis in ${servedMs} ms (${
      served.generatedAt === computed.generatedAt ? 'same' : 'NOT the same'
    } computation)`,
  );
} finally {
  for (const r of replicas) await stopProcess(r.child);
  cleanUpReplicaSet(set);
}
