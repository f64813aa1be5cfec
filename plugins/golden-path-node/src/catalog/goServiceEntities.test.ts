import { Entity } from '@backstage/catalog-model';
import { checkServiceEntity, goServiceEntities } from './goServiceEntities';

const spec = {
  componentName: 'order-service',
  componentDescription: 'Orders',
  annotations: { 'golden-path.dev/go-service': 'services/order-service' },
  tags: ['go', 'grpc'],
  lifecycle: 'experimental',
  owner: 'group:default/team-a',
  system: 'system:default/shop',
  apiName: 'order-grpc-api',
  apiRef: 'api:order-grpc-api',
  apiDescription: 'gRPC API of order-service',
  definition: { $text: '../../api/proto/order/v1/order_service.proto' },
  dbName: 'order-db',
  dbDescription: 'PostgreSQL database of order-service',
};

describe('goServiceEntities', () => {
  it('writes the Component, its gRPC API and its database, which the catalog accepts', async () => {
    const entities = goServiceEntities(spec);
    expect(entities.map(e => `${e.kind}:${e.metadata.name}`)).toEqual([
      'Component:order-service',
      'API:order-grpc-api',
      'Resource:order-db',
    ]);
    expect(entities[0].spec).toEqual({
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/team-a',
      system: 'system:default/shop',
      providesApis: ['api:order-grpc-api'],
      dependsOn: ['resource:order-db'],
    });
    expect(entities[1].spec?.definition).toEqual(spec.definition);
    for (const e of entities)
      await expect(checkServiceEntity(e)).resolves.toBeUndefined();
  });
});

describe('bad input: checkServiceEntity', () => {
  const [component, api] = goServiceEntities(spec);

  it('names a name the catalog refuses', async () => {
    await expect(
      checkServiceEntity({
        ...component,
        metadata: { ...component.metadata, name: 'Order Service!' },
      }),
    ).rejects.toThrow(/"metadata\.name" is not valid.*found "Order Service!"/);
  });

  it('names an apiVersion no kind validator knows', async () => {
    await expect(
      checkServiceEntity({ ...api, apiVersion: 'backstage.io/v9' } as Entity),
    ).rejects.toThrow(
      'apiVersion "backstage.io/v9" is not backstage.io/v1alpha1 or backstage.io/v1beta1',
    );
  });

  it('refuses an API definition that is neither text nor a placeholder object', async () => {
    await expect(
      checkServiceEntity({ ...api, spec: { ...api.spec, definition: 42 } }),
    ).rejects.toThrow('/spec/definition must be string');
  });
});
