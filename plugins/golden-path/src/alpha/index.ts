export { goldenPathPlugin } from './plugin';
export { goldenPathInsightsApi, goldenPathOnboardingApi } from './apis';
export { goldenPathPage } from './page';
export { goldenPathFleetPage } from './fleetPage';
export { goldenPathArchitectureEntityContent } from './entityContent';
export { goldenPathInsightsEntityCard } from './entityCard';
export { goldenPathApiDocsModule } from './apiDocsModule';
export {
  goServiceDependencyPickerFormField,
  goServiceDependenciesPickerFormField,
} from './formFields';
