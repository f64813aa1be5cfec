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
  | {
      type: 'template';
      title: string;
      templateRef: string;
      formData: Record<string, unknown>;
    }
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
  /** Runs of the onboarding template for this team that failed or were cancelled. */
  runs?: OnboardingRun[];
  /** Why the runs could not be read (the scaffolder did not answer). */
  runsError?: string;
  /**
   * Docs of the first monorepo and first service whose TechDocs build failed,
   * as the backend's probe found them (absent when TechDocs is not installed).
   */
  docsBuildFailures?: DocsBuildFailure[];
}

/**
 * A TechDocs build that failed, as the Golden Path page names it.
 *
 * @public
 */
export interface DocsBuildFailure {
  entityRef: string;
  /** Where mkdocs.yml and docs/ live (a directory or repository URL). */
  source: string;
  /** The first lines of the build error. */
  error: string;
}

/**
 * A run of the onboarding template that did not complete, and what it left
 * behind: published but unregistered parts are named so nothing half-created
 * goes unnoticed.
 *
 * @public
 */
export interface OnboardingRun {
  taskId: string;
  status: 'failed' | 'cancelled';
  createdAt?: string;
  createdBy?: string;
  /** The step that failed or was cancelled. */
  stoppedAt?: { id: string; title: string; message?: string };
  /** Where the run published (a local directory or a repository), when it got that far. */
  publishedTo?: string;
  /** What was published but not registered, with the descriptor to register. */
  unregistered: Array<{ what: string; catalogInfoPath: string }>;
  /** One or two sentences for the page. */
  message: string;
}
