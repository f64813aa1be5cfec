import { createApiRef } from '@backstage/frontend-plugin-api';
import type { TeamOnboarding } from '@golden-path/plugin-golden-path-common';

/**
 * Reads a team's golden-path steps from the golden-path backend.
 *
 * @public
 */
export interface GoldenPathOnboardingApi {
  /**
   * The steps of a team (a Group entity ref). Rejects with a `ResponseError`
   * carrying the backend's message.
   */
  getOnboarding(
    teamRef: string,
    options?: { refresh?: boolean },
  ): Promise<TeamOnboarding>;
}

/**
 * Reference of the {@link GoldenPathOnboardingApi}.
 *
 * @public
 */
export const goldenPathOnboardingApiRef =
  createApiRef<GoldenPathOnboardingApi>().with({
    id: 'plugin.golden-path.onboarding',
    pluginId: 'golden-path',
  });
