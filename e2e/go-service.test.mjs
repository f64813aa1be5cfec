// The Go service template, rendered by the real scaffolder and proven with the
// real tools. For every values file the monorepo (go-monorepo, the stage the
// service needs) and the service are rendered through the render harness, then
// the template's dev/check.sh runs what the template's steps and CI run: buf,
// sqlc, atlas.sum, gofmt, go build/vet/test -race (integration tests on a fresh
// PostgreSQL database, the binary's boot test with a real gRPC client), the
// dependency rule with go list -deps, buf breaking, sqlc diff, atlas migrate
// diff/lint. Bad values are refused before anything is written. A real task
// adds a service to a monorepo published locally and registers its entities,
// which the insights backend then reads.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BACKEND_URL,
  ROOT,
  RESULTS_DIR,
  authHeaders,
} from './lib/processes.mjs';
import { runTask } from './lib/tasks.mjs';
import { backendForSuite } from './lib/suiteBackend.mjs';
import { monorepoShell } from './lib/monorepoShell.mjs';
import { renderTemplate as render } from './lib/render.mjs';
import { GOFLAGS } from './lib/goFlags.mjs';
import { freePort } from './lib/ports.mjs';

const run = promisify(execFile);
const BASE = BACKEND_URL;
const SERVICE_TEMPLATE = join(ROOT, 'templates/go-service');
const MONOREPO_TEMPLATE = join(ROOT, 'templates/go-monorepo');
const OUT = join(RESULTS_DIR, 'render/go-service');
const valueSets = readdirSync(join(SERVICE_TEMPLATE, 'values'))
  .filter(f => f.endsWith('.json'))
  .map(f => f.replace(/\.json$/, ''));
const timings = [];
// rabbitmqctl on PATH, for the async stage's broker restart test.
const RABBITMQCTL = (process.env.PATH ?? '')
  .split(':')
  .map(dir => join(dir, 'rabbitmqctl'))
  .find(p => existsSync(p));

backendForSuite('go-service', { out: OUT, timings });

describe('every values file: rendered by the scaffolder, built, tested and run', () => {
  for (const label of valueSets) {
    test(label, { timeout: 900_000 }, async () => {
      const values = JSON.parse(
        readFileSync(join(SERVICE_TEMPLATE, 'values', `${label}.json`), 'utf8'),
      );
      const monoValues = join(
        MONOREPO_TEMPLATE,
        'values',
        values.stage === 'async' ? 'async.json' : 'mvp.json',
      );
      const mono = await render(
        MONOREPO_TEMPLATE,
        monoValues,
        join(OUT, `${label}-monorepo`),
      );
      assert.equal(mono.code, 0, mono.stderr);
      const t0 = Date.now();
      const svc = await render(
        SERVICE_TEMPLATE,
        join(SERVICE_TEMPLATE, 'values', `${label}.json`),
        join(OUT, `${label}-service`),
      );
      assert.equal(svc.code, 0, svc.stderr);
      assert.match(
        svc.stdout,
        /completed\s+Lint protos|completed\s+.*buf:lint/,
      );
      try {
        const r = await run(
          'bash',
          [
            join(SERVICE_TEMPLATE, 'dev/check.sh'),
            join(SERVICE_TEMPLATE, 'values', `${label}.json`),
            join(OUT, label),
          ],
          {
            cwd: ROOT,
            maxBuffer: 64 * 1024 * 1024,
            env: {
              ...process.env,
              GOFLAGS,
              MONOREPO_RENDERED: join(OUT, `${label}-monorepo`),
              RENDERED: join(OUT, `${label}-service`),
              // The async stage's broker restart test stops and starts RabbitMQ; this suite runs under
              // the e2e lock, so it may (the generated test skips without TEST_RABBITMQCTL).
              ...(process.env.TEST_RABBITMQCTL || !RABBITMQCTL
                ? {}
                : { TEST_RABBITMQCTL: RABBITMQCTL }),
            },
          },
        );
        process.stdout.write(r.stdout.replace(/^/gm, '# '));
        const tested = /= render service -> tested service\s+([\d.]+)s/.exec(
          r.stdout,
        )?.[1];
        timings.push(
          `${label}: render ${((Date.now() - t0) / 1000).toFixed(
            1,
          )}s wall incl. checks; render -> tested service ${tested}s`,
        );
        assert.match(r.stdout, /TOTAL/);
      } catch (e) {
        assert.fail(`check.sh failed:\n${e.stdout}\n${e.stderr}`);
      }
    });
  }
});

test('spans and log records of the built service reach the real OpenTelemetry Collector', async () => {
  // The catalog service rendered, built and tested above; its boot test runs
  // the binary against TEST_OTLP_ENDPOINT: here a collector of tools/otelcol
  // (the compose image's version) printing what it receives.
  const svc = join(OUT, 'catalog/services/catalog-service');
  assert.ok(existsSync(join(svc, 'go.mod')), 'catalog was not rendered');
  const port = await freePort();
  const config = join(OUT, 'otelcol-debug.yaml');
  writeFileSync(
    config,
    [
      'receivers:',
      '  otlp:',
      '    protocols:',
      '      grpc:',
      `        endpoint: 127.0.0.1:${port}`,
      'exporters:',
      '  debug:',
      '    verbosity: detailed',
      'service:',
      '  telemetry:',
      '    metrics:',
      '      level: none',
      '  pipelines:',
      '    traces: {receivers: [otlp], exporters: [debug]}',
      '    logs: {receivers: [otlp], exporters: [debug]}',
      '',
    ].join('\n'),
  );
  let out = '';
  const collector = spawn(join(ROOT, '.tools/bin/otelcol'), [
    `--config=${config}`,
  ]);
  collector.stdout.on('data', d => (out += d));
  collector.stderr.on('data', d => (out += d));
  const exited = new Promise(resolve => collector.on('exit', resolve));
  try {
    for (let i = 0; !out.includes('Everything is ready'); i++) {
      assert.ok(i < 100, `the collector did not start:\n${out}`);
      await new Promise(r => setTimeout(r, 100));
    }
    await run(
      'go',
      [
        'test',
        '-count=1',
        '-run',
        'TestBinaryBootsServesAndStops',
        './tests/e2e/',
      ],
      {
        cwd: svc,
        env: { ...process.env, TEST_OTLP_ENDPOINT: `127.0.0.1:${port}` },
      },
    );
  } finally {
    collector.kill('SIGTERM');
    await exited;
  }
  const logs = out.match(/LogRecord #\d+/g) ?? [];
  const spans = out.match(/Span #\d+/g) ?? [];
  timings.push(
    `real collector: ${logs.length} log records, ${spans.length} spans received`,
  );
  assert.match(out, /service\.name: Str\(catalog-service\)/);
  assert.match(out, /Body: Str\(gRPC server listening\)/);
  assert.match(out, /Body: Str\(gRPC server stopped\)/);
  assert.match(out, /Name\s*: catalog\.v1\.ProductService\/CreateProduct/);
  assert.match(out, /Name\s*: catalog\.v1\.ProductService\/GetProduct/);
});

test('rendering again yields no diff', async () => {
  const values = join(SERVICE_TEMPLATE, 'values/orders.json');
  const [a, b] = [join(OUT, 'again-1'), join(OUT, 'again-2')];
  for (const out of [a, b])
    assert.equal((await render(SERVICE_TEMPLATE, values, out)).code, 0);
  const r = await run('diff', ['-r', a, b]).then(
    () => ({ code: 0 }),
    e => e,
  );
  assert.equal(r.code, 0, `two renders differ:\n${r.stdout}`);
});

describe('refuses bad values before anything is written', () => {
  const base = JSON.parse(
    readFileSync(join(SERVICE_TEMPLATE, 'values/orders.json'), 'utf8'),
  );
  const field = (patch, i = 0) => ({
    fields: base.fields.map((f, j) => (j === i ? { ...f, ...patch } : f)),
  });
  const job = {
    name: 'reconcile_orders',
    schedule: '0 */5 * * * *',
    timeout: '1m',
  };
  const cases = [
    ['a Go keyword as name', { name: 'func' }, /name/],
    ['capitals in the name', { name: 'Order' }, /name/],
    ['.. in the name', { name: 'a..b' }, /name/],
    ['a slash in the name', { name: 'a/b' }, /name/],
    ['non-ASCII in the name', { name: 'ordér' }, /name/],
    ['a name ending in -service', { name: 'order-service' }, /name/],
    ['a reserved field name', field({ name: 'id' }), /fields/],
    ['a field named like a SQL keyword', field({ name: 'select' }), /fields/],
    [
      'an enum without values',
      field({ type: 'enum', values: [] }, 6),
      /fields\[6\] "priority": an enum needs values, e.g. low, normal, high/,
    ],
    [
      'duplicate field names',
      { fields: [...base.fields, base.fields[0]] },
      /field names must be unique; customer_name appears twice/,
    ],
    [
      'a transition to an unknown state',
      { transitions: [{ name: 'confirm', from: 'pending', to: 'nowhere' }] },
      /transitions\[0\] "confirm": to "nowhere" is not one of the states \(pending, confirmed, shipped, delivered, cancelled\)/,
    ],
    // Scheduled jobs: the form refuses what its patterns can say (jobs.0.<field> must ...), the
    // plan action the rest (jobs[0] "<name>": ...; the dry run answers its InputError with HTTP 400).
    [
      'a job named like a Go keyword (form)',
      { jobs: [{ ...job, name: 'func' }] },
      /jobs\.0\.name must NOT be valid — snake_case and not a Go keyword/,
    ],
    [
      'a job with @every (form)',
      { jobs: [{ ...job, schedule: '@every 5m' }] },
      /jobs\.0\.schedule must match pattern .*@every is not supported/,
    ],
    [
      'a job timeout in two units (form)',
      { jobs: [{ ...job, timeout: '1m30s' }] },
      /jobs\.0\.timeout must match pattern .*A Go duration in one unit/,
    ],
    [
      'an invalid cron expression',
      { jobs: [{ ...job, schedule: '0 61 * * * *' }] },
      /jobs\[0\] "reconcile_orders": schedule "0 61 \* \* \* \*": end of range \(61\) above maximum \(59\): 61/,
    ],
    [
      'duplicate job names',
      { jobs: [job, { ...job, schedule: '@hourly' }] },
      /jobs\[1\] "reconcile_orders": job names must be unique; reconcile_orders is also jobs\[0\]/,
    ],
    [
      "a job timeout longer than the schedule's period",
      { jobs: [{ ...job, timeout: '10m' }] },
      /jobs\[0\] "reconcile_orders": timeout 10m is longer than 5m0s, the shortest interval of schedule "0 \*\/5 \* \* \* \*", so runs could overlap/,
    ],
    // Names: the plan refuses a plural equal to the singular (the form cannot compare two fields).
    [
      'an aggregate whose plural is the same word',
      { aggregate: 'Sheep' },
      /aggregate "Sheep": its plural is the same word \(Sheep\)/,
    ],
    [
      'a plural equal to the aggregate',
      { aggregatePlural: 'Order' },
      /aggregatePlural "Order" is the aggregate itself/,
    ],
    [
      'an unknown final state',
      { finalStates: ['lost'] },
      /finalStates\[0\] "lost" is not one of the states \(pending, confirmed, shipped, delivered, cancelled\)/,
    ],
    [
      'a deadline in days (form)',
      { rpcTimeout: '2d' },
      /rpcTimeout must match pattern/,
    ],
    [
      'a deadline above an hour',
      { rpcTimeout: '90m' },
      /rpcTimeout "90m" must be a Go duration in one unit from 100ms to 1h/,
    ],
    [
      "a job in the aggregate's use-case package",
      { jobs: [{ ...job, name: 'order' }] },
      /jobs\[0\] "order": its package orderuc is the package of the Order use cases/,
    ],
  ];
  for (const [label, patch, message] of cases) {
    test(label, async () => {
      const file = join(OUT, `bad-${label.replace(/\W+/g, '-')}.json`);
      const out = `${file}.out`;
      writeFileSync(file, JSON.stringify({ ...base, ...patch }));
      const r = await render(SERVICE_TEMPLATE, file, out);
      assert.notEqual(r.code, 0, 'bad values were accepted');
      assert.match(r.stderr, message);
      assert.ok(!existsSync(out), 'files were written for refused values');
    });
  }
});

// Plural names through the real scaffolder: the plan's plural (pluralize) in
// the RPC, its messages, the table, the sqlc query and its generated Go, the
// docs; the template's buf lint step passes and buf lint passes again on the
// published proto with the monorepo's buf.yaml.
describe('plural names rendered through the real scaffolder', () => {
  const base = JSON.parse(
    readFileSync(join(SERVICE_TEMPLATE, 'values/catalog.json'), 'utf8'),
  );
  const nouns = [
    ['LedgerEntry', 'LedgerEntries', 'ledger_entries'],
    ['Person', 'People', 'people'],
    ['Analysis', 'Analyses', 'analyses'],
    ['Address', 'Addresses', 'addresses'],
    ['Quiz', 'Quizzes', 'quizzes'],
    ['Entry', 'Entries', 'entries'],
    ['Category', 'Categories', 'categories'],
    ['Bus', 'Buses', 'buses'],
    ['Index', 'Indices', 'indices'],
    ['Box', 'Boxes', 'boxes'],
    ['Child', 'Children', 'children'],
    ['Policy', 'Policies', 'policies'],
    ['Batch', 'Batches', 'batches'],
    ['Leaf', 'Leaves', 'leaves'],
    ['Hero', 'Heroes', 'heroes'],
    ['Invoice', 'Invoices', 'invoices'],
    ['Criterion', 'Criteria', 'criteria'],
    ['Matrix', 'Matrices', 'matrices'],
    ['Woman', 'Women', 'women'],
    ['Knife', 'Knives', 'knives'],
  ];
  for (const [aggregate, plural, table] of nouns) {
    test(
      `${aggregate} -> ${plural} (${table})`,
      { timeout: 300_000 },
      async () => {
        const name = `n${aggregate.toLowerCase()}`;
        const file = join(OUT, `plural-${aggregate}.json`);
        const out = join(OUT, `plural-${aggregate}`);
        writeFileSync(file, JSON.stringify({ ...base, name, aggregate }));
        const r = await render(SERVICE_TEMPLATE, file, out);
        assert.equal(r.code, 0, r.stderr);
        assert.match(
          r.stdout,
          /completed\s+Lint protos|completed\s+.*buf:lint/,
        );
        const svc = join(out, `services/${name}-service`);
        const proto = readFileSync(
          join(out, `api/proto/${name}/v1/${name}_service.proto`),
          'utf8',
        );
        assert.match(
          proto,
          new RegExp(
            `rpc List${plural}\\(List${plural}Request\\) returns \\(List${plural}Response\\);`,
          ),
        );
        assert.match(proto, new RegExp(`repeated ${aggregate} ${table} = 1;`));
        assert.match(
          proto,
          new RegExp(
            `pages through ${table.replace(/_/g, ' ')} in creation order`,
          ),
        );
        if (plural !== `${aggregate}s`) {
          assert.doesNotMatch(
            proto,
            new RegExp(`${aggregate}s\\b`),
            'a plural made by appending s',
          );
        }
        assert.match(
          readFileSync(join(svc, 'db/schema/schema.sql'), 'utf8'),
          new RegExp(`^CREATE TABLE ${table} \\(`, 'm'),
        );
        const aggSnake = aggregate
          .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
          .toLowerCase();
        const queries = readFileSync(
          join(svc, `db/queries/${aggSnake}.sql`),
          'utf8',
        );
        assert.match(
          queries,
          new RegExp(
            `-- name: List${plural} :many\nSELECT \\* FROM ${table}\n`,
          ),
        );
        // The dry run returns the rendered files; generate the query code as the template's step does.
        await run('sqlc', ['generate'], { cwd: join(svc, 'db') });
        const sqlcgen = readFileSync(
          join(svc, 'sqlcgen', `${aggSnake}.sql.go`),
          'utf8',
        );
        assert.match(
          sqlcgen,
          new RegExp(`func \\(q \\*Queries\\) List${plural}\\(`),
        );
        assert.match(
          readFileSync(join(svc, 'docs/index.md'), 'utf8'),
          new RegExp(`\`List${plural}\``),
        );
        // buf lint on the published proto with the monorepo's buf module configuration.
        const lint = join(OUT, `plural-${aggregate}-lint`);
        rmSync(lint, { recursive: true, force: true });
        cpSync(join(SERVICE_TEMPLATE, 'proto-base'), lint, { recursive: true });
        cpSync(join(out, `api/proto/${name}`), join(lint, name), {
          recursive: true,
        });
        await run('buf', ['lint'], { cwd: lint });
      },
    );
  }
});

describe('a real task adds a service to a local monorepo and registers it', () => {
  const suffix = Date.now().toString(36);
  const monorepo = `svc-${suffix}`;
  const serviceValues = {
    ...JSON.parse(
      readFileSync(join(SERVICE_TEMPLATE, 'values/orders.json'), 'utf8'),
    ),
    system: `system:default/${monorepo}`,
    localPath: monorepo,
    // Free text with what YAML treats specially: it must reach the catalog unchanged.
    description:
      'Orders: placed, paid & shipped - the #1 "source" of truth, 100% [v1]',
  };

  test(
    'the monorepo, then the service, as real tasks',
    { timeout: 600_000 },
    async () => {
      const mono = await runTask('template:default/go-monorepo', {
        ...JSON.parse(
          readFileSync(join(MONOREPO_TEMPLATE, 'values/mvp.json'), 'utf8'),
        ),
        projectName: monorepo,
        localPath: monorepo,
      });
      assert.equal(mono.status, 'completed', mono.log);
      const t0 = Date.now();
      const svc = await runTask('template:default/go-service', serviceValues);
      timings.push(
        `real go-service task: ${((Date.now() - t0) / 1000).toFixed(1)}s`,
      );
      assert.equal(svc.status, 'completed', svc.log);
      const dir = join(
        process.env.GOLDEN_PATH_LOCAL_ROOT,
        monorepo,
        'services/order-service',
      );
      for (const f of [
        'cmd/main.go',
        'db/migrations/atlas.sum',
        'sqlcgen/db.go',
        'internal/domain/entity',
      ]) {
        assert.ok(existsSync(join(dir, f)), `${f} not published`);
      }
      // The service is in the monorepo's go.work and builds there.
      const root = join(process.env.GOLDEN_PATH_LOCAL_ROOT, monorepo);
      assert.match(
        readFileSync(join(root, 'go.work'), 'utf8'),
        /^\t\.\/services\/order-service$/m,
      );
      await run('go', ['build', './services/order-service/...'], {
        cwd: root,
        env: { ...process.env, GOFLAGS },
      });
      // Its scrape target and dashboard joined the monorepo's deploy/ (merge):
      // the local Prometheus config, with the target, passes promtool.
      for (const f of [
        'deploy/prometheus/targets/order-service.yml',
        'deploy/grafana/dashboards/order-service.json',
        'deploy/prometheus/targets/README.md',
      ])
        assert.ok(existsSync(join(root, f)), `${f} not in the monorepo`);
      const promtool = await run(
        join(ROOT, '.tools/bin/promtool'),
        ['check', 'config', 'deploy/prometheus/prometheus.yml'],
        { cwd: root },
      );
      assert.match(promtool.stdout, /is valid prometheus config file syntax/);
      // No loose files: the service is one commit on the monorepo's main, on
      // top of its initial commit, and the working tree is clean.
      const { git, gitChanges } = monorepoShell(root);
      assert.deepEqual(await gitChanges(), []);
      assert.equal(
        (await git('log', '--format=%s|%an', '-2')).stdout.trim(),
        `feat: add order-service|Golden Path\nchore: create ${monorepo} from the Go monorepo template|Golden Path`,
      );
      const committed = (await git('diff', '--name-only', 'HEAD^', 'HEAD'))
        .stdout;
      for (const f of [
        'go.work',
        'services/order-service/cmd/main.go',
        'api/proto/order/v1/order_service.proto',
        'pkg/proto/order/v1/order_service.pb.go',
        'deploy/prometheus/targets/order-service.yml',
        'deploy/grafana/dashboards/order-service.json',
      ])
        assert.match(
          committed,
          new RegExp(`^${f.replace(/\./g, '\\.')}$`, 'm'),
          `${f} not committed`,
        );
      assert.match(
        readFileSync(join(dir, 'configs/local.env'), 'utf8'),
        /^METRICS_PORT=51051$[\s\S]*^OTEL_EXPORTER_OTLP_ENDPOINT=localhost:4317$/m,
      );
      for (const [kind, name] of [
        ['component', 'order-service'],
        ['api', 'order-grpc-api'],
        ['resource', 'order-db'],
      ]) {
        const res = await fetch(
          `${BASE}/api/catalog/entities/by-name/${kind}/default/${name}`,
          { headers: authHeaders() },
        );
        assert.equal(res.status, 200, `${kind}:${name} is not in the catalog`);
        if (kind === 'component')
          assert.equal(
            (await res.json()).metadata.description,
            serviceValues.description,
          );
      }
      const insights = await (
        await fetch(
          `${BASE}/api/golden-path/entities/component/default/order-service/insights`,
          { headers: authHeaders() },
        )
      ).json();
      assert.deepEqual(
        insights.layers.violations,
        [],
        'the generated service breaks the dependency rule',
      );
      assert.ok(
        insights.layers.layers.find(l => l.layer === 'domain')?.packages > 0,
        'no domain packages found',
      );
      assert.ok(
        insights.protos.files.some(f =>
          f.services.some(s => s.name === 'OrderService'),
        ),
        'OrderService not found',
      );
      assert.equal(insights.migrations.sum.status, 'ok');
    },
  );

  test(
    'adding the same service again is refused and changes nothing',
    { timeout: 300_000 },
    async () => {
      const dir = join(
        process.env.GOLDEN_PATH_LOCAL_ROOT,
        monorepo,
        'services/order-service',
      );
      const before = readFileSync(join(dir, 'cmd/main.go'), 'utf8');
      const again = await runTask('template:default/go-service', serviceValues);
      assert.equal(again.status, 'failed');
      assert.match(
        again.log,
        /services\/order-service already exists in svc-[a-z0-9]+: pick another service name/,
      );
      assert.equal(readFileSync(join(dir, 'cmd/main.go'), 'utf8'), before);
    },
  );
});
