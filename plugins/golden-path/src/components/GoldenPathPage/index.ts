export {
  GoldenPathPage,
  TeamOnboardingView,
  OnboardingStepRow,
} from './GoldenPathPage';
export { stepHref } from './stepLink';
