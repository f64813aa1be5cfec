export { computeOnboarding } from './computeOnboarding';
export type { OnboardingEntity, OnboardingInput } from './computeOnboarding';
export { summarizeOnboardingRun } from './summarizeOnboardingRun';
export type {
  OnboardingTask,
  OnboardingTaskEvent,
} from './summarizeOnboardingRun';
export type * from './types';
export {
  ANNOTATION_TECHDOCS_REF,
  docsCandidateRefs,
  docsSource,
  firstLinesOfBuildError,
} from './docsBuild';
