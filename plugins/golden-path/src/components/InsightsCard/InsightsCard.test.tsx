import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  goServiceEntity,
  insightsFixture,
  plainEntity,
} from '../../__fixtures__/insights';
import {
  goldenPathInsightsApiRef,
  type GoldenPathInsightsApi,
} from '../../api';
import { InsightsCard } from './InsightsCard';

function renderCard(
  getInsights: GoldenPathInsightsApi['getInsights'],
  entity: Entity = goServiceEntity,
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <InsightsCard />
    </EntityProvider>,
    {
      apis: [[goldenPathInsightsApiRef, { getInsights }]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('InsightsCard', () => {
  it('summarises layers, APIs and migrations and links to the tab', async () => {
    await renderCard(jest.fn(async () => insightsFixture));
    const layers = await screen.findByLabelText('Layers');
    expect(within(layers).getByText('domain 2')).toBeInTheDocument();
    expect(
      within(layers).getByText('1 dependency-rule violation'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('APIs')).getByText(
        '1 service, 2 RPCs; 1 convention problem',
      ),
    ).toBeInTheDocument();
    const migrations = screen.getByLabelText('Migrations');
    expect(
      within(migrations).getByText('atlas.sum mismatch'),
    ).toBeInTheDocument();
    expect(
      within(migrations).getByText('staging: pending'),
    ).toBeInTheDocument();
    expect(within(migrations).getByText('qa: unreachable')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Open the Architecture tab' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/order-service/architecture',
    );
  });

  it('asks for the annotation on other Components', async () => {
    const getInsights = jest.fn();
    await renderCard(getInsights, plainEntity);
    expect(
      screen.getByText(
        /Add golden-path\.dev\/go-service to catalog-info\.yaml/,
      ),
    ).toBeInTheDocument();
    expect(getInsights).not.toHaveBeenCalled();
  });
});
