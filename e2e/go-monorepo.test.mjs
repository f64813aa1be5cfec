// The Go monorepo template, rendered by the real scaffolder and proven with the
// real tools. Every values file is rendered through the render harness
// (`golden-path render`, the scaffolder's dry-run API); mvp and async are then
// checked end to end by the template's dev/check.sh --rendered (buf, go build,
// vet, test -race with integration tests, make targets, init-db.sh); every
// compose file is validated against the compose-spec JSON schema; bad values are
// refused before anything is written; and one real task publishes into the
// allow-listed local root, running buf:generate, as a git repository with one
// initial commit on main, and registers the System.
import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import YAML from 'yaml';
import {
  BACKEND_URL,
  ROOT,
  RESULTS_DIR,
  authHeaders,
} from './lib/processes.mjs';
import { backendForSuite } from './lib/suiteBackend.mjs';
import { monorepoShell } from './lib/monorepoShell.mjs';
import { renderTemplate } from './lib/render.mjs';
import { timer } from './lib/timings.mjs';
import { GOFLAGS } from './lib/goFlags.mjs';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const Ajv = require('ajv');

const BASE = BACKEND_URL;
const TEMPLATE = join(ROOT, 'templates/go-monorepo');
const OUT = join(RESULTS_DIR, 'render/go-monorepo');
const CLI = join(ROOT, 'packages/cli/bin/golden-path');
// actionlint, pinned in tools/actionlint/go.mod and built by scripts/setup.sh.
const ACTIONLINT = join(ROOT, '.tools/bin/actionlint');
// promtool and an OpenTelemetry Collector at the compose images' versions
// (tools/promtool, tools/otelcol), built by scripts/setup.sh.
const PROMTOOL = join(ROOT, '.tools/bin/promtool');
const OTELCOL = join(ROOT, '.tools/bin/otelcol');
const valueSets = readdirSync(join(TEMPLATE, 'values'))
  .filter(f => f.endsWith('.json'))
  .map(f => f.replace(/\.json$/, ''));
const timings = [];

const timed = timer(timings);

/** Runs the render harness on this template; resolves with { code, stdout, stderr }. */
const render = (valuesFile, outDir) =>
  renderTemplate(TEMPLATE, valuesFile, outDir);

backendForSuite('go-monorepo', { out: OUT, timings });

describe('renders every values file through the harness', () => {
  for (const name of valueSets) {
    test(`${name}: rendered, lint-clean protos, a valid compose file`, async () => {
      const dir = join(OUT, name);
      const r = await timed(`render ${name}`, () =>
        render(join(TEMPLATE, 'values', `${name}.json`), dir),
      );
      assert.equal(r.code, 0, `render failed:\n${r.stderr}`);
      assert.match(r.stdout, /completed\s+Check the values/);
      assert.match(r.stdout, /completed\s+Lint protos/);
      for (const f of [
        'go.work',
        'Makefile',
        'pkg/go.mod',
        'api/proto/buf.yaml',
        'scripts/init-db.sh',
        'catalog-info.yaml',
      ]) {
        assert.ok(existsSync(join(dir, f)), `${f} missing`);
      }
      const schema = JSON.parse(
        readFileSync(join(ROOT, 'e2e/fixtures/compose-spec.json'), 'utf8'),
      );
      const validate = new Ajv({
        allErrors: true,
        strict: false,
        validateSchema: false,
      }).compile(schema);
      const compose = YAML.parse(
        readFileSync(join(dir, 'deploy/docker-compose.yml'), 'utf8'),
      );
      assert.ok(validate(compose), JSON.stringify(validate.errors, null, 2));
      assert.ok(
        compose.services.postgres?.healthcheck,
        'postgres has no health check',
      );
      const observability = Object.entries(compose.services).filter(([, s]) =>
        s.profiles?.includes('observability'),
      );
      process.stdout.write(
        `# ${name}: deploy/docker-compose.yml declares ${Object.entries(
          compose.services,
        )
          .map(([n, s]) => (s.profiles ? `${n} (${s.profiles})` : n))
          .join(', ')}\n`,
      );
      assert.deepEqual(observability.map(([n]) => n).sort(), [
        'grafana',
        'loki',
        'otel-collector',
        'prometheus',
        'tempo',
      ]);
      // Grafana is provisioned with its data sources and the dashboards folder.
      const grafanaMounts = compose.services.grafana.volumes.join('\n');
      for (const mount of [
        './grafana/datasources.yaml:/etc/grafana/provisioning/datasources/',
        './grafana/dashboards.yaml:/etc/grafana/provisioning/dashboards/',
        './grafana/dashboards:/var/lib/grafana/dashboards',
      ])
        assert.ok(
          grafanaMounts.includes(mount),
          `grafana does not mount ${mount}`,
        );
      const sources = YAML.parse(
        readFileSync(join(dir, 'deploy/grafana/datasources.yaml'), 'utf8'),
      ).datasources.map(d => `${d.type}:${d.url}`);
      assert.deepEqual(sources.sort(), [
        'loki:http://loki:3100',
        'prometheus:http://prometheus:9090',
        'tempo:http://tempo:3200',
      ]);
      // The example job alert rules name only metrics pkg/job registers.
      const alerts = YAML.parse(
        readFileSync(join(dir, 'deploy/prometheus/job-alerts.yml'), 'utf8'),
      );
      const metricsGo = readFileSync(join(dir, 'pkg/job/metrics.go'), 'utf8');
      const rules = alerts.groups.flatMap(g => g.rules);
      assert.ok(rules.length >= 2, 'no job alert rules');
      for (const rule of rules) {
        for (const metric of rule.expr.match(/\bjob_[a-z_]+/g) ?? []) {
          assert.ok(
            metricsGo.includes(`"${metric}"`),
            `${rule.alert} uses ${metric}, which pkg/job does not register`,
          );
        }
      }
    });
  }

  test('existing-system joins the picked System instead of creating one', () => {
    const values = JSON.parse(
      readFileSync(join(TEMPLATE, 'values/existing-system.json'), 'utf8'),
    );
    const docs = YAML.parseAllDocuments(
      readFileSync(join(OUT, 'existing-system/catalog-info.yaml'), 'utf8'),
    ).map(d => d.toJSON());
    assert.ok(
      !docs.some(d => d.kind === 'System'),
      'a System was created although one was picked',
    );
    const location = docs.find(d => d.kind === 'Location');
    assert.ok(location, 'no Location for the services');
    const mvp = YAML.parseAllDocuments(
      readFileSync(join(OUT, 'mvp/catalog-info.yaml'), 'utf8'),
    ).map(d => d.toJSON());
    assert.ok(
      mvp.some(d => d.kind === 'System' && d.metadata.name === 'shop'),
      'mvp has no System shop',
    );
    assert.ok(values.system, 'existing-system.json picks no system');
  });

  test('the CI workflow passes actionlint for every values file, runs the per-service checks, and a broken workflow fails actionlint', async () => {
    const actionlint = (file, cwd) =>
      run(ACTIONLINT, ['-no-color', file], { cwd }).then(
        r => ({ code: 0, out: r.stdout + r.stderr }),
        e => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
      );
    const workflow = '.github/workflows/ci.yml';
    for (const name of valueSets) {
      const dir = join(OUT, name);
      const r = await actionlint(workflow, dir);
      assert.equal(r.code, 0, `${name}: actionlint ${workflow}:\n${r.out}`);
      const ci = YAML.parse(readFileSync(join(dir, workflow), 'utf8'));
      const runs = job =>
        ci.jobs[job].steps.map(st => `${st.run ?? ''}`).join('\n');
      assert.match(runs('build'), /make lint/);
      assert.match(
        runs('build'),
        /make migrate-validate\s+ATLAS="docker run [^"]* arigaio\/atlas:0\.32\.0"\s+ATLAS_DEV_URL=/,
      );
      assert.match(
        readFileSync(join(dir, 'Makefile'), 'utf8'),
        /^migrate-validate: .*\n(.*\n)*?.*\$\(ATLAS\) migrate validate --dir "file:\/\/\$\$dir"/m,
      );
      assert.match(
        runs('images'),
        /for dir in services\/\*-service; do[\s\S]*docker buildx build --load --file "\$dir\/Dockerfile"[\s\S]*"\$dir\/db"[\s\S]*gateway\/Dockerfile/,
      );
      assert.match(
        runs('manifests'),
        /services\/\*-service\/deploy\/k8s\/overlays\/\*[\s\S]*kustomize build "\$overlay" \|\s+kubeconform -strict/,
      );
      assert.match(runs('manifests'), /kustomize\/v5@\$KUSTOMIZE_VERSION/);
      assert.match(
        ci.jobs.manifests.env.KUBECONFORM_VERSION,
        /^v\d+\.\d+\.\d+$/,
      );
    }
    // A broken workflow fails the same check: a misspelled key, an unknown
    // needs, and an expression on a context that does not exist.
    const broken = join(OUT, 'broken-workflow');
    mkdirSync(join(broken, '.github/workflows'), { recursive: true });
    const good = readFileSync(join(OUT, 'mvp', workflow), 'utf8');
    const bad = good
      .replace('runs-on: ubuntu-24.04', 'runs_on: ubuntu-24.04')
      .replace(
        '  images:\n    runs-on:',
        '  images:\n    needs: [lint]\n    runs-on:',
      )
      .replace('run: make test', 'run: make test ${{ matrix.servce }}');
    assert.notEqual(bad, good);
    writeFileSync(join(broken, workflow), bad);
    const r = await actionlint(workflow, broken);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /unexpected key "runs_on" for "job" section/);
    assert.match(r.out, /"runs-on" section is missing in job "build"/);
    assert.match(r.out, /needs job "lint" which does not exist/);
    assert.match(r.out, /property "servce" is not defined/);
  });
});

describe('the observability configs pass the real promtool and collector', () => {
  const check = (bin, args, cwd) =>
    run(bin, args, { cwd }).then(
      r => ({ code: 0, out: r.stdout + r.stderr }),
      e => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
    );
  const promtool = (args, cwd) => check(PROMTOOL, args, cwd);
  const validate = (config, cwd) =>
    check(OTELCOL, ['validate', `--config=${config}`], cwd);

  test('promtool check config/rules and otelcol validate on every rendered monorepo', async () => {
    for (const name of valueSets) {
      const dir = join(OUT, name);
      const config = await promtool(
        ['check', 'config', 'deploy/prometheus/prometheus.yml'],
        dir,
      );
      assert.equal(
        config.code,
        0,
        `${name}: promtool check config:\n${config.out}`,
      );
      // The config loads the job alert rules.
      assert.match(config.out, /SUCCESS: 1 rule files found/);
      assert.match(
        config.out,
        /Checking deploy\/prometheus\/job-alerts\.yml\s+SUCCESS: 3 rules found/,
      );
      const rules = await promtool(
        ['check', 'rules', 'deploy/prometheus/job-alerts.yml'],
        dir,
      );
      assert.equal(
        rules.code,
        0,
        `${name}: promtool check rules:\n${rules.out}`,
      );
      const col = await validate('deploy/otel/otel-collector-config.yaml', dir);
      assert.equal(col.code, 0, `${name}: otelcol validate:\n${col.out}`);
    }
    const versions = await check(OTELCOL, ['--version'], ROOT);
    process.stdout.write(
      `# ${versions.out.trim()}; promtool of tools/promtool/go.mod (Prometheus v3.5.0)\n`,
    );
  });

  test('the gateway is a scrape target like the services: its target file passes promtool and is discovered, its pods carry the scrape annotations on the port it serves /metrics on', async () => {
    for (const name of valueSets) {
      const dir = join(OUT, name);
      const config = await promtool(
        ['check', 'config', 'deploy/prometheus/prometheus.yml'],
        dir,
      );
      assert.equal(
        config.code,
        0,
        `${name}: promtool check config:\n${config.out}`,
      );
      // Prometheus's own file_sd reads targets/gateway.yml into the services
      // job (files are read at once; promtool waits out its --timeout).
      const sd = await promtool(
        [
          'check',
          'service-discovery',
          '--timeout=3s',
          'deploy/prometheus/prometheus.yml',
          'services',
        ],
        dir,
      );
      assert.equal(
        sd.code,
        0,
        `${name}: promtool check service-discovery:\n${sd.out}`,
      );
      const discovered = JSON.parse(sd.out.slice(sd.out.indexOf('[')));
      const gateway = discovered.filter(t => t.labels.service === 'gateway');
      assert.equal(gateway.length, 1, `${name}: ${sd.out}`);
      assert.equal(gateway[0].labels.__address__, 'host.docker.internal:9464');
      assert.equal(gateway[0].labels.__metrics_path__, '/metrics');
      // In the cluster: the annotations and ports the services' pods have,
      // on the address the gateway listens on for /metrics.
      const k8s = join(dir, 'deploy/k8s/gateway/base');
      const deployment = YAML.parse(
        readFileSync(join(k8s, 'deployment.yaml'), 'utf8'),
      );
      const pod = deployment.spec.template;
      assert.deepEqual(pod.metadata.annotations, {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9464',
        'prometheus.io/path': '/metrics',
      });
      assert.deepEqual(
        pod.spec.containers[0].ports.find(p => p.name === 'metrics'),
        { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
      );
      const svc = YAML.parse(readFileSync(join(k8s, 'service.yaml'), 'utf8'));
      assert.deepEqual(
        svc.spec.ports.find(p => p.name === 'metrics'),
        { name: 'metrics', port: 9464, targetPort: 'metrics', protocol: 'TCP' },
      );
      assert.match(
        readFileSync(join(k8s, 'gateway.env'), 'utf8'),
        /^GATEWAY_METRICS_ADDR=:9464$/m,
      );
      assert.match(
        readFileSync(join(dir, 'gateway/cmd/main.go'), 'utf8'),
        /config\.String\("GATEWAY_METRICS_ADDR", ":9464"\)/,
      );
    }
    // A broken target file fails promtool check config.
    const broken = join(OUT, 'broken-gateway-target');
    rmSync(broken, { recursive: true, force: true });
    cpSync(join(OUT, 'mvp/deploy'), broken, { recursive: true });
    const target = join(broken, 'prometheus/targets/gateway.yml');
    const good = readFileSync(target, 'utf8');
    const bad = good.replace('- targets:', '- target:');
    assert.notEqual(bad, good);
    writeFileSync(target, bad);
    const config = await promtool(
      ['check', 'config', 'prometheus/prometheus.yml'],
      broken,
    );
    assert.equal(config.code, 1, config.out);
    assert.match(config.out, /checking SD file[\s\S]*field target not found/);
  });

  test('a broken rule file, a misspelled collector key and an undefined exporter fail', async () => {
    const broken = join(OUT, 'broken-observability');
    rmSync(broken, { recursive: true, force: true });
    cpSync(join(OUT, 'mvp/deploy'), broken, { recursive: true });
    const alerts = join(broken, 'prometheus/job-alerts.yml');
    const good = readFileSync(alerts, 'utf8');
    const bad = good.replace(
      'sum by (job, reason) (increase(job_failures_total[1h])) > 0',
      'sum by (job, reason) (increase(job_failures_total[1h]) > 0',
    );
    assert.notEqual(bad, good);
    writeFileSync(alerts, bad);
    const rules = await promtool(['check', 'rules', alerts], broken);
    assert.equal(rules.code, 1, rules.out);
    assert.match(rules.out, /FAILED:[\s\S]*unclosed left parenthesis/);
    // The config check loads the same rule file, so it fails too.
    const config = await promtool(
      ['check', 'config', join(broken, 'prometheus/prometheus.yml')],
      broken,
    );
    assert.equal(config.code, 1, config.out);

    const collector = join(broken, 'otel/otel-collector-config.yaml');
    const cfg = readFileSync(collector, 'utf8');
    writeFileSync(
      collector,
      cfg.replace('check_interval: 1s', 'check_intervall: 1s'),
    );
    const typo = await validate(collector, broken);
    assert.equal(typo.code, 1, typo.out);
    assert.match(
      typo.out,
      /'memorylimiter\.Config' has invalid keys: check_intervall/,
    );
    writeFileSync(
      collector,
      cfg.replace('exporters: [otlp/tempo]', 'exporters: [otlp/tempoo]'),
    );
    const undefinedExporter = await validate(collector, broken);
    assert.equal(undefinedExporter.code, 1, undefinedExporter.out);
    assert.match(
      undefinedExporter.out,
      /references exporter "otlp\/tempoo" which is not configured/,
    );
  });
});

describe('the rendered monorepo builds, tests and runs its scripts', () => {
  for (const name of ['mvp', 'async']) {
    test(`${name}: dev/check.sh --rendered`, { timeout: 900_000 }, async () => {
      const dir = join(OUT, name);
      assert.ok(existsSync(join(dir, 'go.work')), `${name} was not rendered`);
      try {
        const r = await timed(`check ${name} (render -> green)`, () =>
          run('bash', [join(TEMPLATE, 'dev/check.sh'), '--rendered', dir], {
            cwd: ROOT,
            maxBuffer: 64 * 1024 * 1024,
            env: {
              ...process.env,
              GOFLAGS,
              PGHOST: '127.0.0.1',
              PGUSER: 'postgres',
            },
          }),
        );
        process.stdout.write(r.stdout.replace(/^/gm, '# '));
        assert.match(r.stdout, /TOTAL render -> green/);
      } catch (e) {
        assert.fail(`check.sh failed:\n${e.stdout}\n${e.stderr}`);
      }
      assert.ok(
        existsSync(join(dir, 'pkg/proto/common/v1/pagination.pb.go')),
        'buf generate wrote no Go code',
      );
    });
  }
});

describe('refuses bad values before anything is written', () => {
  const base = JSON.parse(
    readFileSync(join(TEMPLATE, 'values/mvp.json'), 'utf8'),
  );
  const cases = [
    ['project name with a space', { projectName: 'my shop' }, /projectName/],
    ['project name with capitals', { projectName: 'MyShop' }, /projectName/],
    ['project name with ..', { projectName: 'a..b' }, /projectName/],
    ['project name with a slash', { projectName: 'a/b' }, /projectName/],
    [
      'project name that is a Go keyword',
      { projectName: 'func' },
      /projectName/,
    ],
    ['module path without a host', { pkgModule: 'go-pkg' }, /pkgModule/],
    ['module path with ..', { pkgModule: 'github.com/acme/../x' }, /pkgModule/],
    [
      'module path with spaces',
      { pkgModule: 'github.com/acme/go pkg' },
      /pkgModule/,
    ],
    ['unsupported Go version', { goVersion: '1.19' }, /goVersion/],
    ['unknown stage', { stage: 'event-sourced' }, /stage/],
    ['local directory with a slash', { localPath: '../escape' }, /localPath/],
  ];
  for (const [label, patch, field] of cases) {
    test(label, async () => {
      const file = join(OUT, `bad-${label.replace(/\W+/g, '-')}.json`);
      const dir = `${file}.out`;
      writeFileSync(file, JSON.stringify({ ...base, ...patch }));
      const r = await render(file, dir);
      assert.notEqual(r.code, 0, 'bad values were accepted');
      assert.match(r.stderr, field);
      assert.ok(
        !existsSync(dir) || readdirSync(dir).length === 0,
        'files were written for refused values',
      );
    });
  }
});

describe('the plan action refuses bad values again when the form is bypassed', () => {
  // A copy of the template whose form accepts anything: what remains is the action.
  const open = join(OUT, 'template-without-form-checks');
  before(() => {
    cpSync(TEMPLATE, open, {
      recursive: true,
      filter: src => !src.includes('/dev'),
    });
    const template = YAML.parse(
      readFileSync(join(open, 'template.yaml'), 'utf8'),
    );
    template.spec.parameters = [{ properties: {} }];
    writeFileSync(join(open, 'template.yaml'), YAML.stringify(template));
  });
  const base = JSON.parse(
    readFileSync(join(TEMPLATE, 'values/mvp.json'), 'utf8'),
  );
  const cases = [
    [{ projectName: 'func' }, /projectName "func" is a Go keyword/],
    [
      { projectName: 'Shop Platform' },
      /projectName "Shop Platform" must be 3 to 40 lowercase letters/,
    ],
    [
      { pkgModule: 'github.com/acme/../x' },
      /pkgModule "github.com\/acme\/..\/x" has an invalid element ".."/,
    ],
    [{ goVersion: '1.19' }, /goVersion "1.19" is not supported: use 1.26/],
  ];
  for (const [patch, message] of cases) {
    test(`refuses ${JSON.stringify(patch)}`, async () => {
      const file = join(
        OUT,
        `plan-${Object.values(patch)[0].replace(/\W+/g, '-')}.json`,
      );
      const dir = `${file}.out`;
      writeFileSync(file, JSON.stringify({ ...base, ...patch }));
      const r = await run(
        process.execPath,
        [
          CLI,
          'render',
          open,
          '--values',
          file,
          '--out',
          dir,
          '--backend',
          BASE,
        ],
        {
          cwd: ROOT,
        },
      ).then(
        () => ({ code: 0, stderr: '' }),
        e => e,
      );
      assert.notEqual(r.code, 0, 'the plan action accepted bad values');
      // The action's InputError ends the dry run with HTTP 400 and its own message.
      assert.match(r.stderr, /refused the dry run \(HTTP 400\)/);
      assert.match(r.stderr, message);
      assert.ok(!existsSync(dir), 'files were written for refused values');
    });
  }
});

describe('a real task publishes locally and registers the System', () => {
  test(
    'task runs buf:lint, buf:generate, publishes under the local root and registers',
    { timeout: 300_000 },
    async () => {
      const localRoot = process.env.GOLDEN_PATH_LOCAL_ROOT;
      assert.ok(
        localRoot,
        'GOLDEN_PATH_LOCAL_ROOT is not set: run through scripts/test.sh',
      );
      const suffix = Date.now().toString(36);
      const values = {
        ...JSON.parse(readFileSync(join(TEMPLATE, 'values/mvp.json'), 'utf8')),
        projectName: `shop-${suffix}`,
        localPath: `shop-${suffix}`,
      };
      const created = await fetch(`${BASE}/api/scaffolder/v2/tasks`, {
        method: 'POST',
        headers: { ...authHeaders(), 'Content-Type': 'application/json' },
        body: JSON.stringify({
          templateRef: 'template:default/go-monorepo',
          values,
        }),
      });
      assert.equal(created.status, 201, await created.clone().text());
      const { id } = await created.json();
      const task = await timed('real task (local publish)', async () => {
        for (let i = 0; i < 240; i++) {
          const t = await (
            await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}`, {
              headers: authHeaders(),
            })
          ).json();
          if (['completed', 'failed', 'cancelled'].includes(t.status)) return t;
          await new Promise(r => setTimeout(r, 1000));
        }
        throw new Error('task did not finish within 240 s');
      });
      if (task.status !== 'completed') {
        const events = await (
          await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}/events`, {
            headers: authHeaders(),
          })
        ).json();
        assert.fail(
          `task ${task.status}:\n${events
            .map(e => e.body?.message)
            .filter(Boolean)
            .join('\n')}`,
        );
      }
      const published = join(localRoot, values.localPath);
      assert.ok(
        existsSync(join(published, 'pkg/proto/common/v1/pagination.pb.go')),
        'buf:generate output not published',
      );
      assert.ok(existsSync(join(published, 'pkg/proto/common/v1/money.pb.go')));
      // A git repository as a forge's would start: one commit on main holding
      // every file published, nothing left uncommitted.
      const { git, gitChanges } = monorepoShell(published);
      assert.equal(
        (await git('symbolic-ref', '--short', 'HEAD')).stdout.trim(),
        'main',
      );
      assert.equal(
        (await git('log', '--format=%s|%an')).stdout.trim(),
        `chore: create ${values.projectName} from the Go monorepo template|Golden Path`,
      );
      assert.deepEqual(await gitChanges(), []);
      assert.match(
        (await git('ls-files')).stdout,
        /^pkg\/proto\/common\/v1\/pagination\.pb\.go$/m,
      );
      const res = await fetch(
        `${BASE}/api/catalog/entities/by-name/system/default/${values.projectName}`,
        {
          headers: authHeaders(),
        },
      );
      assert.equal(
        res.status,
        200,
        `System ${values.projectName} is not in the catalog`,
      );
      const system = await res.json();
      assert.match(system.spec.owner, /platform-team$/);
    },
  );
});
