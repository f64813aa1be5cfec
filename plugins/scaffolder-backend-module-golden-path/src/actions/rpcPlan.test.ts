import path from 'node:path';
import {
  actionContext,
  makeSandbox,
  writeFiles,
} from '../__testUtils__/context';
import { runPlanAction } from '../__testUtils__/planAction';
import { recordedOrderService } from '../__testUtils__/recordedService';
import { createRpcPlanAction } from './rpcPlan';

const action = createRpcPlanAction();

/** The values templates/go-service/template.yaml records for an order service. */
const recorded = recordedOrderService({
  fields: [
    { name: 'customer_id', type: 'uuid' },
    { name: 'priority', type: 'enum', values: ['low', 'high'] },
  ],
});

const PROTO =
  'syntax = "proto3";\nservice OrderService {\n  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);\n}\n';

async function plan(
  rpc: Record<string, unknown>,
  values: Record<string, unknown> = recorded,
) {
  return runPlanAction(
    action,
    {
      'services/order-service/.golden-path/values.json': JSON.stringify({
        template: 'go-service',
        version: 1,
        values,
      }),
      'api/proto/order/v1/order_service.proto': PROTO,
    },
    { service: 'component:default/order-service', rpc },
  );
}

describe('golden-path:rpc:plan', () => {
  it('plans the first RPC, a query: the registry comes with it', async () => {
    const out = await plan({
      name: 'FindOrdersByCustomer',
      kind: 'query',
      fields: ['customer_id'],
    });
    const rpc = {
      name: 'FindOrdersByCustomer',
      kind: 'query',
      fields: [{ name: 'customer_id', type: 'uuid' }],
      snake: 'find_orders_by_customer',
      camel: 'findOrdersByCustomer',
      pkg: 'findordersbycustomeruc',
    };
    expect(out).toMatchObject({
      serviceName: 'order-service',
      serviceDir: 'services/order-service',
      protoDir: 'api/proto/order',
      generatedDir: 'pkg/proto/order',
      rpc,
      hadRpcs: false,
      baseRpcs: [],
      baseQueries: [],
    });
    expect(out.base).toEqual(recorded);
    expect(out.next).toEqual({ ...recorded, rpcs: [rpc] });
    expect(out.nextRpcs).toEqual([{ ...recorded, rpcs: [rpc], rpc }]);
    expect(out.nextQueries).toEqual(out.nextRpcs);
    expect(out.files).toContain(
      'services/order-service/internal/infrastructure/fx/rpcs.go',
    );
    expect(out.files).toContain(
      'services/order-service/db/queries/find_orders_by_customer.sql',
    );
  });

  it('plans a command after a query: both rendered, only the query has a repository method', async () => {
    const query = {
      name: 'FindOrdersByCustomer',
      kind: 'query',
      fields: [{ name: 'customer_id', type: 'uuid' }],
      snake: 'find_orders_by_customer',
      camel: 'findOrdersByCustomer',
      pkg: 'findordersbycustomeruc',
    };
    const values = { ...recorded, rpcs: [query] };
    const out = await plan(
      { name: 'ChangePriority', kind: 'command', fields: ['priority'] },
      values,
    );
    expect(out.hadRpcs).toBe(true);
    expect(out.baseRpcs).toEqual([{ ...values, rpc: query }]);
    expect(
      (out.nextRpcs as { rpc: { name: string } }[]).map(r => r.rpc.name),
    ).toEqual(['FindOrdersByCustomer', 'ChangePriority']);
    expect(
      (out.nextQueries as { rpc: { name: string } }[]).map(r => r.rpc.name),
    ).toEqual(['FindOrdersByCustomer']);
    expect(out.files).not.toContain(
      'services/order-service/internal/infrastructure/fx/rpcs.go',
    );
  });
});

describe('bad input: golden-path:rpc:plan', () => {
  it('refuses an RPC the service recorded before, though its proto no longer lists it', async () => {
    const values = {
      ...recorded,
      rpcs: [{ name: 'ChangePriority', kind: 'command', fields: [] }],
    };
    await expect(
      plan(
        { name: 'ChangePriority', kind: 'command', fields: ['priority'] },
        values,
      ),
    ).rejects.toThrow(
      'order-service already has an RPC named ChangePriority (order_service.proto); pick another name',
    );
  });

  it("refuses a name whose messages another proto of the package declares (an added aggregate's)", async () => {
    await expect(
      runPlanAction(
        action,
        {
          'services/order-service/.golden-path/values.json': JSON.stringify({
            template: 'go-service',
            version: 1,
            values: recorded,
          }),
          'api/proto/order/v1/order_service.proto': PROTO,
          'api/proto/order/v1/supplier_service.proto':
            'syntax = "proto3";\nservice SupplierService {\n  rpc GetSupplier(GetSupplierRequest) returns (GetSupplierResponse);\n}\nmessage GetSupplierRequest {}\n',
        },
        {
          service: 'component:default/order-service',
          rpc: { name: 'GetSupplier', kind: 'query', fields: ['customer_id'] },
        },
      ),
    ).rejects.toThrow(
      'rpc name GetSupplier: supplier_service.proto already declares GetSupplierRequest; pick another name',
    );
  });

  it('refuses a service without recorded values', async () => {
    const s = makeSandbox();
    writeFiles(path.join(s.workspace, 'before'), {
      'services/order-service/cmd/main.go': 'package main\n',
    });
    try {
      const { ctx } = actionContext(s.workspace, {
        service: 'order',
        rpc: { name: 'GetThings', kind: 'query', fields: ['customer_id'] },
        workingDirectory: 'before',
      });
      await expect(action.handler(ctx)).rejects.toThrow(
        /services\/order-service has no \.golden-path\/values\.json: it was not created by the Go service template, or by a version that did not record its values\. Add the RPC by hand/,
      );
    } finally {
      s.cleanup();
    }
  });
});
