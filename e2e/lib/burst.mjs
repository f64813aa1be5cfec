// A burst of teams creating services at once, against a running backend:
// the Go service template N times into one monorepo and the onboarding
// template M times, all submitted together. Shared by e2e/burst.test.mjs and
// bench/burst.mjs, which print the same figures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.mjs';
import {
  descendants,
  listenerPid,
  processes,
  submitTask,
  waitForTaskAt,
} from './replicas.mjs';

/** Service names and aggregates of the burst: distinct tables, protos and ports. */
const SERVICES = [
  ['order', 'Order'],
  ['invoice', 'Invoice'],
  ['refund', 'Refund'],
  ['payment', 'Payment'],
  ['shipment', 'Shipment'],
  ['customer', 'Customer'],
  ['product', 'Product'],
  ['coupon', 'Coupon'],
  ['review', 'Review'],
  ['ticket', 'Ticket'],
  ['basket', 'Basket'],
  ['voucher', 'Voucher'],
];

/** A tool's program (argv[0]): buf, sqlc or atlas, by path or name. */
const TOOLS = /(^|\/)(buf|sqlc|atlas)$/;

const readJson = p => JSON.parse(readFileSync(join(ROOT, p), 'utf8'));

/** The monorepo the burst's services go into, as a real task (not timed). */
export async function createMonorepo(base, name) {
  const id = await submitTask(base, 'template:default/go-monorepo', {
    ...readJson('templates/go-monorepo/values/mvp.json'),
    projectName: name,
    localPath: name,
  });
  return waitForTaskAt(base, id);
}

/** The values of the burst's tasks: `services` Go services into `monorepo`, `onboardings` new teams. */
export function burstTasks({ monorepo, services, onboardings, suffix }) {
  const orders = readJson('templates/go-service/values/orders.json');
  const team = readJson('templates/onboard-team/values/local.json');
  const tasks = [];
  for (const [i, [name, aggregate]] of SERVICES.slice(0, services).entries()) {
    tasks.push({
      label: `go-service ${name}`,
      templateRef: 'template:default/go-service',
      values: {
        ...orders,
        name,
        aggregate,
        grpcPort: 50100 + i,
        system: `system:default/${monorepo}`,
        localPath: monorepo,
      },
    });
  }
  for (let i = 0; i < onboardings; i++) {
    const project = `team${i}-${suffix}`;
    tasks.push({
      label: `onboard-team ${project}`,
      templateRef: 'template:default/onboard-team',
      values: {
        ...team,
        teamName: `team-burst${i}-${suffix}`,
        displayName: `Burst team ${i}`,
        projectName: project,
        localPath: project,
      },
    });
  }
  return tasks;
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/**
 * The tool runs under the backend that were all running at one moment: buf,
 * sqlc and atlas processes whose parent is not one of them. A tool starting
 * a plugin forks first, and until the exec the child shows the tool's own
 * command line (seen: `buf generate` under `buf generate`), so a child of a
 * tool is part of its run. And one `ps` reads /proc process by process: a
 * tool that ends early in the read and the one its slot passes to, started
 * later in the same read, would both be listed. A process listed by two
 * reads in a row was running from its place in the first to its place in
 * the second, so all of those were running at the end of the first read.
 */
function toolRunsAtOnce(backendPid) {
  const isTool = p => TOOLS.test(p[2].split(' ')[0]);
  const first = new Set(processes().map(p => `${p[0]} ${p[2]}`));
  const tools = descendants(backendPid, processes()).filter(isTool);
  const toolPids = new Set(tools.map(p => p[0]));
  return tools.filter(p => !toolPids.has(p[1]) && first.has(`${p[0]} ${p[2]}`));
}

/**
 * Submits every task at once to the backend at `base` (listening on `port`)
 * and waits for all. While they run, samples the tool runs in flight: the
 * buf, sqlc and atlas processes under the backend process.
 * Returns the tasks and the figures.
 */
export async function runBurst(base, port, tasks) {
  const backendPid = listenerPid(port);
  let maxToolRuns = 0;
  // the processes of the fullest sample (pid ppid args), to say what ran at once
  let fullest = [];
  let samples = 0;
  const ids = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      if (ids.length) {
        const runs = toolRunsAtOnce(backendPid);
        if (runs.length > maxToolRuns) {
          maxToolRuns = runs.length;
          fullest = runs.map(p => p.join(' ').slice(0, 200));
        }
        samples++;
      }
      await new Promise(r => setTimeout(r, 250));
    }
  })();
  const t0 = Date.now();
  try {
    ids.push(
      ...(await Promise.all(
        tasks.map(t => submitTask(base, t.templateRef, t.values)),
      )),
    );
    const done = await Promise.all(ids.map(id => waitForTaskAt(base, id)));
    const wallMs = Date.now() - t0;
    const results = done.map((t, i) => {
      const end = t.events.find(e => e.type === 'completion');
      return {
        ...tasks[i],
        id: ids[i],
        status: t.status,
        log: t.log,
        ms: Date.parse(end?.createdAt ?? new Date()) - Date.parse(t.createdAt),
        waitedForSlot: /waiting for a free tool slot/.test(t.log),
      };
    });
    const times = results.map(r => r.ms).sort((x, y) => x - y);
    return {
      results,
      figures: {
        tasks: results.length,
        failed: results.filter(r => r.status !== 'completed').length,
        wallSeconds: wallMs / 1000,
        p50Seconds: percentile(times, 50) / 1000,
        p95Seconds: percentile(times, 95) / 1000,
        maxSeconds: times[times.length - 1] / 1000,
        tasksThatWaitedForToolSlot: results.filter(r => r.waitedForSlot).length,
        maxToolRunsInFlight: maxToolRuns,
        toolRunsAtMost: fullest,
        processSamples: samples,
      },
    };
  } finally {
    sampling = false;
    await sampler;
  }
}

/** The figures as lines for a log or a terminal. */
export function formatFigures(f, concurrency) {
  return [
    `burst: ${f.tasks} tasks submitted at once, ${f.failed} failed`,
    `wall time ${f.wallSeconds.toFixed(
      1,
    )} s; per task p50 ${f.p50Seconds.toFixed(1)} s, p95 ${f.p95Seconds.toFixed(
      1,
    )} s, max ${f.maxSeconds.toFixed(1)} s`,
    `tool runs in flight at most ${f.maxToolRunsInFlight} (goldenPath.tools.concurrency: ${concurrency}); ${f.tasksThatWaitedForToolSlot} tasks waited for a slot (in their log)`,
  ].join('\n');
}
