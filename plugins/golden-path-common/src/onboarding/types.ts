/**
 * The steps of a team's golden path, in order.
 *
 * @public
 */
export type OnboardingStepId =
  | 'team'
  | 'system'
  | 'monorepo'
  | 'service'
  | 'migrations'
  | 'dependency-rule'
  | 'proto-lint';

/**
 * Where a step stands. `blocked` waits for an earlier step; `unknown` could
 * not be determined (the reason is in `message`).
 *
 * @public
 */
export type OnboardingStepStatus = 'done' | 'open' | 'blocked' | 'unknown';

/**
 * What closes an open step: a template with pre-filled values, an entity
 * page, or a docs page. The app turns it into a link.
 *
 * @public
 */
export type OnboardingAction =
  | { type: 'template'; title: string; templateRef: string; formData: Record<string, unknown> }
  | { type: 'entity'; title: string; entityRef: string; tab?: string }
  | { type: 'docs'; title: string; path: string };

/**
 * One step with its status.
 *
 * @public
 */
export interface OnboardingStep {
  id: OnboardingStepId;
  title: string;
  status: OnboardingStepStatus;
  /** What was found, or what is missing, in a sentence. */
  message: string;
  /** Entities that satisfy the step. */
  entityRefs: string[];
  action?: OnboardingAction;
}

/**
 * A team's onboarding, as the Golden Path page shows it.
 *
 * @public
 */
export interface TeamOnboarding {
  teamRef: string;
  steps: OnboardingStep[];
  /** Steps done, of all steps. */
  done: number;
  total: number;
}
