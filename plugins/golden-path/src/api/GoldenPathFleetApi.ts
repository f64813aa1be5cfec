import { createApiRef } from '@backstage/frontend-plugin-api';
import type { FleetResponse } from '@golden-path/plugin-golden-path-common';

/**
 * Reads the fleet view (every golden-path Go service the user may see, one
 * summary row each) from the golden-path backend.
 *
 * @public
 */
export interface GoldenPathFleetApi {
  /**
   * The fleet, optionally of one team (a Group ref) and one system (a System
   * ref). Rows of services not analysed yet are `pending`: ask again. Rejects
   * with a `ResponseError` carrying the backend's message.
   */
  getFleet(filter?: { team?: string; system?: string }): Promise<FleetResponse>;
}

/**
 * Reference of the {@link GoldenPathFleetApi}.
 *
 * @public
 */
export const goldenPathFleetApiRef = createApiRef<GoldenPathFleetApi>().with({
  id: 'plugin.golden-path.fleet',
  pluginId: 'golden-path',
});
