export { computeOnboarding } from './computeOnboarding';
export type { OnboardingEntity, OnboardingInput } from './computeOnboarding';
export type * from './types';
