import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

const ALLOW_KEY =
  'goldenPath.localLocations.dangerouslyAllowOutsideDevelopment';

/**
 * Development only: lets the catalog accept `file` locations registered at
 * runtime, so what `golden-path:publish:local` writes to the backend's disk
 * can be registered (`catalog:register`, `golden-path:catalog:register`).
 * It refuses to start when NODE_ENV is not `development` (a production
 * build), unless
 * `goldenPath.localLocations.dangerouslyAllowOutsideDevelopment` is true: in
 * production templates publish to a repository and register `url`
 * locations, and `file` locations would let anyone who may register a
 * location have the catalog read the backend's disk.
 *
 * @public
 */
export const catalogModuleGoldenPathLocalLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'golden-path-local-locations',
  register({ registerInit }) {
    registerInit({
      deps: {
        locations: catalogLocationsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ locations, config, logger }) {
        const env = process.env.NODE_ENV;
        if (env !== 'development') {
          if (!config.getOptionalBoolean(ALLOW_KEY)) {
            throw new Error(
              `Golden Path local locations are for development only and NODE_ENV is ${
                env ?? 'not set'
              }: remove backend.add(import('@golden-path/plugin-catalog-backend-module-golden-path-local-locations')) from the production backend (templates publish to a repository there), or set ${ALLOW_KEY}: true`,
            );
          }
          logger.warn(
            `Golden Path local locations are on outside development (NODE_ENV ${
              env ?? 'not set'
            }) because ${ALLOW_KEY} is true: anyone who may register a location can have the catalog read YAML files of this backend's disk`,
          );
        }
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});
