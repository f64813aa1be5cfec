import fs from 'node:fs';
import path from 'node:path';
import {
  actionContext,
  makeSandbox,
  writeFiles,
} from '../__testUtils__/context';
import { runPlanAction } from '../__testUtils__/planAction';
import { recordedOrderService } from '../__testUtils__/recordedService';
import { createAggregatePlanAction } from './aggregatePlan';

const action = createAggregatePlanAction();

/** The values templates/go-service/template.yaml records for an order service. */
const recorded = recordedOrderService();

const supplier = {
  name: 'Supplier',
  plural: 'Suppliers',
  table: 'suppliers',
  snake: 'supplier',
  lower: 'supplier',
  camel: 'supplier',
  fields: [
    { name: 'title', type: 'string' },
    { name: 'rating', type: 'int' },
  ],
  migration: '0002',
};

const checkout = (
  values: Record<string, unknown>,
  extra: Record<string, string> = {},
) => ({
  'services/order-service/.golden-path/values.json': JSON.stringify({
    template: 'go-service',
    version: 1,
    values,
  }),
  'services/order-service/db/migrations/0001_init.sql':
    'CREATE TABLE orders (id uuid PRIMARY KEY);\n',
  'services/order-service/db/schema/schema.sql':
    'CREATE TABLE orders (id uuid PRIMARY KEY);\n',
  'services/order-service/db/queries/order.sql':
    '-- name: GetOrder :one\nSELECT * FROM orders WHERE id = $1;\n',
  'services/order-service/internal/domain/entity/order.go':
    'package entity\n\ntype Order struct{}\n',
  'api/proto/order/v1/order_service.proto':
    'syntax = "proto3";\nservice OrderService {\n  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);\n}\nmessage Order {}\nenum OrderPriority {}\n',
  ...extra,
});

async function plan(
  aggregate: Record<string, unknown>,
  values: Record<string, unknown> = recorded,
  extra: Record<string, string> = {},
) {
  return runPlanAction(action, checkout(values, extra), {
    service: 'component:default/order-service',
    aggregate,
  });
}

const urls = (renders: unknown) =>
  (renders as { url: string }[]).map(r => r.url);

describe('golden-path:aggregate:plan', () => {
  it('plans the first added aggregate: its next migration, its files, the renders with it', async () => {
    const out = await plan({
      name: 'Supplier',
      fields: [
        { name: 'title', type: 'string' },
        { name: 'rating', type: 'int' },
      ],
    });
    expect(out).toMatchObject({
      serviceName: 'order-service',
      serviceDir: 'services/order-service',
      protoDir: 'api/proto/order',
      generatedDir: 'pkg/proto/order',
      aggregate: supplier,
    });
    expect(out.files).toEqual([
      'api/proto/order/v1/supplier_service.proto',
      'services/order-service/db/migrations/0002_suppliers.sql',
      'services/order-service/db/queries/supplier.sql',
      'services/order-service/internal/adapter/inbound/grpc/supplier_handler.go',
      'services/order-service/internal/adapter/outbound/persistence/supplier_repository.go',
      'services/order-service/internal/application/port/input/supplier.go',
      'services/order-service/internal/application/usecase/supplieruc/di.go',
      'services/order-service/internal/application/usecase/supplieruc/supplier.go',
      'services/order-service/internal/domain/entity/supplier.go',
      'services/order-service/internal/domain/entity/supplier_test.go',
      'services/order-service/internal/domain/repository/supplier_repository.go',
      'services/order-service/internal/infrastructure/fx/supplier_module.go',
      'services/order-service/tests/integration/supplier_test.go',
    ]);
    expect(urls(out.base)).toEqual(['./go-service/skeleton']);
    expect(urls(out.next)).toEqual([
      './go-service/skeleton',
      './go-service/skeleton-aggregate',
    ]);
    const [svc, agg] = out.next as { values: Record<string, unknown> }[];
    expect(svc.values.aggregates).toEqual([supplier]);
    expect(agg.values).toMatchObject({ name: 'order', agg: supplier });
  });

  it('plans a second one after the first, with its given plural: both rendered, in order', async () => {
    const values = { ...recorded, aggregates: [supplier] };
    const out = await plan(
      {
        name: 'Staff',
        plural: 'StaffMembers',
        fields: [{ name: 'hired_at', type: 'timestamp' }],
      },
      values,
      {
        'services/order-service/db/migrations/0002_suppliers.sql':
          'CREATE TABLE suppliers (id uuid PRIMARY KEY);\n',
      },
    );
    expect(out.aggregate).toMatchObject({
      name: 'Staff',
      plural: 'StaffMembers',
      table: 'staff_members',
      lower: 'staff',
      migration: '0003',
    });
    expect(urls(out.base)).toEqual([
      './go-service/skeleton',
      './go-service/skeleton-aggregate',
    ]);
    expect(
      (out.next as { values: { agg?: { name: string } } }[]).map(
        r => r.values.agg?.name,
      ),
    ).toEqual([undefined, 'Supplier', 'Staff']);
  });
});

describe('bad input: golden-path:aggregate:plan', () => {
  const fields = [{ name: 'title', type: 'string' }];
  it.each([
    [
      'the service aggregate itself',
      { name: 'Order', fields },
      recorded,
      'order-service already has an aggregate named Order; pick another name',
    ],
    [
      'an aggregate added before',
      { name: 'Supplier', fields },
      { ...recorded, aggregates: [supplier] },
      'order-service already has an aggregate named Supplier; pick another name',
    ],
    [
      "the plural of the service's aggregate as a name",
      { name: 'Orders', plural: 'OrderLists', fields },
      recorded,
      'aggregate Orders collides with the existing aggregate Order after pluralization (Orders/OrderLists against Order/Orders, tables order_lists and orders); pick a name that differs in more than a plural',
    ],
    [
      'a singular whose plural is an existing plural',
      { name: 'Shelve', fields },
      {
        ...recorded,
        aggregates: [
          {
            ...supplier,
            name: 'Shelf',
            plural: 'Shelves',
            table: 'shelves',
            snake: 'shelf',
            lower: 'shelf',
            camel: 'shelf',
          },
        ],
      },
      'aggregate Shelve collides with the existing aggregate Shelf after pluralization (Shelve/Shelves against Shelf/Shelves, tables shelves and shelves); pick a name that differs in more than a plural',
    ],
    [
      'a Go keyword',
      { name: 'Select', fields },
      recorded,
      'aggregate name Select: its Go name select is a Go keyword or predeclared identifier; pick a longer name, for example SelectRecord',
    ],
    [
      'a Go predeclared identifier',
      { name: 'String', fields },
      recorded,
      'aggregate name String: its Go name string is a Go keyword or predeclared identifier; pick a longer name, for example StringRecord',
    ],
    [
      'a name the template generates',
      { name: 'Status', fields },
      recorded,
      'aggregate "Status" clashes with a generated type: pick the business name, e.g. Order',
    ],
    [
      'a name that is not PascalCase',
      { name: 'supplier_x', fields },
      recorded,
      'aggregate "supplier_x" must be PascalCase and singular, without consecutive capitals, e.g. Order or OrderLine',
    ],
    [
      'an unknown field type',
      { name: 'Supplier', fields: [{ name: 'rating', type: 'float' }] },
      recorded,
      `aggregate Supplier: fields[0] "rating" has type "float"; an added aggregate's fields are string, int, bool, uuid, timestamp`,
    ],
    [
      'a field type the added aggregate does not have',
      {
        name: 'Supplier',
        fields: [{ name: 'price', type: 'money' }],
      },
      recorded,
      `aggregate Supplier: fields[0] "price" has type "money"; an added aggregate's fields are string, int, bool, uuid, timestamp`,
    ],
    [
      'an optional field',
      {
        name: 'Supplier',
        fields: [{ name: 'title', type: 'string', optional: true }],
      },
      recorded,
      `aggregate Supplier: fields[0] "title" is optional; an added aggregate's fields are all required: drop optional`,
    ],
    [
      'a column the template adds',
      { name: 'Supplier', fields: [{ name: 'version', type: 'int' }] },
      recorded,
      'fields[0] "version": version is added by the template; remove it or rename it, e.g. external_version',
    ],
    [
      'no fields',
      { name: 'Supplier', fields: [] },
      recorded,
      'fields: give the aggregate at least one field, e.g. customer_name of type string',
    ],
  ])('refuses %s in one line', async (_label, aggregate, values, message) => {
    const err = await plan(aggregate, values).catch(e => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe(message);
  });

  it("refuses a name the service's proto package declares", async () => {
    await expect(plan({ name: 'OrderPriority', fields })).rejects.toThrow(
      'aggregate name OrderPriority: api/proto/order/v1/order_service.proto already declares OrderPriority; pick another name',
    );
  });

  it('refuses a name a package of the service declares', async () => {
    await expect(
      plan({ name: 'Supplier', fields }, recorded, {
        'services/order-service/internal/domain/entity/supplier_rules.go':
          'package entity\n\nfunc NewSupplier() {}\n',
      }),
    ).rejects.toThrow(
      'aggregate name Supplier: services/order-service/internal/domain/entity/supplier_rules.go already declares NewSupplier; pick another name',
    );
  });

  it('refuses a table the schema has', async () => {
    await expect(
      plan({ name: 'Supplier', fields }, recorded, {
        'services/order-service/db/schema/schema.sql':
          'CREATE TABLE orders (id uuid);\nCREATE TABLE suppliers (id uuid);\n',
      }),
    ).rejects.toThrow(
      'aggregate Supplier: services/order-service/db/schema/schema.sql already has a table suppliers; pick another name or give another plural',
    );
  });
});

describe('bad input: a checkout whose symlinks lead to host files', () => {
  const fields = [{ name: 'title', type: 'string' }];
  // Before: the plan read the host file or directory behind the link, and
  // its answer told what is there ("already has a table suppliers", the
  // migration version the host directory's names give).
  it.each([
    [
      'the schema',
      'db/schema/schema.sql',
      (outside: string) => {
        fs.writeFileSync(
          path.join(outside, 'schema.sql'),
          'CREATE TABLE suppliers (id uuid);\n',
        );
        return path.join(outside, 'schema.sql');
      },
      /^file "before\/services\/order-service\/db\/schema\/schema\.sql" goes through a symlink .* that leads outside the task workspace; a checkout's symlinks may only lead within the workspace/,
    ],
    [
      'the migrations directory',
      'db/migrations',
      (outside: string) => {
        fs.writeFileSync(path.join(outside, '0041_host.sql'), '');
        return outside;
      },
      /^directory "before\/services\/order-service\/db\/migrations" goes through a symlink .* that leads outside the task workspace/,
    ],
  ])(
    'refuses %s linked out, in one line',
    async (_what, rel, host, message) => {
      const s = makeSandbox();
      try {
        const base = path.join(s.workspace, 'before');
        writeFiles(base, checkout(recorded));
        const link = path.join(base, 'services/order-service', rel);
        fs.rmSync(link, { recursive: true });
        fs.symlinkSync(host(s.outside), link);
        const { ctx } = actionContext(s.workspace, {
          workingDirectory: 'before',
          service: 'component:default/order-service',
          aggregate: { name: 'Supplier', fields },
        });
        const refused = await action.handler(ctx).catch(e => e);
        expect(refused?.message).toMatch(message);
        expect(refused?.message).not.toContain(s.outside);
      } finally {
        s.cleanup();
      }
    },
  );
});
