import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { FleetResponse } from '@golden-path/plugin-golden-path-common';
import type { GoldenPathFleetApi } from './GoldenPathFleetApi';

/**
 * The {@link GoldenPathFleetApi} over HTTP: `GET /api/golden-path/fleet`,
 * with the user's credentials (fetchApi).
 *
 * @public
 */
export class GoldenPathFleetClient implements GoldenPathFleetApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** `GET /fleet`, with `team` and `system` as query parameters when given. */
  async getFleet(
    filter: { team?: string; system?: string } = {},
  ): Promise<FleetResponse> {
    const baseUrl = await this.discoveryApi.getBaseUrl('golden-path');
    const query = new URLSearchParams();
    if (filter.team) query.set('team', filter.team);
    if (filter.system) query.set('system', filter.system);
    const qs = query.toString();
    const response = await this.fetchApi.fetch(
      `${baseUrl}/fleet${qs ? `?${qs}` : ''}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as FleetResponse;
  }
}
