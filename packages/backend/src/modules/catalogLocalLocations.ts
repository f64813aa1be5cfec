import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * Local development only: lets the catalog accept `file` locations registered
 * at runtime, so templates published with `golden-path:publish:local` can be
 * registered. Do not install in production, where templates publish to a
 * repository and register `url` locations.
 */
export const catalogModuleLocalLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'golden-path-local-locations',
  register({ registerInit }) {
    registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});
