import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  goldenPathFleetApi,
  goldenPathInsightsApi,
  goldenPathOnboardingApi,
} from './apis';
import { goldenPathFleetPage, goldenPathFleetRouteRef } from './fleetPage';
import { goldenPathPage, goldenPathRootRouteRef } from './page';
import { goldenPathInsightsEntityCard } from './entityCard';
import { goldenPathArchitectureEntityContent } from './entityContent';
import {
  goServiceDependenciesPickerFormField,
  goServiceDependencyPickerFormField,
} from './formFields';

/**
 * Golden Path for Go in the new frontend system: the insights API, the
 * Architecture tab and the overview card of Go services, and the scaffolder
 * fields that check the services a Go service calls against the catalog.
 *
 * @alpha
 */
export const goldenPathPlugin = createFrontendPlugin({
  pluginId: 'golden-path',
  title: 'Golden Path',
  info: { packageJson: () => import('../../package.json') },
  routes: { root: goldenPathRootRouteRef, fleet: goldenPathFleetRouteRef },
  extensions: [
    goldenPathInsightsApi,
    goldenPathOnboardingApi,
    goldenPathFleetApi,
    goldenPathPage,
    goldenPathFleetPage,
    goldenPathArchitectureEntityContent,
    goldenPathInsightsEntityCard,
    goServiceDependencyPickerFormField,
    goServiceDependenciesPickerFormField,
  ],
});
