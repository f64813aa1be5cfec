import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import * as actions from './actions';
import { readSettings } from './lib/settings';

/**
 * The Golden Path for Go scaffolder module: buf, sqlc and Atlas actions,
 * local publishing and catalog registration of generated services.
 *
 * @public
 */
export const scaffolderModuleGoldenPath = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-path',
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        scaffolder: scaffolderActionsExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ config, scaffolder, catalog, auth }) {
        const settings = readSettings(config);
        const deps = { settings };
        scaffolder.addActions(
          actions.createBufLintAction(deps),
          actions.createBufFormatAction(deps),
          actions.createBufBuildAction(deps),
          actions.createBufGenerateAction(deps),
          actions.createBufBreakingAction(deps),
          actions.createSqlcGenerateAction(deps),
          actions.createSqlcVetAction(deps),
          actions.createSqlcDiffAction(deps),
          actions.createAtlasMigrateDiffAction(deps),
          actions.createAtlasMigrateHashAction(deps),
          actions.createAtlasMigrateValidateAction(deps),
          actions.createAtlasMigrateLintAction(deps),
          actions.createMonorepoPlanAction(),
          actions.createServicePlanAction(deps),
          actions.createGoWorkUseAction(deps),
          actions.createPublishLocalAction(deps),
          actions.createLocalCheckoutAction(deps),
          actions.createJobPlanAction(),
          actions.createTemplateMergeAction(deps),
          actions.createWorkspaceChangesAction(),
          actions.createCatalogWriteAction(),
          actions.createTeamWriteAction({ catalog, auth }),
          actions.createCatalogRegisterAction({ settings, catalog }),
        );
      },
    });
  },
});
