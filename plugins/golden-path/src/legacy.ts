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
  GoldenPathFleetClient,
  GoldenPathInsightsClient,
  GoldenPathOnboardingClient,
  goldenPathFleetApiRef,
  goldenPathInsightsApiRef,
  goldenPathOnboardingApiRef,
} from './api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  GO_SERVICE_DEPENDENCIES_PICKER,
  GO_SERVICE_DEPENDENCY_PICKER,
  GoServiceDependenciesPicker,
  GoServiceDependencyPicker,
  validateGoServiceDependencies,
  validateGoServiceDependency,
} from './components/GoServiceDependencyPicker';

/** Route of the Architecture tab in apps on the old frontend system. */
export const architectureRouteRef = createRouteRef({
  id: 'golden-path:architecture',
});

/** Route of the Golden Path page in apps on the old frontend system. */
export const goldenPathPageRouteRef = createRouteRef({
  id: 'golden-path:page',
});

/** Route of the fleet view in apps on the old frontend system. */
export const goldenPathFleetRouteRef = createRouteRef({
  id: 'golden-path:fleet',
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
    createApiFactory({
      api: goldenPathFleetApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GoldenPathFleetClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    architecture: architectureRouteRef,
    page: goldenPathPageRouteRef,
    fleet: goldenPathFleetRouteRef,
  },
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

/**
 * The fleet view for the old frontend system:
 * `<Route path="/golden-path-fleet" element={<GoldenPathFleetPage />} />`.
 * Every golden-path Go service the user may see, one row each, linking to
 * what fixes each cell.
 *
 * @public
 */
export const GoldenPathFleetPage = goldenPathLegacyPlugin.provide(
  createRoutableExtension({
    name: 'GoldenPathFleetPage',
    mountPoint: goldenPathFleetRouteRef,
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
  }),
);

/**
 * The scaffolder field `GoServiceDependencyPicker` (the "Add a dependency"
 * template's service to call) for the old frontend system: add it inside
 * `<ScaffolderFieldExtensions>` of the `/create` route. Offers the Go
 * services of the calling service's monorepo and refuses, before the form
 * goes on, one that is no Go service of that monorepo in the catalog, the
 * service itself, one it calls already and a cycle.
 *
 * @public
 */
export const GoServiceDependencyPickerFieldExtension =
  goldenPathLegacyPlugin.provide(
    createScaffolderFieldExtension({
      name: GO_SERVICE_DEPENDENCY_PICKER,
      component: GoServiceDependencyPicker,
      validation: validateGoServiceDependency,
    }),
  );

/**
 * The scaffolder field `GoServiceDependenciesPicker` (the Go service
 * template's dependsOn) for the old frontend system: add it inside
 * `<ScaffolderFieldExtensions>` of the `/create` route. Offers the Go
 * services of the chosen System and refuses, before the form goes on, a
 * name that is no Go service of it in the catalog, the new service itself, a
 * name listed twice and a cycle.
 *
 * @public
 */
export const GoServiceDependenciesPickerFieldExtension =
  goldenPathLegacyPlugin.provide(
    createScaffolderFieldExtension({
      name: GO_SERVICE_DEPENDENCIES_PICKER,
      component: GoServiceDependenciesPicker,
      validation: validateGoServiceDependencies,
    }),
  );
