import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { TeamOnboarding } from '@golden-path/plugin-golden-path-common';
import type { GoldenPathOnboardingApi } from './GoldenPathOnboardingApi';

/**
 * The {@link GoldenPathOnboardingApi} over HTTP: `GET
 * /api/golden-path/onboarding/:namespace/:name` with the user's credentials.
 *
 * @public
 */
export class GoldenPathOnboardingClient implements GoldenPathOnboardingApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getOnboarding(
    teamRef: string,
    options?: { refresh?: boolean },
  ): Promise<TeamOnboarding> {
    const { namespace, name } = parseEntityRef(teamRef, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    const baseUrl = await this.discoveryApi.getBaseUrl('golden-path');
    const query = options?.refresh ? '?refresh=true' : '';
    const response = await this.fetchApi.fetch(
      `${baseUrl}/onboarding/${encodeURIComponent(
        namespace,
      )}/${encodeURIComponent(name)}${query}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as TeamOnboarding;
  }
}
