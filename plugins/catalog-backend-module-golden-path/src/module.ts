import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readDiscoverySettings } from './discovery/config';
import { GoldenPathServiceProvider } from './discovery/GoldenPathServiceProvider';
import { LocalMonorepoSource } from './discovery/localSource';

/**
 * The Golden Path for Go catalog module: an entity provider that keeps the
 * Go services of the local monorepos (`goldenPath.discovery.roots`) in the
 * catalog, on the schedule of `goldenPath.discovery.schedule`.
 *
 * @public
 */
export const catalogModuleGoldenPathDiscovery = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'golden-path-discovery',
  register({ registerInit }) {
    registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, logger, scheduler }) {
        const settings = readDiscoverySettings(config);
        if (!settings.roots.length) {
          logger.info(
            'Golden path discovery has no roots (goldenPath.discovery.roots, goldenPath.publish.local.allowedRoots): no service is discovered',
          );
        }
        catalog.addEntityProvider(
          new GoldenPathServiceProvider({
            sources: settings.roots.map(
              root =>
                new LocalMonorepoSource(root, {
                  maxFileBytes: settings.maxFileBytes,
                }),
            ),
            logger,
            taskRunner: scheduler.createScheduledTaskRunner(settings.schedule),
          }),
        );
      },
    });
  },
});
