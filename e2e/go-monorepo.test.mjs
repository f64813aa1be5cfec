// The Go monorepo template, rendered by the real scaffolder and proven with the
// real tools. Every values file is rendered through the render harness
// (`golden-path render`, the scaffolder's dry-run API); mvp and async are then
// checked end to end by the template's dev/check.sh --rendered (buf, go build,
// vet, test -race with integration tests, make targets, init-db.sh); every
// compose file is validated against the compose-spec JSON schema; bad values are
// refused before anything is written; and one real task publishes into the
// allow-listed local root, running buf:generate, and registers the System.
import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import YAML from 'yaml';
import { ROOT, RESULTS_DIR, authHeaders } from './lib/processes.mjs';
import { backendForSuite } from './lib/suiteBackend.mjs';
import { renderTemplate } from './lib/render.mjs';
import { timer } from './lib/timings.mjs';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const Ajv = require('ajv');

const BASE = 'http://127.0.0.1:7007';
const TEMPLATE = join(ROOT, 'templates/go-monorepo');
const OUT = join(RESULTS_DIR, 'render/go-monorepo');
const CLI = join(ROOT, 'packages/cli/bin/golden-path');
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
      assert.deepEqual(observability.map(([n]) => n).sort(), [
        'grafana',
        'loki',
        'otel-collector',
        'tempo',
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
            env: { ...process.env, PGHOST: '127.0.0.1', PGUSER: 'postgres' },
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
