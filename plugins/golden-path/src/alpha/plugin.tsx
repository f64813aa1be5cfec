import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { goldenPathInsightsApi, goldenPathOnboardingApi } from './apis';
import { goldenPathPage, goldenPathRootRouteRef } from './page';
import { goldenPathInsightsEntityCard } from './entityCard';
import { goldenPathArchitectureEntityContent } from './entityContent';

/**
 * Golden Path for Go in the new frontend system: the insights API, the
 * Architecture tab and the overview card of Go services.
 *
 * @alpha
 */
export const goldenPathPlugin = createFrontendPlugin({
  pluginId: 'golden-path',
  title: 'Golden Path',
  info: { packageJson: () => import('../../package.json') },
  routes: { root: goldenPathRootRouteRef },
  extensions: [
    goldenPathInsightsApi,
    goldenPathOnboardingApi,
    goldenPathPage,
    goldenPathArchitectureEntityContent,
    goldenPathInsightsEntityCard,
  ],
});
