import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

const ALLOW_KEY =
  'goldenPath.localLocations.dangerouslyAllowOutsideDevelopment';

const outsideDevelopment = () => process.env.NODE_ENV !== 'development';
const nodeEnvName = () => process.env.NODE_ENV ?? 'not set';

const localLocationsModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'golden-path-local-locations',
  register({ registerInit }) {
    registerInit({
      deps: {
        locations: catalogLocationsExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ locations, logger }) {
        if (outsideDevelopment()) {
          logger.warn(
            `Golden Path local locations are on outside development (NODE_ENV ${nodeEnvName()}) because ${ALLOW_KEY} is true: anyone who may register a location can have the catalog read YAML files of this backend's disk`,
          );
        }
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});

/**
 * Development only: lets the catalog accept `file` locations registered at
 * runtime, so what `golden-path:publish:local` writes to the backend's disk
 * can be registered (`catalog:register`, `golden-path:catalog:register`).
 * It refuses to start when NODE_ENV is not `development` (a production
 * build), unless
 * `goldenPath.localLocations.dangerouslyAllowOutsideDevelopment` is true: in
 * production templates publish to a repository and register `url`
 * locations, and `file` locations would let anyone who may register a
 * location have the catalog read the backend's disk. The refusal comes from
 * a feature loader, before any plugin of the backend initialises: a backend
 * whose catalog failed would otherwise run the other plugins' workers on.
 *
 * @public
 */
export const catalogModuleGoldenPathLocalLocations = createBackendFeatureLoader(
  {
    deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger },
    loader({ config, logger }) {
      if (outsideDevelopment() && !config.getOptionalBoolean(ALLOW_KEY)) {
        const refusal = `Golden Path local locations are for development only and NODE_ENV is ${nodeEnvName()}: remove backend.add(import('@golden-path/plugin-catalog-backend-module-golden-path-local-locations')) from the production backend (templates publish to a repository there), or set ${ALLOW_KEY}: true`;
        logger.error(refusal);
        throw new Error(refusal);
      }
      return [localLocationsModule];
    },
  },
);
