import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { goldenPathPermissions } from '@golden-path/plugin-golden-path-common';
import { createFleetRouter } from './fleetRouter';
import { createRouter } from './router';
import { FleetService } from './service/FleetService';
import { DefaultInsightsService } from './service/InsightsService';
import { readInsightsConfig } from './service/config';
import { DefaultOnboardingService } from './service/OnboardingService';

/**
 * The Golden Path insights backend: per-entity layer analysis, proto API
 * checks and Atlas migration status of Go services, under
 * `/api/golden-path`.
 *
 * @public
 */
export const goldenPathPlugin = createBackendPlugin({
  pluginId: 'golden-path',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        cache: coreServices.cache,
        urlReader: coreServices.urlReader,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        userInfo: coreServices.userInfo,
      },
      async init({
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        config,
        logger,
        cache,
        urlReader,
        lifecycle,
        catalog,
        discovery,
        userInfo,
      }) {
        permissionsRegistry.addPermissions(goldenPathPermissions);
        const insights = DefaultInsightsService.fromConfig(config, {
          logger,
          urlReader,
          cache,
        });
        lifecycle.addShutdownHook(() => insights.close());
        const onboarding = DefaultOnboardingService.create({
          catalog,
          permissions,
          insights,
          auth,
          logger,
          discovery,
        });
        httpRouter.use(
          await createRouter({
            httpAuth,
            catalog,
            permissions,
            insights,
            onboarding,
            logger,
            userInfo,
            accessCache: readInsightsConfig(config).accessCache,
          }),
        );
        const settings = readInsightsConfig(config);
        const fleet = new FleetService(
          { catalog, permissions, insights, urlReader, logger },
          {
            ttlMs: settings.cacheTtlMs,
            environments: settings.environments.map(e => e.name),
            localRoots: settings.localRoots,
          },
        );
        httpRouter.use(await createFleetRouter({ httpAuth, fleet, logger }));
      },
    });
  },
});
