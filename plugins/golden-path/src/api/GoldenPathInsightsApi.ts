import { createApiRef } from '@backstage/frontend-plugin-api';
import type { GoServiceInsights } from '@golden-path/plugin-golden-path-common';

/**
 * The entity whose insights are read.
 *
 * @public
 */
export interface GoldenPathEntityRef {
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * Reads the insights (layers, proto APIs, migrations) of a Go service from
 * the golden-path backend.
 *
 * @public
 */
export interface GoldenPathInsightsApi {
  /**
   * The insights of one entity. `refresh` skips the backend's cache.
   * Rejects with a `ResponseError` carrying the backend's message.
   */
  getInsights(
    entity: GoldenPathEntityRef,
    options?: { refresh?: boolean },
  ): Promise<GoServiceInsights>;
}

/**
 * Reference of the {@link GoldenPathInsightsApi}.
 *
 * @public
 */
export const goldenPathInsightsApiRef =
  createApiRef<GoldenPathInsightsApi>().with({
    id: 'plugin.golden-path.insights',
    pluginId: 'golden-path',
  });
