// The day-2 template "Add an aggregate to a service" through the real
// scaffolder backend. Real tasks publish a monorepo (go-monorepo) and a
// service (go-service) locally; the monorepo is a git repository from its
// first task and the team edits the service. Then real tasks of the day-2
// template add a second and a third aggregate, each as one commit on a new
// branch (the working tree untouched), which the test checks out and merges as
// a pull request's reviewer would; the result is proven with the real tools:
// buf breaking against main, atlas migrate validate and atlas migrate diff
// (the migrations give schema.sql), gofmt, go build, go vet, go test -race
// ./... (the new aggregates' unit tests and their integration tests on the
// local PostgreSQL). The branch holds exactly the files each run touched. Bad
// aggregates (a name the service has, a Go keyword or predeclared name, a
// name that collides after pluralization, an unknown field type) are refused
// with one line before anything is written.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT, RESULTS_DIR } from './lib/processes.mjs';
import {
  assertCommitted,
  assertCompletedOn,
  assertAllRefusedByPlan,
  commitTeamEdits,
  atlasDiffClean,
  atlasValidate,
  day2Backend,
  day2Task,
  localMonorepo,
  localService,
  publishMonorepo,
  publishService,
  recordedValues,
  reportedFiles,
  submitForm,
} from './lib/day2.mjs';
import { timer } from './lib/timings.mjs';

const OUT = join(RESULTS_DIR, 'render/add-aggregate');
const local = localMonorepo('aggregates');
const { suffix, monorepo, mono, shell } = local;
// The run's own service name: the catalog discovers every monorepo under the
// shared local root, so a name another run declared would be another source.
const NAME = `depot-${suffix}`;
const PKG = NAME.replace(/-/g, '');
const SVC = `services/${NAME}-service`;
const svc = join(mono, SVC);
const serviceRef = `component:default/${NAME}-service`;
const supplier = {
  name: 'Supplier',
  fields: [
    { name: 'title', type: 'string' },
    { name: 'contact_id', type: 'uuid' },
    { name: 'rating', type: 'int' },
    { name: 'active', type: 'bool' },
    { name: 'since', type: 'timestamp' },
  ],
};
const carrier = {
  name: 'Carrier',
  fields: [
    { name: 'code', type: 'string' },
    { name: 'max_weight', type: 'int' },
  ],
};
const timings = [];

const { gitChanges } = shell;
const timed = timer(timings);

const addAggregate = aggregate =>
  day2Task('add-aggregate', monorepo)({ service: serviceRef, aggregate });

/** The files an aggregate adds and changes, as git lists them. */
function expectedChanges(snake, table, migration, lower) {
  return [
    `api/proto/${PKG}/v1/${snake}_service.proto`,
    `pkg/proto/${PKG}/v1/${snake}_service.pb.go`,
    `pkg/proto/${PKG}/v1/${snake}_service_grpc.pb.go`,
    `${SVC}/.golden-path/values.json`,
    `${SVC}/catalog-info.yaml`,
    `${SVC}/db/migrations/${migration}_${table}.sql`,
    `${SVC}/db/migrations/atlas.sum`,
    `${SVC}/db/queries/${snake}.sql`,
    `${SVC}/db/schema/schema.sql`,
    `${SVC}/internal/adapter/inbound/grpc/${snake}_handler.go`,
    `${SVC}/internal/adapter/outbound/persistence/${snake}_repository.go`,
    `${SVC}/internal/application/port/input/${snake}.go`,
    `${SVC}/internal/application/usecase/${lower}uc/di.go`,
    `${SVC}/internal/application/usecase/${lower}uc/${snake}.go`,
    `${SVC}/internal/domain/entity/${snake}.go`,
    `${SVC}/internal/domain/entity/${snake}_test.go`,
    `${SVC}/internal/domain/repository/${snake}_repository.go`,
    `${SVC}/internal/infrastructure/fx/module.go`,
    `${SVC}/internal/infrastructure/fx/${snake}_module.go`,
    `${SVC}/internal/infrastructure/server/grpc_server.go`,
    `${SVC}/sqlcgen/models.go`,
    `${SVC}/sqlcgen/${snake}.sql.go`,
    `${SVC}/tests/integration/${snake}_test.go`,
  ].sort();
}

/** atlas migrate diff writes nothing: the migrations (the new ones included) give schema.sql. */
const atlasDiff = () => atlasDiffClean(shell, svc, `gp_aggs_dev_${suffix}`);

day2Backend('add-aggregate', 'add-aggregate', { out: OUT, timings });

describe(
  'a service made by the Go service template gets more aggregates',
  { concurrency: false },
  () => {
    test(
      "the monorepo and a service, as real tasks, under git with the team's edits",
      { timeout: 900_000 },
      async () => {
        await publishMonorepo(timed, monorepo);
        await publishService(
          timed,
          'go-service task (depot)',
          localService(monorepo, {
            name: NAME,
            aggregate: 'Shelf',
            grpcPort: 50091,
            fields: [
              { name: 'label', type: 'string' },
              { name: 'capacity', type: 'int' },
            ],
          }),
        );
        const recorded = recordedValues(svc);
        assert.equal(recorded.values.aggPlural, 'Shelves');
        assert.equal(recorded.values.aggregates, undefined);
        // The monorepo's first commit, then the service's: no loose files.
        await assertCommitted(local);
        // The team's own edit in a file the aggregate changes too.
        await commitTeamEdits(local, {
          [`${SVC}/internal/infrastructure/fx/module.go`]: s =>
            `${s}\n// teamOptions is the team's own addition.\nvar teamOptions = fx.Options()\n`,
        });
      },
    );

    test('the form refuses a Go keyword and unknown field types before any task starts', async () => {
      for (const [label, aggregate] of [
        ['a Go keyword', { ...supplier, name: 'Select' }],
        [
          'an unknown field type',
          { ...supplier, fields: [{ name: 'rating', type: 'float' }] },
        ],
        [
          'a type of the first aggregate that an added one does not have',
          { ...supplier, fields: [{ name: 'price', type: 'money' }] },
        ],
      ]) {
        const { status, body } = await submitForm('add-aggregate', monorepo, {
          service: serviceRef,
          aggregate,
        });
        assert.equal(status, 400, `${label}: ${body}`);
        assert.match(body, /aggregate/, label);
      }
      assert.deepEqual(await gitChanges(), []);
    });

    test(
      'the action refuses bad aggregates in one line, before any file is written',
      { timeout: 600_000 },
      async () => {
        const cases = [
          [
            'the aggregate the service has',
            { ...supplier, name: 'Shelf' },
            new RegExp(
              `${NAME}-service already has an aggregate named Shelf; pick another name`,
            ),
          ],
          [
            'a Go predeclared identifier',
            { ...supplier, name: 'String' },
            /aggregate name String: its Go name string is a Go keyword or predeclared identifier; pick a longer name, for example StringRecord/,
          ],
          [
            'a name that collides after pluralization',
            { ...supplier, name: 'Shelve' },
            /aggregate Shelve collides with the existing aggregate Shelf after pluralization \(Shelve\/Shelves against Shelf\/Shelves, tables shelves and shelves\); pick a name that differs in more than a plural/,
          ],
          [
            'a column the template adds',
            { ...supplier, fields: [{ name: 'version', type: 'int' }] },
            /fields\[0\] "version": version is added by the template; remove it or rename it, e.g. external_version/,
          ],
        ];
        await assertAllRefusedByPlan(
          shell,
          cases,
          addAggregate,
          /Check the aggregate against the service/,
        );
      },
    );

    test(
      "a second aggregate: exactly its files, the team's edit kept; buf breaking against the previous commit, atlas validate and diff, build, vet and go test -race ./... pass",
      { timeout: 1_500_000 },
      async () => {
        const t = await timed('add-aggregate task (Supplier)', () =>
          addAggregate(supplier),
        );
        const branch = `add-supplier-aggregate-to-${NAME}-service`;
        assertCompletedOn(t, branch, 'add-aggregate-supplier-task');
        const changed = await shell.reviewBranch(branch);
        assert.deepEqual(
          changed,
          expectedChanges('supplier', 'suppliers', '0002', 'supplier'),
        );
        // What the task reported is what git sees.
        assert.deepEqual(reportedFiles(t), changed);
        assert.match(
          t.output.text[0].content,
          new RegExp(
            `Merged three-way with the team's edits: ${SVC}/internal/infrastructure/fx/module\\.go\\.`,
          ),
        );
        const module = readFileSync(
          join(svc, 'internal/infrastructure/fx/module.go'),
          'utf8',
        );
        assert.match(module, /var teamOptions = fx\.Options\(\)/);
        assert.match(module, /\tSupplierModule,\n/);
        const recorded = recordedValues(svc).values;
        assert.deepEqual(
          recorded.aggregates.map(a => [
            a.name,
            a.plural,
            a.table,
            a.migration,
          ]),
          [['Supplier', 'Suppliers', 'suppliers', '0002']],
        );
        assert.match(
          readFileSync(
            join(mono, `api/proto/${PKG}/v1/supplier_service.proto`),
            'utf8',
          ),
          /service SupplierService \{[\s\S]*rpc ListSuppliers\(ListSuppliersRequest\) returns \(ListSuppliersResponse\);/,
        );
        await timed('buf breaking against the previous commit', () =>
          shell.bufBreakingAgainstHead(),
        );
        await timed('atlas migrate validate', () => atlasValidate(shell, svc));
        await timed(
          'atlas migrate diff: migrations give schema.sql',
          atlasDiff,
        );
        const out = await timed(
          'Supplier: gofmt, tidy, build, vet, go test -race ./...',
          () => shell.checkGoService(SVC, ['./...']),
        );
        assert.match(out, /^ok\s+\S+\/internal\/domain\/entity\b/m);
        assert.match(out, /^ok\s+\S+\/tests\/integration\b/m);
        assert.match(out, /^ok\s+\S+\/tests\/architecture\b/m);
        assert.match(out, /^ok\s+\S+\/internal\/infrastructure\/fx\b/m);
        assert.doesNotMatch(out, /^FAIL/m);
        const verbose = await shell.integrationTestsVerbose(
          SVC,
          'TestSupplier',
        );
        assert.match(verbose.stdout, /--- PASS: TestSupplierLifecycle/);
        assert.match(verbose.stdout, /--- PASS: TestSupplierBadRequests/);
        await shell.mergeBranch(branch);
      },
    );

    test(
      "the added aggregate's gRPC service has the first aggregate's RPCs (Create, Get, List, Update, Delete); its Update is at the version read, and tested",
      { timeout: 600_000 },
      async () => {
        const rpcs = proto =>
          [
            ...readFileSync(
              join(mono, `api/proto/${PKG}/v1/${proto}`),
              'utf8',
            ).matchAll(/^\s*rpc (\w+)\(/gm),
          ].map(m => m[1]);
        assert.deepEqual(rpcs('supplier_service.proto'), [
          'CreateSupplier',
          'GetSupplier',
          'ListSuppliers',
          'UpdateSupplier',
          'DeleteSupplier',
        ]);
        // The same operations as the skeleton's aggregate (Shelf).
        for (const op of ['Create', 'Get', 'Update', 'Delete'])
          assert.ok(rpcs(`${PKG}_service.proto`).includes(`${op}Shelf`), op);
        assert.match(
          readFileSync(
            join(svc, 'internal/infrastructure/server/grpc_server.go'),
            'utf8',
          ),
          /SupplierService_UpdateSupplier_FullMethodName\] = writes/,
        );
        const unit = await shell.sh(
          'go',
          [
            'test',
            '-race',
            '-count=1',
            '-v',
            '-run',
            'TestSupplierUpdate',
            './internal/domain/entity/',
          ],
          svc,
        );
        assert.match(unit.stdout, /--- PASS: TestSupplierUpdate/);
        // Lifecycle: an update at version 1 gives version 2, the same
        // version again is ABORTED; BadRequests: no version, bad id.
        const it = await shell.integrationTestsVerbose(
          SVC,
          'TestSupplierLifecycle|TestSupplierBadRequests',
        );
        assert.match(it.stdout, /--- PASS: TestSupplierLifecycle/);
        assert.match(it.stdout, /--- PASS: TestSupplierBadRequests/);
      },
    );

    test(
      "catalog-info.yaml provides the added aggregate's API as its own API entity, the proto inline, valid for the catalog",
      { timeout: 300_000 },
      async () => {
        const file = join(svc, 'catalog-info.yaml');
        const docs = parseAllDocuments(readFileSync(file, 'utf8')).map(d =>
          d.toJS(),
        );
        const component = docs.find(d => d.kind === 'Component');
        assert.deepEqual(component.spec.providesApis, [
          `${NAME}-grpc-api`,
          `${NAME}-grpc-api-supplier`,
        ]);
        const api = name =>
          docs.find(d => d.kind === 'API' && d.metadata.name === name);
        const proto = f =>
          readFileSync(join(mono, `api/proto/${PKG}/v1/${f}`), 'utf8');
        // The first aggregate's API as it was; the added one's proto byte for byte.
        assert.equal(
          api(`${NAME}-grpc-api`).spec.definition,
          proto(`${PKG}_service.proto`),
        );
        const added = api(`${NAME}-grpc-api-supplier`);
        assert.ok(added, `no API ${NAME}-grpc-api-supplier in ${file}`);
        assert.equal(added.spec.type, 'grpc');
        assert.equal(added.spec.owner, component.spec.owner);
        assert.equal(added.spec.system, component.spec.system);
        assert.match(added.metadata.description, /\.v1\.SupplierService/);
        assert.equal(added.spec.definition, proto('supplier_service.proto'));
        const valid = await shell.sh(
          process.execPath,
          [
            join(ROOT, 'packages/cli/bin/golden-path'),
            'template',
            'validate-catalog',
            file,
          ],
          ROOT,
        );
        assert.match(valid.stdout, new RegExp(`API:${NAME}-grpc-api-supplier`));
      },
    );

    test(
      'a third aggregate re-renders the second from the recorded values and touches only its own files and the shared ones',
      { timeout: 1_500_000 },
      async () => {
        const t = await timed('add-aggregate task (Carrier)', () =>
          addAggregate(carrier),
        );
        assertCompletedOn(
          t,
          `add-carrier-aggregate-to-${NAME}-service`,
          'add-aggregate-carrier-task',
        );
        assert.deepEqual(
          await shell.reviewBranch(t.output.branch),
          expectedChanges('carrier', 'carriers', '0003', 'carrier'),
        );
        assert.match(
          readFileSync(
            join(svc, 'internal/infrastructure/fx/module.go'),
            'utf8',
          ),
          /\tSupplierModule,\n\tCarrierModule,\n/,
        );
        await timed('buf breaking against the previous commit', () =>
          shell.bufBreakingAgainstHead(),
        );
        await timed('atlas migrate validate', () => atlasValidate(shell, svc));
        await timed(
          'atlas migrate diff: migrations give schema.sql',
          atlasDiff,
        );
        const out = await timed(
          'Carrier: gofmt, tidy, build, vet, go test -race of its packages',
          () =>
            shell.checkGoService(SVC, [
              './internal/domain/entity/',
              './internal/infrastructure/fx/',
              './tests/architecture/',
              '-run',
              'TestCarrier|TestNewCarrier|TestUnmarshalCarrier|TestModuleGraph|TestDependencyRule',
            ]),
        );
        assert.doesNotMatch(out, /^FAIL/m);
        const verbose = await shell.integrationTestsVerbose(
          SVC,
          'TestCarrier|TestSupplier',
        );
        assert.match(verbose.stdout, /--- PASS: TestCarrierLifecycle/);
        assert.match(verbose.stdout, /--- PASS: TestSupplierLifecycle/);
        await shell.mergeBranch(t.output.branch);
      },
    );

    test(
      'an aggregate added before is refused by its recorded name, and nothing is written',
      { timeout: 300_000 },
      async () => {
        const t = await addAggregate({ ...carrier, fields: supplier.fields });
        assert.equal(t.status, 'failed');
        assert.match(
          t.log,
          new RegExp(
            `${NAME}-service already has an aggregate named Carrier; pick another name`,
          ),
        );
        assert.deepEqual(await gitChanges(), []);
      },
    );
  },
);
