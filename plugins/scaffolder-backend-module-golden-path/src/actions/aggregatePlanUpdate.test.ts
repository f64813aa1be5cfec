import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  actionContext,
  makeSandbox,
  writeFiles,
} from '../__testUtils__/context';
import { runPlanAction } from '../__testUtils__/planAction';
import { recordedOrderService } from '../__testUtils__/recordedService';
import { aggregateApiName } from '../lib/serviceAggregate';
import { currentTemplateVersion, storeSnapshot } from '../lib/templateVersions';
import { createAggregatePlanAction } from './aggregatePlan';

// What an added aggregate brings beside create, get, list and delete: its
// Update RPC (the Go and proto names it declares) and its own API entity in
// the service's catalog-info.yaml (a name the catalog accepts).

const action = createAggregatePlanAction();

/** The values templates/go-service/template.yaml records for a service `name`. */
const recorded = (name: string) =>
  recordedOrderService({
    name,
    serviceName: `${name}-service`,
    module: `github.com/acme/${name}-service`,
    protoPkg: name.replace(/-/g, ''),
  });

/** The checkout of services/<name>-service and its proto, recording `templateVersion` when given. */
function checkout(
  name: string,
  extra: Record<string, string> = {},
  templateVersion?: unknown,
) {
  const svc = `services/${name}-service`;
  const pkg = name.replace(/-/g, '');
  return {
    [`${svc}/.golden-path/values.json`]: JSON.stringify({
      template: 'go-service',
      version: 1,
      ...(templateVersion ? { templateVersion } : {}),
      values: recorded(name),
    }),
    [`${svc}/db/migrations/0001_init.sql`]:
      'CREATE TABLE orders (id uuid PRIMARY KEY);\n',
    [`${svc}/db/schema/schema.sql`]:
      'CREATE TABLE orders (id uuid PRIMARY KEY);\n',
    [`${svc}/db/queries/order.sql`]:
      '-- name: GetOrder :one\nSELECT * FROM orders WHERE id = $1;\n',
    [`api/proto/${pkg}/v1/${pkg}_service.proto`]:
      'syntax = "proto3";\nservice OrderService {}\nmessage Order {}\n',
    ...extra,
  };
}

function plan(
  aggregate: Record<string, unknown>,
  extra: Record<string, string> = {},
  name = 'order',
) {
  return runPlanAction(action, checkout(name, extra), {
    service: `component:default/${name}-service`,
    aggregate,
  });
}

const fields = [{ name: 'title', type: 'string' }];

describe('golden-path:aggregate:plan, the Update RPC and the API entity', () => {
  it("names the added aggregate's API entity after the service's, never like another service's API", () => {
    expect(aggregateApiName('order', 'warehouse_bin')).toBe(
      'order-grpc-api-warehouse-bin',
    );
    // A service named order-supplier has the API order-supplier-grpc-api.
    expect(aggregateApiName('order', 'supplier')).not.toMatch(/-grpc-api$/);
  });

  it('plans an aggregate whose API entity name fits the catalog', async () => {
    const out = await plan({ name: 'Supplier', fields });
    expect(out.aggregate).toMatchObject({
      name: 'Supplier',
      snake: 'supplier',
    });
  });

  it.each([
    [
      'a proto message of its Update RPC',
      {
        'api/proto/order/v1/legacy.proto': 'message UpdateSupplierRequest {}\n',
      },
      'aggregate name Supplier: api/proto/order/v1/legacy.proto already declares UpdateSupplierRequest; pick another name',
    ],
    [
      'the input port of its Update use case',
      {
        'services/order-service/internal/application/port/input/legacy.go':
          'package input\n\ntype UpdateSupplierUseCase interface{}\n',
      },
      'aggregate name Supplier: services/order-service/internal/application/port/input/legacy.go already declares UpdateSupplierUseCase; pick another name',
    ],
    [
      "the handler's field mapping",
      {
        'services/order-service/internal/adapter/inbound/grpc/legacy.go':
          'package grpc\n\nfunc supplierFieldsFromPB() {}\n',
      },
      'aggregate name Supplier: services/order-service/internal/adapter/inbound/grpc/legacy.go already declares supplierFieldsFromPB; pick another name',
    ],
    [
      'its Update query',
      {
        'services/order-service/db/queries/legacy.sql':
          '-- name: UpdateSupplier :exec\nUPDATE orders SET id = id;\n',
      },
      'aggregate name Supplier: services/order-service/db/queries/legacy.sql already has a query named UpdateSupplier; pick another name',
    ],
  ])(
    'refuses Supplier when the checkout declares %s already, in one line',
    async (_label, extra, message) => {
      const err = await plan({ name: 'Supplier', fields }, extra).catch(e => e);
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toBe(message);
    },
  );

  it("refuses an aggregate whose API entity would be longer than the catalog's 63 characters", async () => {
    const name = 'fulfilment-center-operations-planning';
    const err = await plan(
      { name: 'InboundShipmentReceipt', fields },
      {},
      name,
    ).catch(e => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe(
      "aggregate name InboundShipmentReceipt: its API entity fulfilment-center-operations-planning-grpc-api-inbound-shipment-receipt would be 71 characters, more than the catalog's 63; pick a shorter name",
    );
  });
});

describe('golden-path:aggregate:plan of a service made before the Go service template could add aggregates', () => {
  /**
   * templates/ with add-aggregate.yaml and go-service at a revision without
   * skeleton-aggregate (stored, as every revision a service was made with),
   * and `run` of the plan as add-aggregate runs it, on order-service that
   * recorded `record(that revision)`.
   */
  function setup(
    record: (v: ReturnType<typeof currentTemplateVersion>) => unknown,
  ) {
    const s = makeSandbox();
    const templates = path.join(s.root, 'templates');
    const dir = path.join(templates, 'go-service');
    writeFiles(dir, {
      'template.yaml':
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: go-service\n  annotations:\n    golden-path.dev/template-version: '1.0.0'\n",
      'skeleton/services/${{ values.name }}-service/main.go': 'package main\n',
    });
    const old = currentTemplateVersion(dir);
    storeSnapshot(dir, old.revision);
    const run = (templateVersion: unknown) => {
      writeFiles(
        path.join(s.workspace, 'before'),
        checkout('order', {}, templateVersion),
      );
      const { ctx, outputs } = actionContext(s.workspace, {
        service: 'component:default/order-service',
        aggregate: { name: 'Supplier', fields },
        workingDirectory: 'before',
      });
      (ctx as any).templateInfo = {
        entityRef: 'template:default/add-aggregate',
        baseUrl: pathToFileURL(path.join(templates, 'add-aggregate.yaml')).href,
      };
      return action.handler(ctx).then(() => outputs);
    };
    return { s, dir, old, run: () => run(record(old)), runWith: run };
  }

  it('refuses it in one line, naming the recorded revision and the upgrade to run first', async () => {
    const { s, run } = setup(v => v);
    try {
      const err = await run().catch(e => e);
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toMatch(
        /^services\/order-service records go-service 1\.0\.0 \(sha256-[0-9a-f]{12}\), a revision of the Go service template that could not add aggregates yet \(its skeletons have no skeleton-aggregate\): upgrade the service first with "Upgrade a Go service to the current golden path", then add the aggregate$/,
      );
    } finally {
      s.cleanup();
    }
  });

  it('plans it once the service records a revision with skeleton-aggregate, or one the store does not hold', async () => {
    const { s, dir, runWith } = setup(v => v);
    try {
      writeFiles(dir, {
        'skeleton-aggregate/services/${{ values.name }}-service/agg.go':
          'package agg\n',
      });
      const current = currentTemplateVersion(dir);
      storeSnapshot(dir, current.revision);
      expect((await runWith(current)).aggregate).toMatchObject({
        name: 'Supplier',
      });
      // Not in the store (lost, or another template's): not judged here; the
      // upgrade names what is missing.
      const unknown = { ...current, revision: `sha256-${'a'.repeat(64)}` };
      expect((await runWith(unknown)).aggregate).toMatchObject({
        name: 'Supplier',
      });
    } finally {
      s.cleanup();
    }
  });
});
