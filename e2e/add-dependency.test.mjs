// The day-2 template "Add a dependency on another service" through the real
// scaffolder backend. Real tasks publish a monorepo (go-monorepo) and two
// services without a dependency (go-service); the monorepo is a git
// repository from its first task, the services are committed and the team
// edits the caller. Bad dependencies (a service not in the monorepo, the
// service itself, a directory that is no Go service, names that are no
// service, hostile strings) are refused by the form or by the plan in one line
// before anything is written, and a checkout with uncommitted changes by the
// publish step. Then a real task of the day-2 template lets catalog-service
// call order-history-service as one commit on a new branch (the working tree
// untouched): the branch holds exactly the files it touched, the team's edit
// is kept, gofmt, build, vet and go test -race ./... of the caller are green;
// once the test merges the branch, as a pull request's reviewer would, the
// catalog shows the relation. Adding it again and the reverse dependency (a
// cycle) are refused.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKEND_URL, RESULTS_DIR, authHeaders } from './lib/processes.mjs';
import {
  assertCommitted,
  assertCompletedOn,
  assertRefusedByPlan,
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
  submitForm,
} from './lib/day2.mjs';
import { timer } from './lib/timings.mjs';

const OUT = join(RESULTS_DIR, 'render/add-dependency');
const local = localMonorepo('deps');
const { monorepo, mono, shell } = local;
const SVC = 'services/catalog-service';
const svc = join(mono, SVC);
const caller = 'component:default/catalog-service';
const called = 'component:default/order-history-service';
const timings = [];

const { git, gitChanges } = shell;
const timed = timer(timings);

const addDependency = (service, dependency) =>
  day2Task('add-dependency', monorepo)({ service, dependency });

/** POSTs a task; resolves with the HTTP status and body (the form's checks answer 400). */
const submit = values => submitForm('add-dependency', monorepo, values);

/** A refused run: failed in the plan with `message`, no render ran, the monorepo unchanged. */
async function assertRefused(label, service, dependency, message) {
  const t = await addDependency(service, dependency);
  assertRefusedByPlan(
    t,
    label,
    message,
    /Check the dependency against the monorepo/,
  );
  const line = t.log.split('\n').find(l => message.test(l));
  assert.ok(line, `${label}: the message is not on one line`);
  assert.deepEqual(
    await gitChanges(),
    [],
    `${label}: a refused run changed the monorepo`,
  );
}

day2Backend('add-dependency', 'add-dependency', { out: OUT, timings });

describe(
  'a service made by the Go service template gets a dependency on another',
  { concurrency: false },
  () => {
    test(
      "the monorepo and two services without a dependency, as real tasks, under git with the team's edits",
      { timeout: 900_000 },
      async () => {
        await publishMonorepo(timed, monorepo);
        for (const name of ['order-history', 'catalog'])
          await publishService(
            timed,
            `go-service task (${name})`,
            localService(monorepo, goServiceExample(name)),
          );
        assert.deepEqual(recordedValues(svc).values.dependencies, []);
        // The monorepo's first commit, then one per service: no loose files.
        await assertCommitted(local, 3);
        // A directory under services/ that the Go service template did not make.
        mkdirSync(join(mono, 'services/legacy-service'), { recursive: true });
        writeFileSync(
          join(mono, 'services/legacy-service/README.md'),
          '# legacy\n',
        );
        await git('add', '-A');
        await git('commit', '-qm', 'legacy-service');
        // The team's own edit in a file the dependency changes too.
        await commitTeamEdits(local, {
          [`${SVC}/internal/infrastructure/fx/module.go`]: s =>
            `${s}\n// teamNote is the team's own addition.\nconst teamNote = "kept"\n`,
        });
      },
    );

    test('the form refuses names that are no Go service and hostile strings before any task starts', async () => {
      const cases = [
        ['gateway', 'component:default/gateway'],
        ['pkg', 'pkg'],
        ['an API', 'api:default/order-history-grpc-api'],
        ['a Group', 'group:default/platform-team'],
        ['a shell string', 'order-history; rm -rf /'],
        ['a path', '../../etc/passwd'],
        ['a newline', 'order-history\nX-Injected: 1'],
        ['a template expression', '${{ secrets.token }}'],
        ['a very long name', `a${'-b'.repeat(200)}`],
      ];
      for (const [label, dependency] of cases) {
        const { status, body } = await submit({ service: caller, dependency });
        assert.equal(status, 400, `${label}: ${body}`);
        assert.match(body, /dependency/, `${label}: ${body}`);
      }
      const { status, body } = await submit({
        service: 'component:default/../../x',
        dependency: called,
      });
      assert.equal(status, 400, body);
      assert.deepEqual(await gitChanges(), []);
    });

    test(
      'the plan refuses a service not in the monorepo, the service itself and a directory that is no Go service, in one line, before any file is written',
      { timeout: 600_000 },
      async () => {
        await assertRefused(
          'a service not in the monorepo',
          caller,
          'component:default/shipping-service',
          /dependency "shipping": the monorepo has no services\/shipping-service; its services are catalog, legacy, order-history/,
        );
        await assertRefused(
          'the service itself',
          caller,
          caller,
          /dependency "catalog" is the service itself: a service cannot depend on itself \(a cycle\)/,
        );
        await assertRefused(
          'a directory that is no Go service',
          caller,
          'legacy',
          /dependency "legacy": services\/legacy-service is not a Go service made by the Go service template \(no \.golden-path\/values\.json\), so its API cannot be read/,
        );
      },
    );

    test(
      "the dependency: exactly its files, the team's edit kept; gofmt, build, vet and go test -race ./... green; the catalog shows the relation",
      { timeout: 1_500_000 },
      async () => {
        // A checkout with uncommitted changes: refused in one line, no branch.
        writeFileSync(join(mono, 'notes.txt'), 'work in progress\n');
        const dirty = await addDependency(caller, called);
        assert.equal(dirty.status, 'failed');
        assert.match(
          dirty.log,
          new RegExp(
            `${monorepo} \\(under the local publish root\\) has uncommitted changes \\(notes\\.txt\\): commit or remove them first, so that the change starts from a commit`,
          ),
        );
        rmSync(join(mono, 'notes.txt'));
        assert.equal(
          (await git('branch', '--format=%(refname:short)')).stdout.trim(),
          'main',
        );
        const t = await timed('add-dependency task', () =>
          addDependency(caller, called),
        );
        assertCompletedOn(
          t,
          'catalog-service-calls-order-history-service',
          'add-dependency-task',
        );
        const changed = await shell.reviewBranch(t.output.branch);
        assert.deepEqual(changed, [
          `${SVC}/.golden-path/values.json`,
          `${SVC}/catalog-info.yaml`,
          `${SVC}/configs/local.env`,
          `${SVC}/deploy/k8s/base/config.env`,
          `${SVC}/go.mod`,
          `${SVC}/internal/adapter/outbound/grpcclient/conn.go`,
          `${SVC}/internal/adapter/outbound/grpcclient/order_history_client.go`,
          `${SVC}/internal/adapter/outbound/grpcclient/order_history_client_test.go`,
          `${SVC}/internal/application/port/output/order_history_client.go`,
          `${SVC}/internal/infrastructure/config/config.go`,
          `${SVC}/internal/infrastructure/fx/external_module.go`,
          `${SVC}/internal/infrastructure/fx/module.go`,
        ]);
        // What the task reported is what git sees.
        assert.deepEqual(reportedFiles(t), changed);
        assert.match(
          t.output.text[0].content,
          /Merged three-way with the team's edits: services\/catalog-service\/internal\/infrastructure\/fx\/module\.go\./,
        );
        const module = readFileSync(
          join(svc, 'internal/infrastructure/fx/module.go'),
          'utf8',
        );
        assert.match(module, /const teamNote = "kept"/);
        assert.match(module, /\tExternalModule,\n/);
        const recorded = recordedValues(svc).values;
        assert.deepEqual(
          recorded.dependencies.map(d => [d.name, d.serviceName, d.grpcPort]),
          [['order-history', 'order-history-service', 50071]],
        );
        const info = readFileSync(join(svc, 'catalog-info.yaml'), 'utf8');
        assert.match(info, /consumesApis:\n {4}- order-history-grpc-api\n/);
        assert.match(info, /- component:order-history-service\n/);
        assert.match(
          readFileSync(join(svc, 'configs/local.env'), 'utf8'),
          /^ORDER_HISTORY_GRPC_ADDR=localhost:50071$/m,
        );
        const out = await timed(
          'caller: gofmt, tidy, build, vet, go test -race ./...',
          () => shell.checkGoService(SVC, ['./...']),
        );
        assert.match(
          out,
          /^ok\s+\S+\/internal\/adapter\/outbound\/grpcclient\b/m,
        );
        assert.match(out, /^ok\s+\S+\/tests\/architecture\b/m);
        assert.doesNotMatch(out, /^FAIL/m);
        // The monorepo's CI target checks both services' migrations.
        const validate = await shell.sh('make', ['migrate-validate']);
        assert.match(
          validate.stdout,
          /atlas migrate validate services\/catalog-service\/db\/migrations\n/,
        );
        assert.match(
          validate.stdout,
          /atlas migrate validate services\/order-history-service\/db\/migrations\n/,
        );
        await shell.mergeBranch(t.output.branch);

        // The catalog reads the changed catalog-info.yaml (asked to refresh
        // the entity now rather than at its next processing): the relation shows.
        let relations = [];
        await timed('the catalog shows the relation', async () => {
          const refresh = await fetch(`${BACKEND_URL}/api/catalog/refresh`, {
            method: 'POST',
            headers: { ...authHeaders(), 'Content-Type': 'application/json' },
            body: JSON.stringify({ entityRef: caller }),
          });
          assert.ok(refresh.ok, await refresh.text());
          for (let i = 0; i < 240; i++) {
            const res = await fetch(
              `${BACKEND_URL}/api/catalog/entities/by-name/component/default/catalog-service`,
              { headers: authHeaders() },
            );
            const entity = res.status === 200 ? await res.json() : undefined;
            relations = (entity?.relations ?? []).map(
              r => `${r.type} ${r.targetRef}`,
            );
            if (
              relations.includes(
                'consumesApi api:default/order-history-grpc-api',
              ) &&
              relations.includes(
                'dependsOn component:default/order-history-service',
              )
            )
              return;
            await new Promise(r => setTimeout(r, 1000));
          }
          assert.fail(
            `catalog-service has no consumesApi/dependsOn relation to order-history after 4 minutes: ${relations.join(
              ', ',
            )}`,
          );
        });
      },
    );

    test(
      'the same dependency again and the reverse one (a cycle) are refused in one line, and nothing is written',
      { timeout: 300_000 },
      async () => {
        await assertRefused(
          'a service it calls already',
          caller,
          called,
          /dependency "order-history": catalog-service calls order-history-service already \(its recorded dependencies\); nothing to add/,
        );
        await assertRefused(
          'a cycle',
          called,
          caller,
          /dependency "catalog": catalog -> order-history exists already, so order-history -> catalog would make a cycle/,
        );
      },
    );
  },
);
