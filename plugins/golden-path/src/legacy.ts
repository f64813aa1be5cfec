import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  GoldenPathInsightsClient,
  GoldenPathOnboardingClient,
  goldenPathInsightsApiRef,
  goldenPathOnboardingApiRef,
} from './api';

/** Route of the Architecture tab in apps on the old frontend system. */
export const architectureRouteRef = createRouteRef({
  id: 'golden-path:architecture',
});

/** Route of the Golden Path page in apps on the old frontend system. */
export const goldenPathPageRouteRef = createRouteRef({
  id: 'golden-path:page',
});

/**
 * Golden Path for Go in apps on the old frontend system (`createApp` of
 * `@backstage/app-defaults`).
 *
 * @public
 */
export const goldenPathLegacyPlugin = createPlugin({
  id: 'golden-path',
  apis: [
    createApiFactory({
      api: goldenPathInsightsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GoldenPathInsightsClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: goldenPathOnboardingApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GoldenPathOnboardingClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { architecture: architectureRouteRef, page: goldenPathPageRouteRef },
});

/**
 * The Architecture tab for the old frontend system's entity page:
 * `<EntityLayout.Route path="/architecture" title="Architecture" if={isGoldenPathService}>`.
 *
 * @public
 */
export const EntityGoldenPathArchitectureContent =
  goldenPathLegacyPlugin.provide(
    createRoutableExtension({
      name: 'EntityGoldenPathArchitectureContent',
      mountPoint: architectureRouteRef,
      component: () =>
        import('./components/ArchitectureContent').then(
          m => m.ArchitectureContent,
        ),
    }),
  );

/**
 * The insights card for the old frontend system's entity overview.
 *
 * @public
 */
export const EntityGoldenPathInsightsCard = goldenPathLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityGoldenPathInsightsCard',
    component: {
      lazy: () => import('./components/InsightsCard').then(m => m.InsightsCard),
    },
  }),
);

/**
 * The Golden Path page for the old frontend system:
 * `<Route path="/golden-path" element={<GoldenPathOnboardingPage />} />`.
 *
 * @public
 */
export const GoldenPathOnboardingPage = goldenPathLegacyPlugin.provide(
  createRoutableExtension({
    name: 'GoldenPathOnboardingPage',
    mountPoint: goldenPathPageRouteRef,
    component: () =>
      import('./components/GoldenPathPage').then(m => m.GoldenPathPage),
  }),
);
