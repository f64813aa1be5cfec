import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { CallsView } from './CallsView';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

const entity = (relations: Entity['relations']): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'catalog-service' },
  spec: { type: 'service' },
  relations,
});

describe('CallsView', () => {
  it('lists the services and APIs the service calls', async () => {
    await renderInTestApp(
      <CallsView
        entity={entity([
          {
            type: 'dependsOn',
            targetRef: 'component:default/order-history-service',
          },
          { type: 'dependsOn', targetRef: 'resource:default/catalog-db' },
          {
            type: 'consumesApi',
            targetRef: 'api:default/order-history-grpc-api',
          },
          { type: 'providesApi', targetRef: 'api:default/catalog-grpc-api' },
        ])}
      />,
      { mountedRoutes },
    );
    const services = await screen.findByRole('list', {
      name: 'Services it depends on',
    });
    expect(within(services).getAllByRole('listitem')).toHaveLength(1);
    expect(within(services).getByText(/order-history-service/)).toBeTruthy();
    const apis = screen.getByRole('list', { name: 'APIs it consumes' });
    expect(within(apis).getAllByRole('listitem')).toHaveLength(1);
    expect(within(apis).getByText(/order-history-grpc-api/)).toBeTruthy();
    expect(screen.queryByText(/catalog-db/)).toBeNull();
  });

  it('shows nothing for a service that calls none', async () => {
    await renderInTestApp(
      <CallsView
        entity={entity([
          { type: 'dependsOn', targetRef: 'resource:default/catalog-db' },
        ])}
      />,
      { mountedRoutes },
    );
    expect(screen.queryByRole('heading', { name: 'Calls' })).toBeNull();
  });
});
