import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  insightsPath,
  type GoServiceInsights,
} from '@golden-path/plugin-golden-path-common';
import type {
  GoldenPathEntityRef,
  GoldenPathInsightsApi,
  GoldenPathInsightsRefresh,
} from './GoldenPathInsightsApi';

/**
 * The {@link GoldenPathInsightsApi} over HTTP: `GET
 * /api/golden-path/entities/:kind/:namespace/:name/insights`, with the
 * user's credentials (fetchApi).
 *
 * @public
 */
export class GoldenPathInsightsClient implements GoldenPathInsightsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc GoldenPathInsightsApi.getInsights} */
  async getInsights(entity: GoldenPathEntityRef): Promise<GoServiceInsights> {
    const response = await this.fetchInsights(entity, '');
    return (await response.json()) as GoServiceInsights;
  }

  /** {@inheritDoc GoldenPathInsightsApi.refreshInsights} */
  async refreshInsights(
    entity: GoldenPathEntityRef,
  ): Promise<GoldenPathInsightsRefresh> {
    const response = await this.fetchInsights(entity, '?refresh=true');
    const insights = (await response.json()) as GoServiceInsights;
    // a backend without refreshMinInterval sends no header: it refreshed
    if (response.headers.get('Golden-Path-Refresh') !== 'deferred') {
      return { insights, refresh: 'done' };
    }
    const retryAfterSeconds = delaySeconds(response.headers.get('Retry-After'));
    return retryAfterSeconds === undefined
      ? { insights, refresh: 'deferred' }
      : { insights, refresh: 'deferred', retryAfterSeconds };
  }

  private async fetchInsights(entity: GoldenPathEntityRef, query: string) {
    const baseUrl = await this.discoveryApi.getBaseUrl('golden-path');
    const response = await this.fetchApi.fetch(
      `${baseUrl}${insightsPath(entity)}${query}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

/** A `Retry-After` in delay-seconds (what the backend sends), else undefined. */
function delaySeconds(header: string | null): number | undefined {
  if (!header || !/^\d{1,9}$/.test(header.trim())) return undefined;
  return Number(header.trim());
}
