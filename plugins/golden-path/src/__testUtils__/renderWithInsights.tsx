import type { ReactElement } from 'react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { goServiceEntity } from '../__fixtures__/insights';
import { goldenPathInsightsApiRef, type GoldenPathInsightsApi } from '../api';

type TestAppOptions = NonNullable<Parameters<typeof renderInTestApp>[1]>;

/**
 * Renders `ui` inside an entity page for `entity`, with the insights API
 * answering through `api`: a whole API, or its `getInsights` alone (then
 * every refresh is done and answers what `getInsights` answers).
 */
export function renderWithInsights(
  ui: ReactElement,
  api: GoldenPathInsightsApi | GoldenPathInsightsApi['getInsights'],
  entity: Entity = goServiceEntity,
  mountedRoutes?: TestAppOptions['mountedRoutes'],
) {
  const insightsApi: GoldenPathInsightsApi =
    typeof api === 'function'
      ? {
          getInsights: api,
          refreshInsights: async ref => ({
            insights: await api(ref),
            refresh: 'done',
          }),
        }
      : api;
  return renderInTestApp(
    <EntityProvider entity={entity}>{ui}</EntityProvider>,
    {
      apis: [[goldenPathInsightsApiRef, insightsApi]],
      ...(mountedRoutes ? { mountedRoutes } : {}),
    },
  );
}
