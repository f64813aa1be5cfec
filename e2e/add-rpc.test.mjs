// The day-2 template "Add an RPC to a service" through the real scaffolder
// backend. Real tasks publish a monorepo (go-monorepo) and a service
// (go-service) locally; the monorepo is a git repository from its first task,
// the service is committed and the team edits it. Then real tasks of the
// day-2 template add a query RPC (with its repository method and sqlc query)
// and a command RPC, each as one commit on a new branch (the working tree
// untouched), which the test checks out and merges as a pull request's
// reviewer would; the result is proven with the real tools: buf breaking
// against main, gofmt, go build, go vet, go test -race (the RPCs' integration
// tests on the local PostgreSQL). The branch holds exactly the files each run
// touched. Bad RPCs (a name the service has, a Go keyword, a name that differs
// only in a plural, an unknown field) and a branch that exists already are
// refused with one line before anything is written.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './lib/processes.mjs';
import {
  assertCommitted,
  assertCompletedOn,
  assertAllRefusedByPlan,
  commitTeamEdits,
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

const OUT = join(RESULTS_DIR, 'render/add-rpc');
const local = localMonorepo('rpcs');
const { monorepo, mono, shell } = local;
const SVC = 'services/inventory-service';
const svc = join(mono, SVC);
const serviceRef = 'component:default/inventory-service';
const query = {
  name: 'FindItemsBySupplier',
  kind: 'query',
  fields: ['supplier_id', 'category'],
};
const command = { name: 'ChangeStock', kind: 'command', fields: ['stock'] };
const timings = [];

const { gitChanges } = shell;
const timed = timer(timings);

const addRpc = rpc =>
  day2Task('add-rpc', monorepo)({ service: serviceRef, rpc });

/** gofmt, go mod tidy, build and vet of the service, in the monorepo's go.work; then the tests given. */
const checkService = tests => shell.checkGoService(SVC, tests);

day2Backend('add-rpc', 'add-rpc', { out: OUT, timings });

describe(
  'a service made by the Go service template gets RPCs',
  { concurrency: false },
  () => {
    test(
      "the monorepo and a service, as real tasks, under git with the team's edits",
      { timeout: 900_000 },
      async () => {
        await publishMonorepo(timed, monorepo);
        await publishService(
          timed,
          'go-service task (inventory)',
          localService(monorepo, {
            name: 'inventory',
            aggregate: 'Item',
            grpcPort: 50071,
            fields: [
              { name: 'title', type: 'string' },
              { name: 'stock', type: 'int' },
              { name: 'supplier_id', type: 'uuid' },
              { name: 'category', type: 'enum', values: ['book', 'toy'] },
              { name: 'price', type: 'money' },
            ],
          }),
        );
        const recorded = recordedValues(svc);
        assert.equal(recorded.values.serviceName, 'inventory-service');
        assert.equal(recorded.values.rpcs, undefined);
        // The monorepo's first commit, then the service's: no loose files.
        await assertCommitted(local, 2);
        // The team's own edit in a file the first RPC changes too.
        await commitTeamEdits(local, {
          [`${SVC}/internal/adapter/inbound/grpc/item_handler.go`]: s =>
            `${s}\n// lowStock is the team's own helper.\nfunc lowStock(stock int64) bool { return stock < 10 }\n`,
        });
      },
    );

    test('the form refuses an RPC named like a Go keyword before any task starts', async () => {
      const { status, body } = await submitForm('add-rpc', monorepo, {
        service: serviceRef,
        rpc: { ...query, name: 'Select' },
      });
      assert.equal(status, 400, body);
      assert.match(body, /rpc\.name|\/rpc\/name|name/);
      assert.deepEqual(await gitChanges(), []);
    });

    test(
      'the action refuses bad RPCs in one line, before any file is written',
      { timeout: 600_000 },
      async () => {
        const cases = [
          [
            'an RPC the service has',
            { ...query, name: 'GetItem' },
            /inventory-service already has an RPC named GetItem \(inventory_service\.proto\); pick another name/,
          ],
          [
            'a Go predeclared identifier',
            { ...command, name: 'New' },
            /rpc name New: its Go name new is a Go keyword or predeclared identifier; pick a longer name, for example NewItem/,
          ],
          [
            'a name that collides after pluralization',
            { ...query, name: 'ListItem' },
            /rpc name ListItem collides with the existing RPC ListItems: they differ only in a plural \(both read ListItem\); pick a name that differs in more than a plural/,
          ],
          [
            'the name of the aggregate',
            { ...query, name: 'Item' },
            /rpc name Item: its package itemuc is the package of the Item use cases; pick another name/,
          ],
          [
            'a field of no RPC type',
            { ...query, fields: ['price'] },
            /rpc FindItemsBySupplier: field price is a money; an RPC's request carries required string, int, bool, uuid, enum fields only/,
          ],
          [
            'an unknown field',
            { ...command, fields: ['colour'] },
            /rpc ChangeStock: "colour" is not a field of Item; its fields are title, stock, supplier_id, category, price/,
          ],
        ];
        await assertAllRefusedByPlan(
          shell,
          cases,
          addRpc,
          /Check the RPC against the service/,
        );
      },
    );

    test(
      "a query RPC: exactly its files, the team's edit kept; buf breaking against the previous commit, build, vet and its test pass",
      { timeout: 1_200_000 },
      async () => {
        const t = await timed('add-rpc task (query)', () => addRpc(query));
        const branch = 'add-find-items-by-supplier-rpc-to-inventory-service';
        assertCompletedOn(t, branch, 'add-rpc-query-task');
        // The same change again while its branch is not merged: refused.
        const again = await addRpc(query);
        assert.equal(again.status, 'failed');
        assert.match(
          again.log,
          new RegExp(
            `branch ${branch} already exists in ${monorepo} \\(under the local publish root\\): merge or delete it, then run the change again`,
          ),
        );
        const changed = await shell.reviewBranch(branch);
        assert.deepEqual(changed, [
          'api/proto/inventory/v1/inventory_service.proto',
          'pkg/proto/inventory/v1/inventory_service.pb.go',
          'pkg/proto/inventory/v1/inventory_service_grpc.pb.go',
          `${SVC}/.golden-path/values.json`,
          `${SVC}/catalog-info.yaml`,
          `${SVC}/db/queries/find_items_by_supplier.sql`,
          `${SVC}/internal/adapter/inbound/grpc/find_items_by_supplier_handler.go`,
          `${SVC}/internal/adapter/inbound/grpc/item_handler.go`,
          `${SVC}/internal/adapter/outbound/persistence/find_items_by_supplier.go`,
          `${SVC}/internal/application/dto/request/find_items_by_supplier.go`,
          `${SVC}/internal/application/port/input/find_items_by_supplier.go`,
          `${SVC}/internal/application/usecase/finditemsbysupplieruc/di.go`,
          `${SVC}/internal/application/usecase/finditemsbysupplieruc/find_items_by_supplier.go`,
          `${SVC}/internal/domain/repository/find_items_by_supplier.go`,
          `${SVC}/internal/domain/repository/item_repository.go`,
          `${SVC}/internal/infrastructure/fx/module.go`,
          `${SVC}/internal/infrastructure/fx/rpcs.go`,
          `${SVC}/internal/infrastructure/server/grpc_server.go`,
          `${SVC}/sqlcgen/find_items_by_supplier.sql.go`,
          `${SVC}/tests/integration/find_items_by_supplier_test.go`,
        ]);
        // What the task reported is what git sees.
        assert.deepEqual(reportedFiles(t), changed);
        assert.match(
          t.output.text[0].content,
          /Merged three-way with the team's edits: services\/inventory-service\/internal\/adapter\/inbound\/grpc\/item_handler\.go\./,
        );
        const handler = readFileSync(
          join(svc, 'internal/adapter/inbound/grpc/item_handler.go'),
          'utf8',
        );
        assert.match(handler, /func lowStock\(stock int64\) bool/);
        assert.match(
          handler,
          /findItemsBySupplier input\.FindItemsBySupplierUseCase/,
        );
        const proto = readFileSync(
          join(mono, 'api/proto/inventory/v1/inventory_service.proto'),
          'utf8',
        );
        assert.match(
          proto,
          /rpc FindItemsBySupplier\(FindItemsBySupplierRequest\) returns \(FindItemsBySupplierResponse\);/,
        );
        const recorded = recordedValues(svc).values;
        assert.deepEqual(
          recorded.rpcs.map(r => [r.name, r.kind, r.pkg]),
          [['FindItemsBySupplier', 'query', 'finditemsbysupplieruc']],
        );
        await timed('buf breaking against the previous commit', () =>
          shell.bufBreakingAgainstHead(),
        );
        const out = await timed(
          'query RPC: gofmt, tidy, build, vet, its integration test -race',
          () =>
            checkService([
              '-v',
              '-run',
              'TestFindItemsBySupplier',
              './tests/integration/',
            ]),
        );
        assert.match(out, /--- PASS: TestFindItemsBySupplier/);
        await shell.mergeBranch(branch);
      },
    );

    test(
      'a command RPC touches only its files, the handler struct and the registry; buf breaking passes and go test -race ./... is green',
      { timeout: 1_500_000 },
      async () => {
        const t = await timed('add-rpc task (command)', () => addRpc(command));
        assertCompletedOn(
          t,
          'add-change-stock-rpc-to-inventory-service',
          'add-rpc-command-task',
        );
        assert.deepEqual(await shell.reviewBranch(t.output.branch), [
          'api/proto/inventory/v1/inventory_service.proto',
          'pkg/proto/inventory/v1/inventory_service.pb.go',
          'pkg/proto/inventory/v1/inventory_service_grpc.pb.go',
          `${SVC}/.golden-path/values.json`,
          `${SVC}/catalog-info.yaml`,
          `${SVC}/internal/adapter/inbound/grpc/change_stock_handler.go`,
          `${SVC}/internal/adapter/inbound/grpc/item_handler.go`,
          `${SVC}/internal/application/dto/request/change_stock.go`,
          `${SVC}/internal/application/port/input/change_stock.go`,
          `${SVC}/internal/application/usecase/changestockuc/change_stock.go`,
          `${SVC}/internal/application/usecase/changestockuc/di.go`,
          `${SVC}/internal/infrastructure/fx/rpcs.go`,
          `${SVC}/internal/infrastructure/server/grpc_server.go`,
          `${SVC}/tests/integration/change_stock_test.go`,
        ]);
        assert.match(
          readFileSync(join(svc, 'internal/infrastructure/fx/rpcs.go'), 'utf8'),
          /changestockuc\.Module\(\),\n\tfinditemsbysupplieruc\.Module\(\),/,
        );
        await timed('buf breaking against the previous commit', () =>
          shell.bufBreakingAgainstHead(),
        );
        const out = await timed(
          'two RPCs: gofmt, tidy, build, vet, go test -race ./...',
          () => checkService(['./...']),
        );
        assert.match(out, /^ok\s+\S+\/tests\/integration\b/m);
        assert.match(out, /^ok\s+\S+\/tests\/architecture\b/m);
        assert.doesNotMatch(out, /^FAIL/m);
        const verbose = await shell.integrationTestsVerbose(
          SVC,
          'TestFindItemsBySupplier|TestChangeStock',
        );
        assert.match(verbose.stdout, /--- PASS: TestFindItemsBySupplier/);
        assert.match(verbose.stdout, /--- PASS: TestChangeStock/);
        await shell.mergeBranch(t.output.branch);
      },
    );

    test(
      'an RPC added before is refused by its recorded name, and nothing is written',
      { timeout: 300_000 },
      async () => {
        const t = await addRpc({ ...command, fields: ['title'] });
        assert.equal(t.status, 'failed');
        assert.match(
          t.log,
          /inventory-service already has an RPC named ChangeStock \(inventory_service\.proto\); pick another name/,
        );
        assert.deepEqual(await gitChanges(), []);
      },
    );
  },
);
