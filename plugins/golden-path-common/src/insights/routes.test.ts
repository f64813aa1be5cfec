import { insightsPath, isGoServiceEntity } from './routes';

describe('insightsPath', () => {
  it('builds the API path of an entity and its parts', () => {
    expect(insightsPath({ kind: 'Component', name: 'order-service' })).toBe(
      '/entities/component/default/order-service/insights',
    );
    expect(
      insightsPath(
        { kind: 'Component', namespace: 'Shop', name: 'a b' },
        'migrations',
      ),
    ).toBe('/entities/component/shop/a%20b/insights/migrations');
  });
});

describe('isGoServiceEntity', () => {
  it('looks for the go-service annotation', () => {
    expect(
      isGoServiceEntity({
        metadata: {
          annotations: { 'golden-path.dev/go-service': 'services/x' },
        },
      }),
    ).toBe(true);
    expect(isGoServiceEntity({ metadata: {} })).toBe(false);
  });
});
