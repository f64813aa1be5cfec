// The templates on a real Git forge: Gitea (e2e/lib/forge.mjs), started on
// 127.0.0.1 with SQLite, built once per machine into the per-user cache. Real
// tasks publish a monorepo with publish:gitea, and the catalog reads its
// entities back from the forge (a url location); a service and a day-2 change
// arrive as pull requests through Gitea's API (golden-path:gitea:pull-request),
// checked through that API: the pull request, its branch and its files. The
// forge's refusals fail the step with the forge's message and leave nothing
// behind: a wrong token (a second integration on the same forge), a branch
// that already exists, a branch the forge protects. Then a service made by a
// copy of the Go service template (test-results/forge/templates) is upgraded
// across a change to the copy's skeleton: the upgrade arrives as a pull
// request with the template's change and the team's edit; a conflicting
// change writes nothing on the forge, or with onConflict markers opens a pull
// request with the marked file.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  RESULTS_DIR,
  authHeaders,
  BACKEND_URL,
  startSuiteBackend,
  stopProcess,
  waitForBackendReady,
} from './lib/processes.mjs';
import { runTask, waitForTemplates } from './lib/tasks.mjs';
import { mvpMonorepoValues } from './lib/templateValues.mjs';
import { reportTimings, timer } from './lib/timings.mjs';
import { giteaEntry, startForge } from './lib/forge.mjs';
import { goServiceExample } from './lib/day2.mjs';
import {
  catalogLocations,
  changeServiceSkeleton,
  conflictingReadmeChange,
  copyServiceTemplates,
} from './lib/upgrades.mjs';

const OUT = join(RESULTS_DIR, 'forge');
/** Copies of the Go service template and its upgrade, which the suite changes. */
const TEMPLATES = join(OUT, 'templates');
const GO_SERVICE = 'go-service-forge-e2e';
const UPGRADE = 'upgrade-service-forge-e2e';
const suffix = Date.now().toString(36);
const monorepo = `forge-${suffix}`;
const serviceRef = 'component:default/catalog-service';
const job = {
  name: 'recount_products',
  schedule: '0 */5 * * * *',
  timeout: '2m',
};
const timings = [];
const timed = timer(timings);
let forge;
let backend;

const repoUrl = (repo, host = forge.host) =>
  `${host}?owner=${forge.org}&repo=${repo}`;
const repoApi = (path = '') => `/repos/${forge.org}/${monorepo}${path}`;

/** Waits until the catalog serves `kind/name` (default namespace); returns it. */
async function waitForEntity(kind, name, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(
      `${BACKEND_URL}/api/catalog/entities/by-name/${kind}/default/${name}`,
      { headers: authHeaders() },
    );
    if (res.ok) return res.json();
    if (Date.now() > deadline)
      throw new Error(
        `${kind}:${name} is not in the catalog after ${timeoutMs / 1000}s`,
      );
    await sleep(1000);
  }
}

async function openPulls() {
  const r = await forge.api('GET', repoApi('/pulls?state=open&limit=50'));
  assert.equal(r.status, 200, r.text);
  return r.body;
}

/** Every file a pull request changes (Gitea pages them by 50). */
async function pullFiles(number) {
  const names = [];
  for (let page = 1; ; page++) {
    const r = await forge.api(
      'GET',
      repoApi(`/pulls/${number}/files?page=${page}&limit=50`),
    );
    assert.equal(r.status, 200, r.text);
    if (!r.body.length) return names;
    names.push(...r.body.map(f => f.filename));
  }
}

/** Merges a pull request once Gitea has checked that it can. */
async function merge(number) {
  for (let i = 0; ; i++) {
    const r = await forge.api('POST', repoApi(`/pulls/${number}/merge`), {
      Do: 'merge',
      delete_branch_after_merge: true,
    });
    if (r.ok) return;
    if (i > 30) assert.fail(`merging #${number}: ${r.status} ${r.text}`);
    await sleep(1000);
  }
}

async function branches() {
  const r = await forge.api('GET', repoApi('/branches?limit=50'));
  assert.equal(r.status, 200, r.text);
  return r.body.map(b => b.name).sort();
}

/** The copies the suite registers beside the real templates (catalog.locations, which the copies' config replaces). */
function copyTemplates() {
  rmSync(TEMPLATES, { recursive: true, force: true });
  mkdirSync(TEMPLATES, { recursive: true });
  copyServiceTemplates(TEMPLATES, { goService: GO_SERVICE, upgrade: UPGRADE });
  writeFileSync(
    join(OUT, 'app-config.templates.yaml'),
    catalogLocations([
      join(TEMPLATES, 'go-service/template.yaml'),
      join(TEMPLATES, 'upgrade-service.yaml'),
    ]),
  );
}

/** A file of the repository at `ref`, as text; undefined when it has none. */
async function fileAt(path, ref) {
  const r = await forge.api(
    'GET',
    repoApi(`/contents/${path}?ref=${encodeURIComponent(ref)}`),
  );
  if (r.status === 404) return undefined;
  assert.equal(r.status, 200, r.text);
  return Buffer.from(r.body.content, 'base64').toString('utf8');
}

/** Commits `edit(content)` of `path` on main through Gitea's API, as the team. */
async function editOnForge(path, edit, message) {
  const r = await forge.api('GET', repoApi(`/contents/${path}?ref=main`));
  assert.equal(r.status, 200, r.text);
  const was = Buffer.from(r.body.content, 'base64').toString('utf8');
  const put = await forge.api('PUT', repoApi(`/contents/${path}`), {
    content: Buffer.from(edit(was)).toString('base64'),
    sha: r.body.sha,
    message,
    branch: 'main',
  });
  assert.equal(put.status, 200, put.text);
}

const addJob = (values = {}) =>
  runTask('template:default/add-scheduled-job', {
    service: serviceRef,
    job,
    publishTo: 'gitea',
    repoUrl: repoUrl(monorepo),
    ...values,
  });

before(async () => {
  mkdirSync(OUT, { recursive: true });
  forge = await timed('Gitea: build or cache, start, admin and token', () =>
    startForge({ name: 'forge' }),
  );
  // The forge twice: as 127.0.0.1 with the admin's token, and as localhost
  // with a token Gitea does not know (the wrong-token cases).
  const config = join(OUT, 'app-config.forge.yaml');
  const port = forge.host.split(':')[1];
  writeFileSync(
    config,
    forge.appConfig() +
      giteaEntry(
        `localhost:${port}`,
        `http://localhost:${port}`,
        forge.username,
        'not-a-token-gitea-knows',
      ),
  );
  copyTemplates();
  // Its own empty local root: the monorepos other suites published locally
  // (with services of the same names) are not in this catalog.
  const localRoot = join(OUT, 'local-root');
  mkdirSync(localRoot, { recursive: true });
  backend = await startSuiteBackend('forge-backend', {
    configs: [
      'app-config.yaml',
      'test-results/forge/app-config.forge.yaml',
      'test-results/forge/app-config.templates.yaml',
    ],
    env: { GOLDEN_PATH_LOCAL_ROOT: localRoot },
  });
  await waitForBackendReady(backend);
  await waitForTemplates(backend, [
    'go-monorepo',
    'go-service',
    'add-scheduled-job',
    GO_SERVICE,
    UPGRADE,
  ]);
});

after(async () => {
  if (backend) await stopProcess(backend);
  if (forge) await forge.stop();
  reportTimings('forge', timings);
});

describe(
  'the templates publish to Gitea and change through its pull requests',
  { concurrency: false },
  () => {
    test("a wrong token fails the monorepo at the forge check with Gitea's message, and nothing is created", async () => {
      const task = await runTask('template:default/go-monorepo', {
        ...mvpMonorepoValues(monorepo),
        localPath: undefined,
        publishTo: 'gitea',
        repoUrl: repoUrl(monorepo, `localhost:${forge.host.split(':')[1]}`),
      });
      assert.equal(task.status, 'failed');
      assert.match(
        task.log,
        /Gitea at localhost:\d+ refused the credentials of integrations\.gitea: 401 .+; fix the username and access token in app-config/,
      );
      assert.equal((await forge.api('GET', repoApi())).status, 404);
    });

    test(
      'a new monorepo is published with publish:gitea and its entities are read back from the forge',
      { timeout: 600_000 },
      async () => {
        const task = await timed(
          'go-monorepo task (publish:gitea, catalog:register)',
          () =>
            runTask('template:default/go-monorepo', {
              ...mvpMonorepoValues(monorepo),
              localPath: undefined,
              publishTo: 'gitea',
              repoUrl: repoUrl(monorepo),
            }),
        );
        assert.equal(task.status, 'completed', task.log);
        const repo = await forge.api('GET', repoApi());
        assert.equal(repo.status, 200);
        assert.equal(repo.body.default_branch, 'main');
        assert.equal(repo.body.private, true);
        const file = await forge.api(
          'GET',
          repoApi('/contents/catalog-info.yaml?ref=main'),
        );
        assert.equal(file.status, 200);
        const system = await timed('catalog reads the System from Gitea', () =>
          waitForEntity('system', monorepo),
        );
        const location = `url:${forge.baseUrl}/${forge.org}/${monorepo}/src/branch/main/catalog-info.yaml`;
        assert.equal(
          system.metadata.annotations['backstage.io/managed-by-location'],
          location,
        );
        const gateway = await waitForEntity('component', `${monorepo}-gateway`);
        assert.equal(
          gateway.metadata.annotations['backstage.io/managed-by-location'],
          location,
        );
        assert.match(
          JSON.stringify(task.output),
          new RegExp(`${forge.baseUrl}/${forge.org}/${monorepo}`),
        );
      },
    );

    test(
      'a service arrives as a pull request; merged, the catalog reads it from the forge',
      { timeout: 900_000 },
      async () => {
        const task = await timed(
          'go-service task (pull request on Gitea)',
          () =>
            runTask('template:default/go-service', {
              ...goServiceExample('catalog'),
              system: `system:default/${monorepo}`,
              publishTo: 'gitea',
              repoUrl: repoUrl(monorepo),
            }),
        );
        assert.equal(task.status, 'completed', task.log);
        const [pr] = await openPulls();
        assert.equal(pr.title, 'feat: add catalog-service');
        assert.equal(pr.head.ref, 'add-catalog-service');
        assert.equal(pr.base.ref, 'main');
        const names = await pullFiles(pr.number);
        for (const f of [
          'services/catalog-service/go.mod',
          'services/catalog-service/catalog-info.yaml',
          'api/proto/catalog/v1/catalog_service.proto',
        ])
          assert.ok(
            names.includes(f),
            `${f} not in the pull request: ${names.join(', ')}`,
          );
        assert.ok(
          !names.some(f => f.startsWith('api/proto/common/')),
          "the monorepo's common protos were pushed again",
        );
        await merge(pr.number);
        // Backstage's Gitea reader does not expand the monorepo Location's
        // services/* pattern: the service's catalog-info.yaml is registered by URL.
        const target = `${forge.baseUrl}/${forge.org}/${monorepo}/src/branch/main/services/catalog-service/catalog-info.yaml`;
        const reg = await fetch(`${BACKEND_URL}/api/catalog/locations`, {
          method: 'POST',
          headers: { ...authHeaders(), 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 'url', target }),
        });
        assert.equal(reg.status, 201, await reg.text());
        const svc = await timed('catalog reads the service from Gitea', () =>
          waitForEntity('component', 'catalog-service'),
        );
        assert.equal(
          svc.metadata.annotations['backstage.io/managed-by-location'],
          `url:${target}`,
        );
      },
    );

    test(
      'a day-2 change (a scheduled job) arrives as a pull request with only its files',
      { timeout: 900_000 },
      async () => {
        const task = await timed(
          'add-scheduled-job task (pull request on Gitea)',
          () => addJob(),
        );
        assert.equal(task.status, 'completed', task.log);
        const branch = 'add-recount-products-job-to-catalog-service';
        const [pr] = await openPulls();
        assert.equal(pr.head.ref, branch);
        assert.equal(
          pr.title,
          'feat(catalog-service): add the recount_products scheduled job',
        );
        assert.match(pr.body, /recount_products/);
        const names = await pullFiles(pr.number);
        assert.ok(
          names.includes(
            'services/catalog-service/internal/infrastructure/fx/jobs.go',
          ),
          names.join(', '),
        );
        assert.ok(
          names.some(f =>
            f.startsWith(
              'services/catalog-service/internal/application/usecase/recountproductsuc/',
            ),
          ),
          names.join(', '),
        );
        // The service's dashboard (merged with the service's pull request)
        // gains the job panels, fetched from the forge's deploy/.
        assert.ok(
          names.includes('deploy/grafana/dashboards/catalog-service.json'),
          names.join(', '),
        );
        assert.ok(
          names.every(
            f =>
              f.startsWith('services/catalog-service/') ||
              f.startsWith('api/proto/catalog/') ||
              f.startsWith('pkg/proto/catalog/') ||
              f === 'deploy/grafana/dashboards/catalog-service.json',
          ),
          names.join(', '),
        );
        assert.match(
          JSON.stringify(task.output),
          new RegExp(`/pulls/${pr.number}`),
        );
      },
    );

    test(
      "the same change again: the branch exists, the step fails with Gitea's message, nothing new on the forge",
      { timeout: 600_000 },
      async () => {
        const was = { pulls: await openPulls(), branches: await branches() };
        const task = await addJob();
        assert.equal(task.status, 'failed');
        assert.match(
          task.log,
          /Gitea refused to create branch add-recount-products-job-to-catalog-service from main in platform\/forge-\w+ on 127\.0\.0\.1:\d+: 409 The branch already exists\./,
        );
        assert.deepEqual(
          (await openPulls()).map(p => p.number),
          was.pulls.map(p => p.number),
        );
        assert.deepEqual(await branches(), was.branches);
      },
    );

    test(
      'a branch the forge protects refuses the push with its message, and the branch is gone again',
      { timeout: 600_000 },
      async () => {
        const rule = await forge.api('POST', repoApi('/branch_protections'), {
          rule_name: 'add-nightly-*',
          enable_push: false,
        });
        assert.equal(rule.status, 201, rule.text);
        const was = { pulls: await openPulls(), branches: await branches() };
        const task = await addJob({
          job: {
            ...job,
            name: 'nightly_report',
            schedule: '0 0 3 * * *',
            timeout: '20m',
          },
        });
        assert.equal(task.status, 'failed');
        assert.match(
          task.log,
          /Gitea refused to create branch add-nightly-report-job-to-catalog-service from main in platform\/forge-\w+ on 127\.0\.0\.1:\d+: 500 Not allowed to push to protected branch add-nightly-report-job-to-catalog-service/,
        );
        assert.deepEqual(
          (await openPulls()).map(p => p.number),
          was.pulls.map(p => p.number),
        );
        assert.deepEqual(await branches(), was.branches);
      },
    );

    test(
      "a wrong token fails the day-2 change at the forge check with Gitea's message, and nothing is pushed",
      { timeout: 300_000 },
      async () => {
        const was = { pulls: await openPulls(), branches: await branches() };
        const task = await addJob({
          job: { ...job, name: 'expire_carts' },
          repoUrl: repoUrl(monorepo, `localhost:${forge.host.split(':')[1]}`),
        });
        assert.equal(task.status, 'failed');
        assert.match(
          task.log,
          /Gitea at localhost:\d+ refused the credentials of integrations\.gitea: 401 /,
        );
        assert.deepEqual(
          (await openPulls()).map(p => p.number),
          was.pulls.map(p => p.number),
        );
        assert.deepEqual(await branches(), was.branches);
      },
    );
  },
);

const STOCK = 'stock-service';
const STOCK_DIR = `services/${STOCK}`;
const upgradeStock = (values = {}) =>
  runTask(`template:default/${UPGRADE}`, {
    service: `component:default/${STOCK}`,
    publishTo: 'gitea',
    repoUrl: repoUrl(monorepo),
    ...values,
  });

describe(
  'a Go service on Gitea is upgraded to the current template through a pull request',
  { concurrency: false },
  () => {
    test(
      "an upgrade across a template change arrives as a pull request: the template's new, edited and removed files, the team's edit kept",
      { timeout: 1_200_000 },
      async () => {
        // A service made by the copy at 1.0.0, merged, then edited by the team on main.
        const made = await timed('go-service task (copy, Gitea)', () =>
          runTask(`template:default/${GO_SERVICE}`, {
            ...goServiceExample('catalog'),
            name: 'stock',
            aggregate: 'Item',
            grpcPort: 50071,
            fields: [
              { name: 'title', type: 'string' },
              { name: 'quantity', type: 'int' },
            ],
            system: `system:default/${monorepo}`,
            publishTo: 'gitea',
            repoUrl: repoUrl(monorepo),
          }),
        );
        assert.equal(made.status, 'completed', made.log);
        const pr = (await openPulls()).find(p => p.head.ref === `add-${STOCK}`);
        assert.ok(pr, 'no pull request for the service');
        await merge(pr.number);
        const v1 = JSON.parse(
          await fileAt(`${STOCK_DIR}/.golden-path/values.json`, 'main'),
        ).templateVersion;
        assert.equal(v1.name, GO_SERVICE);
        assert.equal(v1.version, '1.0.0');
        await editOnForge(
          `${STOCK_DIR}/README.md`,
          s => s.replace(/^.*\n/, '# Stock service (team stock)\n'),
          'team edit: README title',
        );

        // The platform team changes the copy's skeleton and raises the version.
        changeServiceSkeleton(TEMPLATES);

        const was = await branches();
        const t = await timed('upgrade task (pull request on Gitea)', () =>
          upgradeStock(),
        );
        assert.equal(t.status, 'completed', t.log);
        writeFileSync(join(OUT, 'upgrade-task.log'), t.log);
        const up = (await openPulls()).find(p =>
          p.head.ref.startsWith(`golden-path/upgrade-${STOCK}-`),
        );
        assert.ok(up, 'no upgrade pull request');
        assert.equal(up.base.ref, 'main');
        assert.equal(
          up.title,
          `chore(${STOCK}): upgrade to ${GO_SERVICE} 1.1.0`,
        );
        assert.deepEqual(await branches(), [...was, up.head.ref].sort());
        assert.deepEqual((await pullFiles(up.number)).sort(), [
          `${STOCK_DIR}/.golden-path/values.json`,
          `${STOCK_DIR}/README.md`,
          `${STOCK_DIR}/internal/domain/service/doc.go`,
          `${STOCK_DIR}/internal/domain/service/policy.go`,
        ]);
        // The body is the upgrade's summary.
        for (const row of [
          `| Added | ${STOCK_DIR}/internal/domain/service/policy.go |`,
          `| Updated | ${STOCK_DIR}/.golden-path/values.json |`,
          `| Merged with the team's edits | ${STOCK_DIR}/README.md |`,
          `| Deleted | ${STOCK_DIR}/internal/domain/service/doc.go |`,
          '| Conflicts | none |',
        ])
          assert.ok(up.body.includes(row), `${row} not in:\n${up.body}`);
        assert.match(up.body, /from go-service-forge-e2e 1\.0\.0 \(`sha256-/);
        const readme = await fileAt(`${STOCK_DIR}/README.md`, up.head.ref);
        assert.match(readme, /^# Stock service \(team stock\)\n/);
        assert.match(readme, /## Upgrades\n/);
        assert.equal(
          await fileAt(
            `${STOCK_DIR}/internal/domain/service/doc.go`,
            up.head.ref,
          ),
          undefined,
        );
        assert.equal(
          JSON.parse(
            await fileAt(`${STOCK_DIR}/.golden-path/values.json`, up.head.ref),
          ).templateVersion.version,
          '1.1.0',
        );
        assert.match(
          JSON.stringify(t.output),
          new RegExp(`/pulls/${up.number}`),
        );
        await merge(up.number);
      },
    );

    test(
      'a conflicting template change writes nothing on the forge, or opens a pull request with the marked file when asked',
      { timeout: 900_000 },
      async () => {
        // The template changes the README's first line, which the team changed too.
        conflictingReadmeChange(TEMPLATES);
        const was = { pulls: await openPulls(), branches: await branches() };
        const t = await timed('upgrade task (conflict, Gitea)', () =>
          upgradeStock(),
        );
        assert.equal(t.status, 'failed');
        assert.match(
          t.log,
          /the update conflicts with the service in 1 file\(s\); nothing was written:\n- services\/stock-service\/README\.md: 1 conflicting change/,
        );
        assert.deepEqual(
          (await openPulls()).map(p => p.number),
          was.pulls.map(p => p.number),
        );
        assert.deepEqual(await branches(), was.branches);

        const m = await timed('upgrade task (conflict markers, Gitea)', () =>
          upgradeStock({ onConflict: 'markers' }),
        );
        assert.equal(m.status, 'completed', m.log);
        const marked = (await openPulls()).find(p =>
          p.head.ref.endsWith('-conflicts'),
        );
        assert.ok(marked, 'no pull request with the conflicts');
        assert.match(marked.title, /\(conflicts to resolve\)$/);
        assert.ok(
          marked.body.includes(`| Conflicts | ${STOCK_DIR}/README.md |`),
          marked.body,
        );
        assert.ok(
          (await pullFiles(marked.number)).includes(`${STOCK_DIR}/README.md`),
        );
        const readme = await fileAt(`${STOCK_DIR}/README.md`, marked.head.ref);
        assert.match(
          readme,
          /^<<<<<<< services\/stock-service\/README\.md \(the service\)\n# Stock service \(team stock\)\n/m,
        );
      },
    );
  },
);
