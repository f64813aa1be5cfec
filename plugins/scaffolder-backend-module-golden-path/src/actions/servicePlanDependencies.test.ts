import fs from 'node:fs';
import path from 'node:path';
import {
  actionContext,
  makeSandbox,
  testSettings,
} from '../__testUtils__/context';
import { commitAll } from '../__testUtils__/git';
import { createServicePlanAction } from './servicePlan';

// dependsOn: the plan reads the services called from the local monorepo
// (their recorded values, proto and generated code) before anything is written.
const values = {
  name: 'checkout',
  aggregate: 'Cart',
  stage: 'mvp',
  pkgModule: 'github.com/acme/go-pkg',
  fields: [{ name: 'customer_id', type: 'uuid' }],
  localPath: 'shop',
};

function addService(
  root: string,
  name: string,
  aggregate: string,
  grpcPort: number,
  dependsOn: string[] = [],
) {
  const protoPkg = name.replace(/-/g, '');
  const dir = path.join(root, 'shop/services', `${name}-service/.golden-path`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'values.json'),
    JSON.stringify({
      template: 'go-service',
      values: {
        name,
        protoPkg,
        aggregate,
        aggPlural: `${aggregate}s`,
        grpcPort,
        dependencies: dependsOn.map(d => ({ name: d })),
      },
    }),
  );
  const proto = path.join(root, 'shop/api/proto', protoPkg, 'v1');
  fs.mkdirSync(proto, { recursive: true });
  fs.writeFileSync(
    path.join(proto, `${protoPkg}_service.proto`),
    `syntax = "proto3";\npackage ${protoPkg}.v1;\nservice ${aggregate}Service {\n  rpc Get${aggregate}(Get${aggregate}Request) returns (Get${aggregate}Response);\n}\n`,
  );
  fs.mkdirSync(path.join(root, 'shop/pkg/proto', protoPkg, 'v1'), {
    recursive: true,
  });
}

function setup() {
  const box = makeSandbox();
  const root = path.join(box.root, 'repos');
  fs.mkdirSync(path.join(root, 'shop/pkg/circuitbreaker'), { recursive: true });
  fs.mkdirSync(path.join(root, 'shop/pkg/middleware/grpc/interceptor'), {
    recursive: true,
  });
  fs.writeFileSync(path.join(root, 'shop/go.work'), 'go 1.26.0\n');
  fs.writeFileSync(
    path.join(root, 'shop/pkg/circuitbreaker/circuitbreaker.go'),
    'package circuitbreaker\n',
  );
  fs.writeFileSync(
    path.join(root, 'shop/pkg/middleware/grpc/interceptor/client.go'),
    'package interceptor\n',
  );
  addService(root, 'order-history', 'OrderLine', 50071);
  addService(root, 'payment', 'Payment', 50072, ['order-history']);
  // A cycle through recorded values: billing -> invoice -> checkout.
  addService(root, 'invoice', 'Invoice', 50073, ['checkout']);
  addService(root, 'billing', 'Bill', 50074, ['invoice']);
  // Directories under services/ that are not Go services of the template.
  fs.mkdirSync(path.join(root, 'shop/services/legacy-service'), {
    recursive: true,
  });
  commitAll(path.join(root, 'shop'));
  return {
    box,
    root,
    action: createServicePlanAction({
      settings: testSettings({ localRoots: [root] }),
    }),
  };
}

describe('golden-path:service:plan dependsOn', () => {
  it('resolves the services called from the monorepo', async () => {
    const { box, action } = setup();
    const { ctx, outputs } = actionContext(box.workspace, {
      ...values,
      dependsOn: ['order-history', 'payment'],
    });
    await action.handler(ctx);
    expect(outputs.dependencies).toEqual([
      {
        name: 'order-history',
        serviceName: 'order-history-service',
        protoPkg: 'orderhistory',
        aggregate: 'OrderLine',
        aggPlural: 'OrderLines',
        aggSnake: 'order_line',
        grpcPort: 50071,
        pascal: 'OrderHistory',
        camel: 'orderHistory',
        snake: 'order_history',
        env: 'ORDER_HISTORY',
      },
      expect.objectContaining({ name: 'payment', aggregate: 'Payment' }),
    ]);
    box.cleanup();
  });
});

describe('bad input: a dry run of the plan with dependsOn', () => {
  // The dry-run API runs a template its caller uploads: it must not read
  // the services, aggregates and ports of any monorepo under the root.
  it('reads no monorepo: names neither its services nor their APIs', async () => {
    const { box, action } = setup();
    for (const dependsOn of [['payment'], ['shipping']]) {
      const { ctx, outputs } = actionContext(box.workspace, {
        ...values,
        dependsOn,
      });
      Object.assign(ctx, { isDryRun: true });
      await action.handler(ctx);
      expect(outputs.dependencies).toEqual([]);
      const logged = JSON.stringify((ctx.logger.info as jest.Mock).mock.calls);
      expect(logged).toContain(
        `dry run: the services called (${dependsOn[0]}) are read from shop when the template runs`,
      );
      expect(logged).not.toMatch(/Payment|50072|billing|order-history/);
    }
    box.cleanup();
  });
});

describe('bad input: dependsOn refused by the plan before anything is written', () => {
  it.each([
    [
      'a service that does not exist',
      { dependsOn: ['shipping'] },
      'dependsOn[0] "shipping": shop has no services/shipping-service; its services are billing, invoice, legacy, order-history, payment',
    ],
    [
      'a directory that is not a Go service of the template',
      { dependsOn: ['legacy'] },
      'dependsOn[0] "legacy": services/legacy-service is not a Go service made by the Go service template (no .golden-path/values.json), so its API cannot be read',
    ],
    [
      'a part of the monorepo that is not a service',
      { dependsOn: ['gateway'] },
      'dependsOn[0] "gateway" is not a service: gateway is a part of the monorepo every service shares',
    ],
    [
      'the service itself',
      { dependsOn: ['checkout'] },
      'dependsOn[0] "checkout" is the service itself: a service cannot depend on itself (a cycle)',
    ],
    [
      'a cycle through the services called',
      { dependsOn: ['order-history', 'billing'] },
      'dependsOn[1] "billing": billing -> invoice -> checkout exists already, so checkout -> billing would make a cycle',
    ],
    [
      'the -service suffix',
      { dependsOn: ['payment-service'] },
      'dependsOn[0] "payment-service": give the name without "-service" (payment)',
    ],
    [
      'a name with capitals',
      { dependsOn: ['Payment'] },
      'dependsOn[0] "Payment" is not a service name: lowercase kebab-case without "-service", for example order or order-history',
    ],
    [
      'a path',
      { dependsOn: ['../payment'] },
      'dependsOn[0] "../payment" is not a service name: lowercase kebab-case without "-service", for example order or order-history',
    ],
    [
      'a duplicate',
      { dependsOn: ['payment', 'payment'] },
      'dependsOn[1] "payment" is also dependsOn[0]: list it once',
    ],
    [
      'a GitHub monorepo',
      { dependsOn: ['payment'], localPath: undefined },
      'dependsOn: the services called are read from the monorepo on disk, so they need publishTo local (localPath); for a GitHub monorepo create the service without them and add them on a local checkout',
    ],
  ])('%s', async (_label, patch, message) => {
    const { box, root, action } = setup();
    const { ctx } = actionContext(box.workspace, { ...values, ...patch });
    await expect(action.handler(ctx)).rejects.toThrow(message);
    const err = await action.handler(ctx).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain('\n');
    expect(
      fs.existsSync(path.join(root, 'shop/services/checkout-service')),
    ).toBe(false);
    box.cleanup();
  });

  it('a monorepo without the client support packages', async () => {
    const { box, root, action } = setup();
    fs.rmSync(path.join(root, 'shop/pkg/circuitbreaker'), { recursive: true });
    const { ctx } = actionContext(box.workspace, {
      ...values,
      dependsOn: ['payment'],
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      "dependsOn: shop has no pkg/circuitbreaker/circuitbreaker.go, which the generated clients use: copy them from the Go monorepo template's skeleton (pkg/) into the monorepo first",
    );
    box.cleanup();
  });

  it('a dependency whose proto lacks its service', async () => {
    const { box, root, action } = setup();
    fs.writeFileSync(
      path.join(root, 'shop/api/proto/payment/v1/payment_service.proto'),
      'syntax = "proto3";\n',
    );
    const { ctx } = actionContext(box.workspace, {
      ...values,
      dependsOn: ['payment'],
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'dependsOn[0] "payment": api/proto/payment/v1/payment_service.proto of shop has no service PaymentService with GetPayment',
    );
    box.cleanup();
  });

  it('a service directory that is a symlink out of the monorepo', async () => {
    const { box, root, action } = setup();
    // vault-service's recorded values live outside the monorepo; its proto
    // and generated code are in it, so following the link would succeed.
    addService(root, 'vault', 'Vault', 50075);
    fs.renameSync(
      path.join(root, 'shop/services/vault-service'),
      path.join(box.outside, 'vault-service'),
    );
    fs.symlinkSync(
      path.join(box.outside, 'vault-service'),
      path.join(root, 'shop/services/vault-service'),
    );
    const { ctx } = actionContext(box.workspace, {
      ...values,
      dependsOn: ['vault'],
    });
    const err = (await action.handler(ctx).catch((e: Error) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe(
      'dependsOn[0] "vault": path "services/vault-service" is a symlink; symlinks are not followed here: replace it with a regular file or directory',
    );
    expect(
      fs.existsSync(path.join(root, 'shop/services/checkout-service')),
    ).toBe(false);
    box.cleanup();
  });

  it("a dependency's proto reached through a symlink", async () => {
    const { box, root, action } = setup();
    const proto = path.join(root, 'shop/api/proto/payment');
    fs.renameSync(proto, path.join(box.outside, 'payment'));
    fs.symlinkSync(path.join(box.outside, 'payment'), proto);
    const { ctx } = actionContext(box.workspace, {
      ...values,
      dependsOn: ['payment'],
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'dependsOn[0] "payment": proto "api/proto/payment/v1/payment_service.proto" goes through a symlink (api/proto/payment); symlinks are not followed here: replace it with a regular directory',
    );
    box.cleanup();
  });
});
