import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  insightsPath,
  type GoServiceInsights,
} from '@golden-path/plugin-golden-path-common';
import type {
  GoldenPathEntityRef,
  GoldenPathInsightsApi,
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

  async getInsights(
    entity: GoldenPathEntityRef,
    options?: { refresh?: boolean },
  ): Promise<GoServiceInsights> {
    const baseUrl = await this.discoveryApi.getBaseUrl('golden-path');
    const query = options?.refresh ? '?refresh=true' : '';
    const response = await this.fetchApi.fetch(
      `${baseUrl}${insightsPath(entity)}${query}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as GoServiceInsights;
  }
}
