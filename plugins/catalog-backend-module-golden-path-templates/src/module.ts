import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import path from 'node:path';
import { bundledTemplatesDir } from './bundledTemplates';
import { GoldenPathTemplateProvider } from './GoldenPathTemplateProvider';

/**
 * The Golden Path for Go templates in the catalog: an entity provider over
 * the templates this package ships, re-read every minute. Installing the
 * module is all it takes; the catalog also needs the scaffolder entity model
 * (`@backstage/plugin-catalog-backend-module-scaffolder-entity-model`) to
 * accept the `Template` kind.
 *
 * @public
 */
export const catalogModuleGoldenPathTemplates = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'golden-path-templates',
  register({ registerInit }) {
    registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, logger, scheduler }) {
        // The package directory, from src/ or dist/ alike. Not
        // resolvePackagePath(): a dynamic-plugin host loads the package from
        // its own directory under another name (<name>-dynamic), where the
        // host's require cannot find it.
        // eslint-disable-next-line no-restricted-syntax
        const dir = bundledTemplatesDir(path.resolve(__dirname, '..'));
        logger.info(`Golden Path templates are read from ${dir}`);
        catalog.addEntityProvider(
          new GoldenPathTemplateProvider({
            dir,
            logger,
            taskRunner: scheduler.createScheduledTaskRunner({
              frequency: { minutes: 1 },
              timeout: { seconds: 30 },
              initialDelay: { minutes: 1 },
              scope: 'local',
            }),
          }),
        );
      },
    });
  },
});
