// Two backend replicas with app-config.production.yaml, as a platform runs
// them behind a load balancer: one PostgreSQL (a fresh prefix, dropped
// afterwards), Redis as Backstage's cache store (a fresh namespace), local
// roots declared shared (both replicas are on this machine). Tasks submitted
// through either replica run once, on whichever replica claims them; the
// insights one computes, the other serves from Redis; a replica killed with
// SIGKILL in the middle of a task leaves it failed by the janitor of the
// other, no tool process behind and its Atlas dev databases dropped by the
// sweep. A replica configured with local-only settings refuses to start, in
// one line, before any of its plugins started, and exits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  RESULTS_DIR,
  ROOT,
  authHeaders,
  stopProcess,
} from './lib/processes.mjs';
import { PG, psql } from './lib/postgres.mjs';
import { mvpMonorepoValues } from './lib/templateValues.mjs';
import {
  cleanUpReplicaSet,
  descendants,
  freeze,
  getJson,
  listenerPid,
  logTail,
  processes,
  redis,
  redisKeys,
  replicaSet,
  startReplica,
  submitTask,
  taskEvents,
  until,
  waitForTaskAt,
} from './lib/replicas.mjs';

const set = replicaSet('replicas');
const LOCAL_ROOT = process.env.GOLDEN_PATH_LOCAL_ROOT;
const monorepo = `rep-${set.namespace.slice(-8)}`;
const SERVICE_VALUES = JSON.parse(
  readFileSync(join(ROOT, 'templates/go-service/values/orders.json'), 'utf8'),
);
const service = (name, aggregate, grpcPort) => ({
  ...SERVICE_VALUES,
  name,
  aggregate,
  grpcPort,
  system: `system:default/${monorepo}`,
  localPath: monorepo,
});
/** Both replicas: the janitor and the task timeout short, so the kill test ends in seconds. */
const REPLICA_CONFIG = {
  goldenPath: { localRootsShared: true },
  scaffolder: {
    taskTimeout: { seconds: 10 },
    taskTimeoutJanitorFrequency: { seconds: 3 },
  },
};
let a;
let b;
/** A third replica with app-config.yaml's local publish roots, not declared shared: it must refuse. */
let refusing;

before(async () => {
  assert.ok(
    LOCAL_ROOT,
    'GOLDEN_PATH_LOCAL_ROOT is not set: run through scripts/test.sh',
  );
  // One after the other: the first creates the plugin databases and runs their migrations.
  a = await startReplica(set, 7107, REPLICA_CONFIG);
  b = await startReplica(set, 7108, REPLICA_CONFIG);
  // Booting while the tasks run: it must refuse before its scaffolder could claim one.
  refusing = await startReplica(set, 7109, {}, { ready: false });
  await until(
    'the templates in the shared catalog',
    async () =>
      (
        await fetch(
          `${b.url}/api/catalog/entities/by-name/template/default/go-service`,
          { headers: authHeaders() },
        )
      ).ok,
    { timeoutMs: 120_000, everyMs: 1000 },
  );
});

after(async () => {
  for (const r of [a, b, refusing]) if (r) await stopProcess(r.child);
  cleanUpReplicaSet(set);
});

/** Each step began once and the task completed once: no replica ran any of it twice. */
function assertRanOnce(task) {
  const completions = task.events.filter(e => e.type === 'completion');
  assert.equal(
    completions.length,
    1,
    `${completions.length} completion events`,
  );
  const began = new Map();
  for (const e of task.events) {
    if (e.body?.stepId && e.body.status === 'processing')
      began.set(e.body.stepId, (began.get(e.body.stepId) ?? 0) + 1);
  }
  assert.ok(began.size > 5, `only ${began.size} steps began`);
  for (const [step, n] of began)
    assert.equal(n, 1, `step ${step} began ${n} times`);
}

test(
  'tasks submitted through either replica complete, each exactly once',
  { timeout: 600_000 },
  async () => {
    const monoId = await submitTask(
      a.url,
      'template:default/go-monorepo',
      mvpMonorepoValues(monorepo),
    );
    const mono = await waitForTaskAt(b.url, monoId);
    assert.equal(mono.status, 'completed', mono.log);
    assertRanOnce(mono);
    // Two services at once, one through each replica.
    const ids = [
      await submitTask(
        a.url,
        'template:default/go-service',
        service('order', 'Order', 50061),
      ),
      await submitTask(
        b.url,
        'template:default/go-service',
        service('invoice', 'Invoice', 50062),
      ),
    ];
    for (const id of ids) {
      // Read back through the other replica: one database holds the tasks.
      const t = await waitForTaskAt(id === ids[0] ? b.url : a.url, id);
      assert.equal(t.status, 'completed', t.log);
      assertRanOnce(t);
    }
    const goWork = readFileSync(join(LOCAL_ROOT, monorepo, 'go.work'), 'utf8');
    for (const s of ['order', 'invoice']) {
      assert.equal(
        goWork.split('\n').filter(l => l.trim() === `./services/${s}-service`)
          .length,
        1,
        `go.work:\n${goWork}`,
      );
    }
  },
);

test(
  'insights computed on one replica are served from the shared cache by the other',
  { timeout: 300_000 },
  async () => {
    const path = 'entities/component/default/order-service/insights';
    await until(
      'order-service in the catalog',
      async () =>
        (
          await fetch(
            `${a.url}/api/catalog/entities/by-name/component/default/order-service`,
            {
              headers: authHeaders(),
            },
          )
        ).ok,
      { timeoutMs: 120_000, everyMs: 1000 },
    );
    // Backstage's cache client stores keys base64-encoded or hashed, under the plugin's namespace.
    const before = new Set(redisKeys(set, 'golden-path:*'));
    const t0 = Date.now();
    const computed = await getJson(`${a.url}/api/golden-path/${path}`);
    const computeMs = Date.now() - t0;
    assert.equal(computed.layers.violations.length, 0);
    const added = redisKeys(set, 'golden-path:*').filter(k => !before.has(k));
    assert.ok(added.length > 0, 'a computed nothing into Redis');
    const t1 = Date.now();
    const served = await getJson(`${b.url}/api/golden-path/${path}`);
    const servedMs = Date.now() - t1;
    // The same computation (its timestamp), not a second one on b.
    assert.equal(served.generatedAt, computed.generatedAt);
    assert.deepEqual(served, computed);
    // And it came from Redis: without those keys, b computes its own once
    // its own copy of the response has expired (kept per process for
    // goldenPath.insights.accessCache.ttl, 5 s by default, never renewed).
    for (const k of added) redis('del', k);
    const again = await until(
      'b computing its own insights without the Redis keys',
      async () => {
        const r = await getJson(`${b.url}/api/golden-path/${path}`);
        return r.generatedAt !== computed.generatedAt && r;
      },
      { timeoutMs: 30_000, everyMs: 1000 },
    );
    assert.notEqual(again.generatedAt, computed.generatedAt);
    console.log(
      `insights: computed on a in ${computeMs} ms, served from Redis by b in ${servedMs} ms`,
    );
  },
);

test(
  'a replica killed in the middle of a task: the task is failed, its tools are gone, its dev databases are swept',
  { timeout: 300_000 },
  async () => {
    const devDatabases = () =>
      psql(
        `select datname from pg_database where datname like 'gp_atlas_dev_%'`,
      )
        .split('\n')
        .filter(Boolean);
    const before = new Set(devDatabases());
    /**
     * The sessions `pid` holds on PostgreSQL: its runs' admin sessions (named
     * after their dev databases) with their state, and whether a byte it sent
     * is still unread by PostgreSQL.
     */
    const sessionsOf = pid => {
      const sockets = [
        ...execFileSync('ss', ['-Htnp'], { encoding: 'utf8' }).matchAll(
          /^\S+\s+(\d+)\s+(\d+)\s+\S+:(\d+)\s+\S+:(\d+)\s+users:\(\("[^"]*",pid=(\d+),/gm,
        ),
      ].map(([, recvQ, sendQ, local, peer, owner]) => ({
        recvQ: Number(recvQ),
        sendQ: Number(sendQ),
        local,
        peer,
        owner: Number(owner),
      }));
      const ports = new Set(
        sockets
          .filter(x => x.owner === pid && x.peer === PG.port)
          .map(x => x.local),
      );
      // Sent by `pid` and not yet read by PostgreSQL: its side's send queue,
      // the server side's receive queue (what PostgreSQL sent back and `pid`
      // has not read stays in `pid`'s receive queue, and does not count).
      const unread = sockets.some(
        x =>
          (x.owner === pid && ports.has(x.local) && x.sendQ > 0) ||
          (x.local === PG.port && ports.has(x.peer) && x.recvQ > 0),
      );
      const admin = psql(
        `select application_name || ' ' || client_port || ' ' || state from pg_stat_activity where application_name like 'gp_atlas_dev_%'`,
      )
        .split('\n')
        .filter(Boolean)
        .map(l => l.split(' '))
        .filter(([, port]) => ports.has(port))
        .map(([name, , state]) => ({ name, state }));
      return { admin, unread };
    };
    /**
     * Dev databases `pid`, stopped, holds and can no longer drop: once no
     * query of its sessions is in flight (a DROP it sent just before it
     * stopped still runs in PostgreSQL), those of its runs' admin sessions
     * whose database exists (a run's session connects before it creates its
     * database, and stays until after it dropped it).
     */
    const heldBy = async pid => {
      const { admin } = await until(
        `no query of process ${pid} in flight`,
        () => {
          const s = sessionsOf(pid);
          return !s.unread && s.admin.every(x => x.state !== 'active') && s;
        },
        { timeoutMs: 30_000, everyMs: 50 },
      );
      const existing = new Set(devDatabases());
      return admin.map(x => x.name).filter(name => existing.has(name));
    };
    // The replica running the task, frozen (SIGSTOP) while an Atlas step holds
    // its dev database: frozen, it can no longer drop it before it is killed.
    // Only the backend, which creates and drops the dev databases: the tools
    // it started in their sandbox go on, and must go once it is killed.
    // The Atlas steps are short: a task that ends before the poll caught one
    // is a missed window, and another service's task is tried (three in all).
    const attempts = [
      ['refund', 'Refund', 50063],
      ['rebate', 'Rebate', 50064],
      ['credit', 'Credit', 50065],
    ];
    let caught;
    let id;
    const missed = [];
    for (const [name, aggregate, port] of attempts) {
      id = await submitTask(
        a.url,
        'template:default/go-service',
        service(name, aggregate, port),
      );
      const taskId = id;
      caught = await until(
        'an Atlas step of the task holding its dev database',
        async () => {
          const t = await getJson(`${a.url}/api/scaffolder/v2/tasks/${taskId}`);
          if (!['open', 'processing'].includes(t.status))
            return { missed: t.status };
          if (!devDatabases().some(d => !before.has(d))) return undefined;
          for (const r of [a, b]) {
            const pid = listenerPid(r.port);
            if (!descendants(pid).some(p => p[2].includes(id))) continue;
            let held = [];
            let mine = [];
            try {
              await freeze(pid);
              held = await heldBy(pid);
              mine = descendants(pid).filter(p => p[2].includes(id));
            } finally {
              if (!(held.length && mine.length)) process.kill(pid, 'SIGCONT');
            }
            if (held.length && mine.length)
              return { replica: r, ours: held, tools: mine };
          }
          return undefined;
        },
        { timeoutMs: 240_000, everyMs: 100 },
      );
      if (!caught.missed) break;
      missed.push(`${name}: ${caught.missed}`);
    }
    assert.ok(
      !caught.missed,
      `every task ended before it could be killed (${missed.join(', ')})`,
    );
    const { replica, ours, tools } = caught;
    const survivor = replica === a ? b : a;
    // Every backend on this PostgreSQL server sweeps, at its start, the dev
    // databases whose run's session is gone: the suites of the other test
    // lane start theirs while this one waits for the janitor. Until the
    // survivor's sweep is triggered, the test holds a session under each
    // name, as the run did, so that only that sweep can find them left over.
    const holders = ours.map(name =>
      spawn(
        'psql',
        [
          '-h',
          PG.host,
          '-p',
          PG.port,
          '-U',
          PG.user,
          '-d',
          'postgres',
          '-XAtq',
        ],
        // Idle, reading its standard input: PostgreSQL sees an idle session
        // end at once (a running query would keep it until the query ends).
        {
          env: { ...process.env, PGAPPNAME: name },
          stdio: ['pipe', 'ignore', 'ignore'],
        },
      ),
    );
    process.once('exit', () => holders.forEach(h => h.kill('SIGKILL')));
    const heldSessions = () =>
      psql(
        `select count(*) from pg_stat_activity where application_name in (${ours
          .map(n => `'${n}'`)
          .join(',')})`,
      );
    await until(
      'the test holding the dev databases',
      () => Number(heldSessions()) >= 2 * ours.length,
      { timeoutMs: 10_000, everyMs: 50 },
    );
    // Only the backend process itself: its tools must go because it went.
    process.kill(listenerPid(replica.port), 'SIGKILL');
    assert.ok(
      devDatabases().some(d => ours.includes(d)),
      'the dev database is gone with its run: nothing left to sweep',
    );
    await until(
      'the killed replica’s tool processes gone',
      () =>
        !processes().some(
          p => tools.some(t => t[0] === p[0]) || p[2].includes(id),
        ),
      { timeoutMs: 15_000, everyMs: 200 },
    );
    const task = await waitForTaskAt(survivor.url, id, 120_000);
    assert.equal(task.status, 'failed');
    assert.match(task.log, /marked as stale/);
    // The run's sessions are gone with it; the test lets go of its own.
    for (const h of holders) h.stdin.end();
    await until(
      'the test letting go of the dev databases',
      () => Number(heldSessions()) === 0,
      { timeoutMs: 10_000, everyMs: 50 },
    );
    // The sweep, on the surviving replica (run now rather than on its schedule).
    const trigger = await fetch(
      `${survivor.url}/api/scaffolder/.backstage/scheduler/v1/tasks/golden-path-atlas-dev-database-sweep/trigger`,
      { method: 'POST', headers: authHeaders() },
    );
    assert.equal(trigger.status, 200, await trigger.text());
    await until(
      `the dev databases ${ours.join(', ')} dropped`,
      () => !devDatabases().some(d => ours.includes(d)),
      { timeoutMs: 60_000, everyMs: 500 },
    );
    // Whichever backend on this PostgreSQL ran a sweep says so: a replica of
    // the set (a global task: one at a time), or a backend of another suite
    // that started meanwhile (every backend sweeps at its start; seen: one
    // dropped the leftover 1 s after the trigger). Its log line follows the
    // drop, so it is waited for as well.
    const logs = () => [
      ...new Set([
        ...[a, b, refusing].filter(Boolean).map(r => r.log),
        ...readdirSync(RESULTS_DIR)
          .filter(f => f.endsWith('.log'))
          .map(f => join(RESULTS_DIR, f)),
      ]),
    ];
    const sweptBy = await until(
      `a backend logging that it dropped ${ours.join(', ')}`,
      () =>
        logs().find(log =>
          readFileSync(log, 'utf8')
            .split('\n')
            .some(
              l =>
                /Dropped \d+ leftover Atlas dev databases/.test(l) &&
                ours.some(d => l.includes(d)),
            ),
        ),
      { timeoutMs: 15_000, everyMs: 250 },
    ).catch(() => undefined);
    assert.ok(sweptBy, `no backend logged dropping ${ours.join(', ')}`);
    // The replica's stopped: the rest of the suite runs on the survivor.
    await stopProcess(replica.child);
    if (replica === a) a = undefined;
    else b = undefined;
    const events = await taskEvents(survivor.url, id);
    assert.ok(events.some(e => e.body?.status === 'failed' && e.body?.stepId));
  },
);

test(
  'bad input: a replica configured with local-only settings refuses to start, in one line',
  { timeout: 300_000 },
  async () => {
    const r = refusing;
    const refusal = () =>
      (existsSync(r.log) ? readFileSync(r.log, 'utf8') : '')
        .split('\n')
        .find(l => l.includes('Golden Path refuses to start'));
    try {
      await until(
        'the refusal in the log',
        () => refusal() || r.child.exitCode !== null,
        { timeoutMs: 240_000 },
      );
      const line = refusal();
      assert.ok(line, logTail(r));
      // Refused before any plugin started: a scaffolder started beside a
      // refusing plugin claims tasks from the shared queue and leaves them
      // half-run. The process exits.
      const log = readFileSync(r.log, 'utf8');
      assert.doesNotMatch(log, /Plugin initialization started/, logTail(r));
      await until(
        'the refusing replica to exit',
        () => r.child.exitCode !== null,
        { timeoutMs: 30_000 },
      );
      assert.notEqual(r.child.exitCode, 0);
      // It never served.
      assert.ok(
        !(
          await fetch(`${r.url}/.backstage/health/v1/readiness`).catch(
            () => undefined,
          )
        )?.ok,
      );
      assert.match(
        line,
        /goldenPath\.publish\.local\.allowedRoots names .* on this machine's disk, which the other replicas do not see; remove it, or mount one shared filesystem at that path on every replica and set goldenPath\.localRootsShared: true/,
      );
    } finally {
      await stopProcess(r.child);
    }
  },
);
