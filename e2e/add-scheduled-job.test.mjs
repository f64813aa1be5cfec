// The day-2 template "Add a scheduled job to a service" through the real
// scaffolder backend. Real tasks publish a monorepo (go-monorepo) and a service
// without jobs (go-service, values/catalog.json) locally; the monorepo is a
// git repository from its first task, the service is committed and the team
// edits it. Then real tasks of the day-2 template add a first job (the job
// infrastructure comes with it) and a second one, each as one commit on a new
// branch (the working tree untouched) that the test checks out and merges as
// a pull request's reviewer would, and the result is proven with the real
// tools: gofmt, go mod tidy, go build, go vet, go test -race (the job
// integration tests on the local PostgreSQL and Redis), atlas migrate
// validate, buf breaking against main. The branch holds what each run
// touched: the second job only its own files, the registry and the recorded
// values. Bad jobs are refused by the
// form (render harness, dry-run) and by the action before any file is written;
// a conflict with the team's edits is refused with the files listed.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, RESULTS_DIR } from './lib/processes.mjs';
import {
  assertCommitted,
  assertCompletedOn,
  atlasDiffClean,
  atlasValidate,
  commitTeamEdits,
  day2Backend,
  day2Task,
  goServiceExample,
  localMonorepo,
  localService,
  publishMonorepo,
  publishService,
  recordedValues,
  reportedFiles,
} from './lib/day2.mjs';
import { renderValues } from './lib/render.mjs';
import { timer } from './lib/timings.mjs';

const TEMPLATE = join(ROOT, 'templates/add-scheduled-job.yaml');
const OUT = join(RESULTS_DIR, 'render/add-scheduled-job');
const local = localMonorepo('jobs');
const { suffix, monorepo, mono, shell } = local;
const SVC = 'services/catalog-service';
const svc = join(mono, SVC);
const serviceRef = 'component:default/catalog-service';
const firstJob = {
  name: 'recount_products',
  schedule: '0 */5 * * * *',
  timeout: '2m',
};
const secondJob = {
  name: 'nightly_report',
  schedule: 'CRON_TZ=Europe/Paris 0 30 3 * * *',
  timeout: '20m',
};
const timings = [];

const { sh, git, gitChanges } = shell;
const timed = timer(timings);

/** A task of the day-2 template on the monorepo (published locally). */
const jobTask = day2Task('add-scheduled-job', monorepo);
const addJob = job => jobTask({ service: serviceRef, job });

/** The harness's dry-run of the day-2 template with these values. */
const render = (values, out) => renderValues(TEMPLATE, values, out);

/** gofmt, go mod tidy, build, vet and the tests of the service, in the monorepo's go.work. */
const checkService = ({ tests }) => shell.checkGoService(SVC, tests);

const DASHBOARD = 'deploy/grafana/dashboards/catalog-service.json';

/**
 * The dashboard of the catalog service rendered with these jobs from the
 * start: the Go service template's skeletons, rendered locally by the CLI
 * (`golden-path template render-local`) with the example's values.
 */
async function dashboardFromTheStart(jobs) {
  const out = join(OUT, `from-the-start-${jobs.length}-jobs`);
  rmSync(out, { recursive: true, force: true });
  writeFileSync(
    `${out}.json`,
    JSON.stringify({ ...goServiceExample('catalog'), jobs }),
  );
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'packages/cli/bin/golden-path'),
      'template',
      'render-local',
      join(ROOT, 'templates/go-service'),
      '--values',
      `${out}.json`,
      '--out',
      out,
    ],
    { cwd: ROOT, maxBuffer: 16 << 20 },
  );
  return readFileSync(join(out, DASHBOARD), 'utf8');
}

/** atlas migrate diff writes nothing: the migrations (the new one included) give schema.sql. */
const atlasDiff = () => atlasDiffClean(shell, svc, `gp_jobs_dev_${suffix}`);

day2Backend('add-scheduled-job', 'add-scheduled-job', { out: OUT, timings });

describe(
  'a service made by the Go service template gets scheduled jobs',
  { concurrency: false },
  () => {
    test(
      "the monorepo and a service without jobs, as real tasks, under git with the team's edits",
      { timeout: 900_000 },
      async () => {
        await publishMonorepo(timed, monorepo);
        await publishService(
          timed,
          'go-service task (catalog, no jobs)',
          localService(monorepo, goServiceExample('catalog')),
        );
        const recorded = recordedValues(svc);
        assert.equal(recorded.template, 'go-service');
        assert.deepEqual(recorded.values.jobs, []);
        // Its dashboard, in the monorepo's deploy/, has no job panels yet.
        const dashboard = readFileSync(join(mono, DASHBOARD), 'utf8');
        assert.equal(dashboard, await dashboardFromTheStart([]));
        assert.doesNotMatch(dashboard, /job_runs_total/);
        assert.equal(recorded.values.serviceName, 'catalog-service');
        // The monorepo's first commit, then the service's: no loose files.
        await assertCommitted(local, 2);
        // The team's own edits: a method of its own in the handler (which the
        // first job's update changes too) and a line in configs/local.env.
        await commitTeamEdits(local, {
          [`${SVC}/internal/adapter/inbound/grpc/product_handler.go`]: s =>
            `${s}\n// stockWarning is the team's own helper.\nfunc stockWarning(stock int64) bool { return stock < 10 }\n`,
          [`${SVC}/configs/local.env`]: s =>
            `# Team: local overrides are at the end.\n${s}`,
        });
      },
    );

    test('the form refuses bad jobs before anything runs, and a dry-run previews a good one (render harness)', async () => {
      const good = {
        service: serviceRef,
        job: firstJob,
        publishTo: 'local',
        localPath: monorepo,
      };
      const cases = [
        [
          'an invalid cron expression',
          { schedule: 'every five minutes' },
          /schedule/,
        ],
        ['a Go keyword', { name: 'func' }, /name/],
        ['a name that is not snake_case', { name: 'RecountProducts' }, /name/],
        [
          'a timeout that is no Go duration',
          { timeout: '5 minutes' },
          /timeout/,
        ],
      ];
      for (const [label, patch, message] of cases) {
        const out = join(OUT, `form-${label.replace(/\W+/g, '-')}`);
        const r = await render(
          { ...good, job: { ...firstJob, ...patch } },
          out,
        );
        assert.notEqual(r.code, 0, `${label}: accepted`);
        assert.match(r.stderr, message, `${label}: ${r.stderr}`);
        assert.ok(!existsSync(out), `${label}: files were written`);
      }
      // Good values: the dry-run previews the change (checkout, plan, renders,
      // merge and the lint-like checks run; generators and publishing do not).
      const preview = join(OUT, 'preview');
      const r = await timed('dry-run preview of the first job', () =>
        render(good, preview),
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /completed\s+Apply the change to the service/);
      assert.match(r.stdout, /skipped\s+Generate Go code from protos/);
      const staged = join(preview, '.golden-path-update/changes', SVC);
      assert.ok(
        existsSync(
          join(staged, 'internal/application/usecase/recountproductsuc/di.go'),
        ),
      );
      assert.match(
        readFileSync(
          join(staged, 'internal/infrastructure/fx/jobs.go'),
          'utf8',
        ),
        /recountproductsuc\.Module\(\)/,
      );
      assert.deepEqual(await gitChanges(), []);
    });

    test(
      'the action refuses what the form cannot see, before any file is written',
      { timeout: 300_000 },
      async () => {
        const cases = [
          [
            'a cron field out of range',
            { ...firstJob, schedule: '0 61 * * * *' },
            /job "recount_products": schedule "0 61 \* \* \* \*": end of range \(61\) above maximum \(59\)/,
          ],
          [
            'a schedule that never fires',
            { ...firstJob, schedule: '0 0 30 2 *' },
            /schedule "0 0 30 2 \*": never fires/,
          ],
          [
            'a timeout longer than the period',
            { ...firstJob, timeout: '10m' },
            /timeout 10m is longer than 5m0s, the shortest interval of schedule "0 \*\/5 \* \* \* \*", so runs could overlap/,
          ],
          [
            'a job named like the aggregate use cases',
            { ...firstJob, name: 'product' },
            /its package productuc is the package of the Product use cases/,
          ],
        ];
        for (const [label, job, message] of cases) {
          const t = await addJob(job);
          assert.equal(t.status, 'failed', `${label}: the task did not fail`);
          assert.match(t.log, message, label);
        }
        const missing = await jobTask({
          service: 'component:default/payments-service',
          job: firstJob,
        });
        assert.equal(missing.status, 'failed');
        // Not in the catalog: refused before anything under the local root is read.
        assert.match(
          missing.log,
          /component:default\/payments-service was not found in the catalog, or you may not read it/,
        );
        // A service without recorded values (made before the template recorded them).
        renameSync(
          join(svc, '.golden-path/values.json'),
          join(mono, 'values.json.away'),
        );
        try {
          const unrecorded = await addJob(firstJob);
          assert.equal(unrecorded.status, 'failed');
          assert.match(
            unrecorded.log,
            /services\/catalog-service has no \.golden-path\/values\.json: it was not created by the Go service template/,
          );
        } finally {
          renameSync(
            join(mono, 'values.json.away'),
            join(svc, '.golden-path/values.json'),
          );
        }
        assert.deepEqual(
          await gitChanges(),
          [],
          'a refused run changed the monorepo',
        );
      },
    );

    test(
      "the first job: only the files it must, the team's edits kept; builds, vets, atlas validate and buf breaking pass",
      { timeout: 900_000 },
      async () => {
        const t = await timed('add-scheduled-job task (first job)', () =>
          addJob(firstJob),
        );
        assertCompletedOn(
          t,
          'add-recount-products-job-to-catalog-service',
          'add-scheduled-job-first-task',
        );
        const changed = await shell.reviewBranch(t.output.branch);
        for (const f of changed) {
          assert.match(
            f,
            /^((services\/catalog-service|api\/proto\/catalog|pkg\/proto\/catalog)\/|deploy\/grafana\/dashboards\/catalog-service\.json$)/,
            `${f} is outside the service`,
          );
        }
        for (const f of [
          DASHBOARD,
          `${SVC}/.golden-path/values.json`,
          `${SVC}/db/migrations/0002_job_runs.sql`,
          `${SVC}/db/migrations/atlas.sum`,
          `${SVC}/db/queries/job_runs.sql`,
          `${SVC}/db/schema/schema.sql`,
          `${SVC}/go.mod`,
          `${SVC}/go.sum`,
          `${SVC}/sqlcgen/job_runs.sql.go`,
          `${SVC}/internal/infrastructure/fx/jobs.go`,
          `${SVC}/internal/infrastructure/fx/jobs_module.go`,
          `${SVC}/internal/infrastructure/fx/module.go`,
          `${SVC}/internal/adapter/inbound/grpc/product_handler.go`,
          `${SVC}/internal/adapter/inbound/grpc/job_handler.go`,
          `${SVC}/internal/application/usecase/recountproductsuc/di.go`,
          `${SVC}/internal/application/usecase/recountproductsuc/recount_products.go`,
          `${SVC}/tests/integration/recount_products_job_test.go`,
          `${SVC}/configs/local.env`,
          `${SVC}/deploy/k8s/base/config.env`,
          `${SVC}/deploy/k8s/base/deployment.yaml`,
          'api/proto/catalog/v1/catalog_service.proto',
          'pkg/proto/catalog/v1/catalog_service.pb.go',
          'pkg/proto/catalog/v1/catalog_service_grpc.pb.go',
        ]) {
          assert.ok(
            changed.includes(f),
            `${f} was not changed; changed: ${changed.join(', ')}`,
          );
        }
        // What the task reported is what git sees.
        assert.deepEqual(reportedFiles(t), changed);
        const merged = /Merged three-way with the team's edits: (.*)\./
          .exec(t.output.text[0].content)?.[1]
          .split(', ');
        assert.deepEqual(merged, [
          `${SVC}/configs/local.env`,
          `${SVC}/internal/adapter/inbound/grpc/product_handler.go`,
        ]);
        // The team's edits survive the merge, next to the update's.
        const handler = readFileSync(
          join(svc, 'internal/adapter/inbound/grpc/product_handler.go'),
          'utf8',
        );
        assert.match(handler, /func stockWarning\(stock int64\) bool/);
        assert.match(handler, /jobs JobRunner, jobRuns JobHistory/);
        const localEnv = readFileSync(join(svc, 'configs/local.env'), 'utf8');
        assert.match(localEnv, /^# Team: local overrides are at the end\.$/m);
        assert.match(localEnv, /^REDIS_ADDR=localhost:6379$/m);
        // The dashboard is the one of a service rendered with the job from
        // the start: its job panels came with the first job.
        const dashboard = readFileSync(join(mono, DASHBOARD), 'utf8');
        assert.equal(dashboard, await dashboardFromTheStart([firstJob]));
        assert.match(
          dashboard,
          /job_runs_total\{service=\\"catalog-service\\"\}/,
        );
        // The Kubernetes manifests follow (go-service decision 47): the job
        // settings in the ConfigMap, the replica's name for the run history,
        // and every overlay still builds and decodes strictly.
        assert.match(
          readFileSync(join(svc, 'deploy/k8s/base/config.env'), 'utf8'),
          /^REDIS_ADDR=redis:6379$/m,
        );
        assert.match(
          readFileSync(join(svc, 'deploy/k8s/base/deployment.yaml'), 'utf8'),
          /- name: JOB_INSTANCE\n\s+valueFrom:\n\s+fieldRef:\n\s+fieldPath: metadata.name/,
        );
        for (const overlay of ['local', 'prod']) {
          const { stdout } = await sh('bash', [
            '-o',
            'pipefail',
            '-c',
            `kustomize build ${SVC}/deploy/k8s/overlays/${overlay} | k8scheck -`,
          ]);
          assert.match(stdout, /decoded strictly, no problem/);
        }
        const recorded = recordedValues(svc).values;
        assert.deepEqual(recorded.jobs, [firstJob]);
        assert.equal(recorded.jobsMigration, '0002');

        await timed('first job: gofmt, tidy, build, vet', () =>
          checkService({}),
        );
        await atlasValidate(shell, svc);
        const before = await gitChanges();
        await atlasDiff();
        assert.deepEqual(
          await gitChanges(),
          before,
          'atlas migrate diff found a difference between the migrations and schema.sql',
        );
        await shell.bufBreakingAgainstHead();
        await shell.mergeBranch(t.output.branch);
      },
    );

    test(
      'a duplicate job is refused and nothing written',
      { timeout: 300_000 },
      async () => {
        const t = await addJob({ ...firstJob, schedule: '@hourly' });
        assert.equal(t.status, 'failed');
        assert.match(
          t.log,
          /catalog-service already has a job named recount_products \(schedule "0 \*\/5 \* \* \* \*", timeout 2m\); pick another name/,
        );
        assert.deepEqual(await gitChanges(), []);
      },
    );

    test(
      "the second job touches only its own files, the registry, the docs' jobs table and the recorded values; the service passes its tests",
      { timeout: 1_200_000 },
      async () => {
        const t = await timed('add-scheduled-job task (second job)', () =>
          addJob(secondJob),
        );
        assertCompletedOn(
          t,
          'add-nightly-report-job-to-catalog-service',
          'add-scheduled-job-second-task',
        );
        assert.deepEqual(await shell.reviewBranch(t.output.branch), [
          `${SVC}/.golden-path/values.json`,
          `${SVC}/docs/index.md`,
          `${SVC}/internal/application/usecase/nightlyreportuc/di.go`,
          `${SVC}/internal/application/usecase/nightlyreportuc/nightly_report.go`,
          `${SVC}/internal/infrastructure/fx/jobs.go`,
          `${SVC}/tests/integration/nightly_report_job_test.go`,
        ]);
        // The dashboard (not on the branch: its job panels are the same for
        // two jobs) is still the one of a service made with both.
        assert.equal(
          readFileSync(join(mono, DASHBOARD), 'utf8'),
          await dashboardFromTheStart([firstJob, secondJob]),
        );
        const registry = readFileSync(
          join(svc, 'internal/infrastructure/fx/jobs.go'),
          'utf8',
        );
        assert.match(
          registry,
          /nightlyreportuc\.Module\(\),\n\trecountproductsuc\.Module\(\),/,
        );
        const { stdout: docsDiff } = await git(
          'diff',
          '-U0',
          'main',
          '--',
          `${SVC}/docs/index.md`,
        );
        assert.match(
          docsDiff,
          /^\+.*nightly_report/m,
          'the docs do not list the new job',
        );
        const out = await timed(
          'two jobs: gofmt, tidy, build, vet, go test -race ./...',
          () => checkService({ tests: ['./...'] }),
        );
        assert.match(out, /^ok\s+\S+\/tests\/integration\b/m);
        assert.match(out, /^ok\s+\S+\/tests\/jobs\b/m);
        const verbose = await timed(
          "the two jobs' integration tests, verbose",
          () =>
            shell.integrationTestsVerbose(
              SVC,
              'TestRecountProductsJob|TestNightlyReportJob',
            ),
        );
        assert.match(verbose.stdout, /--- PASS: TestRecountProductsJob/);
        assert.match(verbose.stdout, /--- PASS: TestNightlyReportJob/);
        await atlasValidate(shell, svc);
        await shell.bufBreakingAgainstHead();
        await shell.mergeBranch(t.output.branch);
      },
    );

    test(
      "a conflict with the team's edits is refused, listing the file, and nothing is written",
      { timeout: 300_000 },
      async () => {
        const registry = join(svc, 'internal/infrastructure/fx/jobs.go');
        const text = readFileSync(registry, 'utf8');
        writeFileSync(
          registry,
          text.replace(
            '\trecountproductsuc.Module(),\n',
            '\trecountproductsuc.Module(),\n\tteamjobuc.Module(),\n',
          ),
        );
        const edited = readFileSync(registry, 'utf8');
        const t = await addJob({
          name: 'sweep_stale',
          schedule: '@daily',
          timeout: '1h',
        });
        assert.equal(t.status, 'failed');
        assert.match(
          t.log,
          /the update conflicts with the service in 1 file\(s\); nothing was written/,
        );
        assert.match(
          t.log,
          /- services\/catalog-service\/internal\/infrastructure\/fx\/jobs\.go: 1 conflicting change/,
        );
        assert.equal(readFileSync(registry, 'utf8'), edited);
        assert.deepEqual(await gitChanges(), [
          `${SVC}/internal/infrastructure/fx/jobs.go`,
        ]);
        await git('checkout', '--', '.');
      },
    );
  },
);
