import type { ReactElement } from 'react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { goServiceEntity } from '../__fixtures__/insights';
import { goldenPathInsightsApiRef, type GoldenPathInsightsApi } from '../api';

type TestAppOptions = NonNullable<Parameters<typeof renderInTestApp>[1]>;

/**
 * Renders `ui` inside an entity page for `entity`, with the insights API
 * answering through `getInsights`.
 */
export function renderWithInsights(
  ui: ReactElement,
  getInsights: GoldenPathInsightsApi['getInsights'],
  entity: Entity = goServiceEntity,
  mountedRoutes?: TestAppOptions['mountedRoutes'],
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{ui}</EntityProvider>,
    {
      apis: [[goldenPathInsightsApiRef, { getInsights }]],
      ...(mountedRoutes ? { mountedRoutes } : {}),
    },
  );
}
