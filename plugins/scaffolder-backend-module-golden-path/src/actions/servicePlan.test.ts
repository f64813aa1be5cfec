import fs from 'node:fs';
import path from 'node:path';
import { actionContext, makeSandbox, testSettings } from '../__testUtils__/context';
import { createServicePlanAction } from './servicePlan';

const values = {
  name: 'order',
  aggregate: 'Order',
  stage: 'mvp',
  pkgModule: 'github.com/acme/go-pkg',
  fields: [{ name: 'customer_id', type: 'uuid' }],
};

function setup() {
  const box = makeSandbox();
  const root = path.join(box.root, 'repos');
  fs.mkdirSync(path.join(root, 'shop/services/payment-service'), { recursive: true });
  fs.writeFileSync(path.join(root, 'shop/go.work'), 'go 1.26.0\n');
  fs.mkdirSync(path.join(root, 'plain'));
  return { box, action: createServicePlanAction({ settings: testSettings({ localRoots: [root] }) }) };
}

describe('golden-path:service:plan', () => {
  it('accepts a new service in a local monorepo', async () => {
    const { box, action } = setup();
    const { ctx, outputs } = actionContext(box.workspace, { ...values, localPath: 'shop' });
    await action.handler(ctx);
    expect(outputs).toEqual({ serviceName: 'order-service', protoPackage: 'order.v1' });
    box.cleanup();
  });

  it.each([
    [{ name: 'payment', localPath: 'shop' }, 'services/payment-service already exists in shop: pick another service name'],
    [{ localPath: 'plain' }, 'localPath "plain" is not a monorepo made by the Go monorepo template'],
    [{ localPath: '../outside' }, 'localPath'],
    [{ name: 'func' }, 'name "func" is reserved'],
    [{ fields: [{ name: 'level', type: 'enum' }] }, 'an enum needs values'],
  ])('refuses %j', async (patch, message) => {
    const { box, action } = setup();
    await expect(action.handler(actionContext(box.workspace, { ...values, ...patch }).ctx)).rejects.toThrow(message);
    expect(fs.readdirSync(box.workspace)).toEqual([]);
    box.cleanup();
  });
});
