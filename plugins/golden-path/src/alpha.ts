/**
 * Golden Path for Go in the new frontend system.
 *
 * @packageDocumentation
 */
import { goldenPathPlugin } from './alpha/plugin';

export {
  goldenPathInsightsApi,
  goldenPathOnboardingApi,
  goldenPathPage,
  goldenPathArchitectureEntityContent,
  goldenPathInsightsEntityCard,
  goldenPathApiDocsModule,
  goldenPathFleetPage,
  goServiceDependencyPickerFormField,
  goServiceDependenciesPickerFormField,
} from './alpha/index';

export default goldenPathPlugin;
