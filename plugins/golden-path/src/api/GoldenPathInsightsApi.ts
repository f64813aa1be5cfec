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
 * The answer to a forced refresh: the insights, and whether the backend
 * analysed the service again (`done`) or, asked sooner than its
 * `refreshMinInterval` after the last analysis, answered the cached one
 * (`deferred`, with the seconds until a refresh is done again when it said).
 *
 * @public
 */
export interface GoldenPathInsightsRefresh {
  /** The insights answered: new when `done`, the cached ones when `deferred`. */
  insights: GoServiceInsights;
  /** The backend's `Golden-Path-Refresh` header (`done` when it sent none). */
  refresh: 'done' | 'deferred';
  /** The backend's `Retry-After` when deferred: seconds until a refresh is done. */
  retryAfterSeconds?: number;
}

/**
 * Reads the insights (layers, proto APIs, migrations) of a Go service from
 * the golden-path backend.
 *
 * @public
 */
export interface GoldenPathInsightsApi {
  /**
   * The insights of one entity, from the backend's cache when it has them.
   * Rejects with a `ResponseError` carrying the backend's message.
   */
  getInsights(entity: GoldenPathEntityRef): Promise<GoServiceInsights>;
  /**
   * The insights of one entity analysed again, skipping the backend's cache
   * unless the backend defers the refresh. Rejects as `getInsights` does.
   */
  refreshInsights(
    entity: GoldenPathEntityRef,
  ): Promise<GoldenPathInsightsRefresh>;
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
