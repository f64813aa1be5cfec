import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import * as actions from './actions';
import { closeToolLaunchers } from '@golden-path/plugin-golden-path-node';
import { readSettings } from './lib/settings';
import { launcherBinary } from './lib/toolLaunch';
import { describeSandbox } from './lib/toolSandbox';
import { devDatabaseOptions, sweepDevDatabases } from './lib/devDatabase';

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
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        reader: coreServices.urlReader,
      },
      async init({
        config,
        scaffolder,
        catalog,
        auth,
        discovery,
        logger,
        lifecycle,
        scheduler,
        reader,
      }) {
        const settings = readSettings(config);
        try {
          const launcher = launcherBinary(settings);
          logger.info(
            launcher
              ? `Tools start through ${launcher}`
              : "golden-path-launcher was not found (goldenPath.tools.launcher, <goldenPath.tools.dir>/bin, PATH): tools start with Node's spawn, which blocks the event loop while it forks the backend",
          );
        } catch (e) {
          logger.warn(
            `${
              (e as Error).message
            }; every action that runs a tool will fail until it is fixed`,
          );
        }
        const sandbox = describeSandbox(settings);
        logger[sandbox.level](sandbox.message);
        lifecycle.addShutdownHook(() => closeToolLaunchers());
        // Throwaway dev databases a killed backend left behind; on one replica at a time.
        const { lifetimeMs } = devDatabaseOptions(settings);
        await scheduler.scheduleTask({
          id: 'golden-path-atlas-dev-database-sweep',
          frequency: { minutes: 30 },
          timeout: { minutes: 2 },
          scope: 'global',
          fn: async () => {
            try {
              const dropped = await sweepDevDatabases(
                settings.atlasDevDatabase,
                lifetimeMs,
              );
              if (dropped.length)
                logger.info(
                  `Dropped ${
                    dropped.length
                  } leftover Atlas dev databases and roles: ${dropped.join(
                    ', ',
                  )}`,
                );
            } catch (e) {
              logger.warn(
                `Could not sweep leftover Atlas dev databases: ${
                  (e as Error).message
                }`,
              );
            }
          },
        });
        const deps = { settings };
        const integrations = ScmIntegrations.fromConfig(config);
        // The upgrades read a template's git source with the backend's UrlReader.
        const upgradeDeps = { ...deps, reader, integrations };
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
          actions.createLocalCheckoutAction({ ...deps, catalog }),
          actions.createJobPlanAction(),
          actions.createRpcPlanAction(),
          actions.createDependencyPlanAction(),
          actions.createAggregatePlanAction(),
          actions.createTemplateMergeAction(deps),
          actions.createWorkspaceChangesAction(),
          actions.createTemplateVersionAction({ reader, integrations }),
          actions.createUpgradePlanAction(upgradeDeps),
          actions.createMonorepoUpgradePlanAction(upgradeDeps),
          actions.createPublishLocalBranchAction(deps),
          actions.createPublishLocalCommitAction(deps),
          actions.createUpgradeBatchAction({ catalog, auth, discovery }),
          actions.createCatalogWriteAction(),
          actions.createTeamWriteAction({ catalog, auth }),
          actions.createCatalogRegisterAction({ settings, catalog }),
          actions.createForgeLocateAction({ integrations }),
          actions.createGiteaPullRequestAction({ integrations }),
        );
      },
    });
  },
});
