import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { actionContext, makeSandbox } from '../__testUtils__/context';
import { createCatalogWriteAction } from './catalogWrite';

const proto = 'api/proto/order/v1/order_service.proto';
const input = {
  name: 'order-service',
  owner: 'group:default/team-orders',
  system: 'system:default/shop',
  serviceDir: 'services/order-service',
  protoPath: '../../api/proto/order/v1/order_service.proto',
};

describe('golden-path:catalog:write', () => {
  const action = createCatalogWriteAction();

  it('writes a Component, its gRPC API and its database Resource', async () => {
    const box = makeSandbox({ [proto]: 'syntax = "proto3";' });
    const { ctx, outputs } = actionContext(box.workspace, input);
    await action.handler(ctx);
    const written = fs.readFileSync(
      path.join(box.workspace, 'services/order-service/catalog-info.yaml'),
      'utf8',
    );
    const [component, api, resource] = parseAllDocuments(written).map(d =>
      d.toJS(),
    );
    expect(component).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'order-service',
        annotations: { 'golden-path.dev/go-service': 'services/order-service' },
      },
      spec: {
        type: 'service',
        owner: 'group:default/team-orders',
        system: 'system:default/shop',
        providesApis: ['api:order-service-grpc'],
        dependsOn: ['resource:order-service-db'],
      },
    });
    expect(api).toMatchObject({
      kind: 'API',
      spec: { type: 'grpc', definition: { $text: input.protoPath } },
    });
    expect(resource).toMatchObject({
      kind: 'Resource',
      metadata: { name: 'order-service-db' },
      spec: { type: 'database' },
    });
    expect(outputs).toEqual({
      entityRef: 'component:default/order-service',
      apiRef: 'api:default/order-service-grpc',
      resourceRef: 'resource:default/order-service-db',
      catalogInfoPath: 'services/order-service/catalog-info.yaml',
    });
    box.cleanup();
  });

  it.each([
    [
      { name: 'Order_Service' },
      /name "Order_Service" must be lowercase letters, digits and hyphens/,
    ],
    [
      { owner: 'group:default/Bad Team' },
      /owner "group:default\/Bad Team" is not a valid entity ref/,
    ],
    [
      { lifecycle: '' },
      /Component "order-service" is not a valid catalog entity/,
    ],
    [{ serviceDir: '../outside' }, /serviceDir/],
    [{ targetPath: '/etc/catalog-info.yaml' }, /targetPath/],
    [
      { protoPath: 'missing.proto' },
      /protoPath "missing.proto" does not exist/,
    ],
    [{ protoPath: '../../../../outside/sentinel.txt' }, /protoPath/],
  ])('refuses %o', async (patch, message) => {
    const box = makeSandbox({ [proto]: 'syntax = "proto3";' });
    const { ctx } = actionContext(box.workspace, { ...input, ...patch });
    await expect(action.handler(ctx)).rejects.toThrow(message);
    expect(
      fs.existsSync(
        path.join(box.workspace, 'services/order-service/catalog-info.yaml'),
      ),
    ).toBe(false);
    expect(box.outsideListing()).toEqual(['sentinel.txt']);
    box.cleanup();
  });
});
