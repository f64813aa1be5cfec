// A burst on one backend with the production config (PostgreSQL, Redis):
// 10 Go service tasks into one monorepo and 3 onboarding runs, submitted at
// once, on however many cores the machine has (2 in CI). Every task
// completes; the tool runs in flight never exceed goldenPath.tools.concurrency
// and the steps that waited say so in their task log. Wall time and the
// per-task p50/p95 go to test-results/burst.json (bench/burst.mjs prints the
// same figures).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { RESULTS_DIR, authHeaders, stopProcess } from './lib/processes.mjs';
import {
  burstTasks,
  createMonorepo,
  formatFigures,
  runBurst,
} from './lib/burst.mjs';
import {
  cleanUpReplicaSet,
  replicaSet,
  startReplica,
  until,
} from './lib/replicas.mjs';

const CONCURRENCY = 2;
const set = replicaSet('burst');
const suffix = set.namespace.slice(-8);
const monorepo = `burst-${suffix}`;
const LOCAL_ROOT = process.env.GOLDEN_PATH_LOCAL_ROOT;
let backend;

before(async () => {
  assert.ok(
    LOCAL_ROOT,
    'GOLDEN_PATH_LOCAL_ROOT is not set: run through scripts/test.sh',
  );
  backend = await startReplica(set, 7110, {
    goldenPath: {
      localRootsShared: true,
      tools: { concurrency: CONCURRENCY },
    },
  });
  await until(
    'the templates in the catalog',
    async () =>
      (
        await fetch(
          `${backend.url}/api/catalog/entities/by-name/template/default/onboard-team`,
          { headers: authHeaders() },
        )
      ).ok,
    { timeoutMs: 120_000, everyMs: 1000 },
  );
  const mono = await createMonorepo(backend.url, monorepo);
  assert.equal(mono.status, 'completed', mono.log);
});

after(async () => {
  if (backend) await stopProcess(backend.child);
  cleanUpReplicaSet(set);
});

test(
  '10 Go services and 3 onboarding runs at once complete, tool runs bounded by the concurrency limit',
  { timeout: 900_000 },
  async () => {
    const tasks = burstTasks({
      monorepo,
      services: 10,
      onboardings: 3,
      suffix,
    });
    const { results, figures } = await runBurst(
      backend.url,
      backend.port,
      tasks,
    );
    const summary = formatFigures(figures, CONCURRENCY);
    console.log(`${summary}\n(${cpus().length} cores)`);
    writeFileSync(
      join(RESULTS_DIR, 'burst.json'),
      JSON.stringify(
        { cores: cpus().length, concurrency: CONCURRENCY, ...figures },
        null,
        2,
      ),
    );
    for (const r of results)
      assert.equal(r.status, 'completed', `${r.label}:\n${r.log}`);
    // Each service published once, and go.work names each once (10 concurrent edits).
    const root = join(LOCAL_ROOT, monorepo);
    const goWork = readFileSync(join(root, 'go.work'), 'utf8');
    for (const r of results.filter(x => x.values.name)) {
      const dir = `services/${r.values.name}-service`;
      assert.ok(existsSync(join(root, dir, 'cmd/main.go')), `${dir} missing`);
      assert.equal(
        goWork.split('\n').filter(l => l.trim() === `./${dir}`).length,
        1,
        `${dir} in go.work:\n${goWork}`,
      );
    }
    assert.ok(figures.maxToolRunsInFlight >= 1, 'no tool run was ever seen');
    assert.ok(
      figures.maxToolRunsInFlight <= CONCURRENCY,
      `${
        figures.maxToolRunsInFlight
      } tool runs at once, over the limit of ${CONCURRENCY}:\n${figures.toolRunsAtMost.join(
        '\n',
      )}`,
    );
    const waited = results.find(r => r.waitedForSlot);
    assert.ok(waited, 'no task log says it waited for a tool slot');
    assert.match(
      waited.log,
      /waiting for a free tool slot: 2 tool runs in progress on this backend, \d+ steps waiting before this one \(goldenPath\.tools\.concurrency: 2\)/,
    );
  },
);
