// Calling another service (the Go service template's dependsOn): two services
// rendered by the real scaffolder into one local monorepo, the second depending
// on the first. The generated client's tests run over real gRPC on loopback
// (deadline, correlation id, trace, retries, the breaker opening and closing);
// then the first service's real binary runs on a fresh database and the
// second's client calls it: the first service's own log shows the correlation
// id, trace id and deadline the call carried. The catalog shows the
// dependency (consumesApis, dependsOn and their relations). Bad dependsOn
// values are refused by the form or by the plan before anything is written.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BACKEND_URL,
  ROOT,
  RESULTS_DIR,
  authHeaders,
  startReadyBackend,
  stopProcess,
} from './lib/processes.mjs';
import { psql, PG } from './lib/postgres.mjs';
import { runTask } from './lib/tasks.mjs';
import { GOFLAGS } from './lib/goFlags.mjs';
import { freePort } from './lib/ports.mjs';

const run = promisify(execFile);
const BASE = BACKEND_URL;
const SERVICE_TEMPLATE = join(ROOT, 'templates/go-service');
const MONOREPO_TEMPLATE = join(ROOT, 'templates/go-monorepo');
const suffix = Date.now().toString(36);
const monorepo = `dep-${suffix}`;
const OUT = join(RESULTS_DIR, 'service-dependency');
const goEnv = { ...process.env, GOFLAGS, GOTOOLCHAIN: 'local' };
let backend;
let root;

const json = file => JSON.parse(readFileSync(file, 'utf8'));
const first = {
  ...json(join(SERVICE_TEMPLATE, 'values/order-history.json')),
  system: `system:default/${monorepo}`,
  localPath: monorepo,
};
const second = {
  ...json(join(SERVICE_TEMPLATE, 'values/catalog.json')),
  system: `system:default/${monorepo}`,
  localPath: monorepo,
  dependsOn: ['order-history'],
};

before(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  backend = await startReadyBackend('service-dependency-backend');
  root = join(process.env.GOLDEN_PATH_LOCAL_ROOT, monorepo);
  // The templates reach the catalog a little after the backend is ready.
  for (const name of ['go-monorepo', 'go-service']) {
    for (let i = 0; ; i++) {
      const res = await fetch(
        `${BASE}/api/catalog/entities/by-name/template/default/${name}`,
        { headers: authHeaders() },
      );
      if (res.status === 200) break;
      if (i === 180)
        assert.fail(`template ${name} not in the catalog after 3 minutes`);
      await new Promise(r => setTimeout(r, 1000));
    }
  }
});

after(async () => {
  if (backend) await stopProcess(backend);
});

/** An HS256 token the first service accepts (JWT_SECRET), with the reader role. */
function token(secret) {
  const b64 = o => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    sub: 'catalog-service',
    roles: ['reader'],
    iat: now,
    exp: now + 600,
  })}`;
  return `${body}.${createHmac('sha256', secret)
    .update(body)
    .digest('base64url')}`;
}

describe('two services, the second depending on the first', () => {
  test(
    'the monorepo and both services as real tasks; the client over real gRPC',
    { timeout: 900_000 },
    async () => {
      const mono = await runTask('template:default/go-monorepo', {
        ...json(join(MONOREPO_TEMPLATE, 'values/mvp.json')),
        projectName: monorepo,
        localPath: monorepo,
      });
      assert.equal(mono.status, 'completed', mono.log);
      const a = await runTask('template:default/go-service', first);
      assert.equal(a.status, 'completed', a.log);
      const b = await runTask('template:default/go-service', second);
      assert.equal(b.status, 'completed', b.log);
      const svc = join(root, 'services/catalog-service');
      for (const f of [
        'internal/adapter/outbound/grpcclient/order_history_client.go',
        'internal/adapter/outbound/grpcclient/conn.go',
        'internal/application/port/output/order_history_client.go',
        'internal/infrastructure/fx/external_module.go',
      ]) {
        assert.ok(existsSync(join(svc, f)), `${f} not published`);
      }
      const info = readFileSync(join(svc, 'catalog-info.yaml'), 'utf8');
      assert.match(info, /consumesApis:\n {4}- order-history-grpc-api\n/);
      assert.match(info, /- component:order-history-service\n/);
      assert.match(
        readFileSync(join(svc, 'configs/local.env'), 'utf8'),
        /^ORDER_HISTORY_GRPC_ADDR=localhost:50071$/m,
      );
      // go.mod/go.sum of the template render tidy with the dependencies too
      // (their conditions are not made by golden-path template sync-gomod).
      for (const dir of [svc, join(root, 'services/order-history-service')])
        await run('go', ['mod', 'tidy', '-diff'], { cwd: dir, env: goEnv });
      await run(
        'go',
        [
          'build',
          './services/order-history-service/...',
          './services/catalog-service/...',
        ],
        { cwd: root, env: goEnv },
      );
      await run('go', ['vet', './...'], { cwd: svc, env: goEnv });
      const t = await run(
        'go',
        [
          'test',
          '-race',
          '-count=1',
          '-v',
          './internal/adapter/outbound/grpcclient/',
          './internal/infrastructure/...',
        ],
        { cwd: svc, env: goEnv, maxBuffer: 32 * 1024 * 1024 },
      );
      for (const name of [
        'CarriesDeadlineCorrelationAndTrace',
        'KeepsAShorterDeadline',
        'RetriesIdempotentCalls',
        'NotFoundKeepsTheBreakerClosed',
        'BreakerOpensAndCloses',
      ]) {
        assert.match(
          t.stdout,
          new RegExp(`--- PASS: TestOrderHistoryClient${name} `),
          `TestOrderHistoryClient${name} did not pass`,
        );
      }
      process.stdout.write(
        t.stdout
          .split('\n')
          .filter(l => /^(--- |ok )/.test(l))
          .map(l => `# ${l}\n`)
          .join(''),
      );
    },
  );

  test(
    'the real first service answers the second one with what the call carried',
    { timeout: 600_000 },
    async () => {
      const db = `dep_${suffix}`.replace(/[^a-z0-9_]/g, '_');
      psql(`CREATE DATABASE ${db}`);
      const url = `postgres://${PG.user}@${PG.host}:${PG.port}/${db}?sslmode=disable`;
      let child;
      try {
        const svcA = join(root, 'services/order-history-service');
        await run(
          'atlas',
          [
            'migrate',
            'apply',
            '--dir',
            `file://${join(svcA, 'db/migrations')}`,
            '--url',
            url,
          ],
          { env: process.env },
        );
        const bin = join(OUT, 'order-history-service');
        await run('go', ['build', '-o', bin, './cmd'], {
          cwd: svcA,
          env: goEnv,
        });
        const port = await freePort();
        const secret = `e2e-secret-${suffix}-0123456789abcdefghijklmnop`;
        let log = '';
        child = spawn(bin, [], {
          env: {
            ...process.env,
            GRPC_PORT: String(port),
            METRICS_PORT: '0',
            DATABASE_URL: url,
            JWT_SECRET: secret,
            LOG_FORMAT: 'json',
            SHUTDOWN_DRAIN_DELAY: '0s',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout.on('data', d => (log += d));
        child.stderr.on('data', d => (log += d));
        const svcB = join(root, 'services/catalog-service');
        let live;
        for (let i = 0; i < 60; i++) {
          try {
            live = await run(
              'go',
              [
                'test',
                '-count=1',
                '-v',
                '-run',
                'TestOrderHistoryClientLive',
                './internal/adapter/outbound/grpcclient/',
              ],
              {
                cwd: svcB,
                env: {
                  ...goEnv,
                  ORDER_HISTORY_LIVE_ADDR: `127.0.0.1:${port}`,
                  ORDER_HISTORY_LIVE_TOKEN: token(secret),
                },
              },
            );
            break;
          } catch (e) {
            // Not listening yet: the client answers UNAVAILABLE.
            if (!/Unavailable|UNAVAILABLE|connection refused/.test(e.stdout))
              throw new Error(`live test failed:\n${e.stdout}\n${log}`);
            await new Promise(r => setTimeout(r, 1000));
          }
        }
        assert.ok(live, `the first service never answered:\n${log}`);
        const [, corr, trace] =
          /live call: correlation_id=(\S+) trace_id=([0-9a-f]{32}) timeout=2s/.exec(
            live.stdout,
          ) ?? [];
        assert.ok(corr, live.stdout);
        const entry = log
          .split('\n')
          .filter(l => l.startsWith('{'))
          .map(l => JSON.parse(l))
          .find(
            e =>
              e.method === '/orderhistory.v1.OrderLineService/GetOrderLine' &&
              e.correlation_id === corr,
          );
        assert.ok(entry, `no log entry of the call in:\n${log}`);
        assert.equal(
          entry.trace_id,
          trace,
          'the trace did not reach the service',
        );
        assert.equal(entry.grpc_code, 'NotFound');
        assert.ok(
          entry.deadline_ms > 1000 && entry.deadline_ms <= 2000,
          `deadline_ms ${entry.deadline_ms}: the client's 2s deadline did not reach the service`,
        );
        process.stdout.write(
          `# order-history-service logged: ${JSON.stringify({
            method: entry.method,
            grpc_code: entry.grpc_code,
            correlation_id: entry.correlation_id,
            trace_id: entry.trace_id,
            deadline_ms: entry.deadline_ms,
          })}\n`,
        );
      } finally {
        if (child && child.exitCode === null) {
          const exited = new Promise(r => child.once('exit', r));
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(t);
        }
        psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      }
    },
  );

  test('the catalog shows the dependency', { timeout: 120_000 }, async () => {
    let entity;
    for (let i = 0; i < 60; i++) {
      const res = await fetch(
        `${BASE}/api/catalog/entities/by-name/component/default/catalog-service`,
        { headers: authHeaders() },
      );
      entity = res.status === 200 ? await res.json() : undefined;
      const types = (entity?.relations ?? []).map(
        r => `${r.type} ${r.targetRef}`,
      );
      if (
        types.includes('consumesApi api:default/order-history-grpc-api') &&
        types.includes('dependsOn component:default/order-history-service')
      )
        break;
      await new Promise(r => setTimeout(r, 1000));
    }
    assert.deepEqual(entity?.spec?.consumesApis, ['order-history-grpc-api']);
    assert.ok(
      entity.spec.dependsOn.includes('component:order-history-service'),
      JSON.stringify(entity.spec),
    );
    const relations = entity.relations.map(r => `${r.type} ${r.targetRef}`);
    assert.ok(
      relations.includes('consumesApi api:default/order-history-grpc-api'),
      relations.join(', '),
    );
    assert.ok(
      relations.includes('dependsOn component:default/order-history-service'),
      relations.join(', '),
    );
    // And from the other side: the first service's API names its consumer.
    const api = await (
      await fetch(
        `${BASE}/api/catalog/entities/by-name/api/default/order-history-grpc-api`,
        { headers: authHeaders() },
      )
    ).json();
    assert.ok(
      api.relations.some(
        r =>
          r.type === 'apiConsumedBy' &&
          r.targetRef === 'component:default/catalog-service',
      ),
      JSON.stringify(api.relations),
    );
  });
});

describe('bad input: dependsOn refused before anything is written', () => {
  const cases = [
    [
      'a service that does not exist in the monorepo',
      { name: 'shipping', grpcPort: 50090, dependsOn: ['inventory'] },
      /dependsOn\[0\] "inventory": dep-[a-z0-9]+ has no services\/inventory-service; its services are catalog, order-history/,
    ],
    [
      'a cycle (the service itself)',
      { name: 'shipping', grpcPort: 50090, dependsOn: ['shipping'] },
      /dependsOn\[0\] "shipping" is the service itself: a service cannot depend on itself \(a cycle\)/,
    ],
    [
      'a name that is not a service',
      { name: 'shipping', grpcPort: 50090, dependsOn: ['gateway'] },
      /instance\.dependsOn\[0\]|dependsOn\.0 |dependsOn\[0\] "gateway" is not a service/,
    ],
    [
      'a name with the -service suffix (form)',
      {
        name: 'shipping',
        grpcPort: 50090,
        dependsOn: ['order-history-service'],
      },
      /instance\.dependsOn\[0\]|dependsOn\.0 /,
    ],
  ];
  for (const [label, patch, message] of cases) {
    test(label, { timeout: 120_000 }, async () => {
      const t = await runTask('template:default/go-service', {
        ...second,
        ...patch,
      }).catch(e => ({ status: 'failed', log: String(e.message) }));
      assert.equal(t.status, 'failed', 'bad dependsOn was accepted');
      assert.match(t.log, message);
      assert.ok(
        !existsSync(join(root, 'services/shipping-service')),
        'files were written for a refused dependsOn',
      );
    });
  }
});
