import { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';

/** A Go service Component as the catalog serves it, with its dependsOn relations. */
export function goServiceEntity(
  name: string,
  system: string | undefined,
  dependsOn: string[] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'golden-path.dev/go-service': `services/${name}` },
    },
    spec: { type: 'service', ...(system ? { system } : {}) },
    relations: [
      { type: 'dependsOn', targetRef: `resource:default/${name}-db` },
      ...dependsOn.map(d => ({
        type: 'dependsOn',
        targetRef: `component:default/${d}`,
      })),
    ],
  };
}

/**
 * The shop monorepo: order calls catalog, shipping calls order; ledger is in
 * the bank monorepo; billing-service has no "-service" twin problem.
 */
export const shopEntities: Entity[] = [
  goServiceEntity('catalog-service', 'shop'),
  goServiceEntity('order-service', 'system:default/shop', ['catalog-service']),
  goServiceEntity('shipping-service', 'shop', ['order-service']),
  goServiceEntity('ledger-service', 'bank'),
];

/** A catalog API answering getEntities with `entities` (or failing with `error`). */
export function fakeCatalogApi(entities: Entity[], error?: Error) {
  return {
    getEntities: jest.fn(async () => {
      if (error) throw error;
      return { items: entities };
    }),
  };
}

/** An ApiHolder holding the fake catalog API. */
export function apiHolderWith(catalogApi: unknown) {
  return {
    get: (ref: { id: string }) =>
      ref.id === catalogApiRef.id ? (catalogApi as any) : undefined,
  };
}
