import type { OnboardingRun } from './types';

/**
 * The fields of a scaffolder task (`GET /api/scaffolder/v2/tasks`) the summary reads.
 *
 * @public
 */
export interface OnboardingTask {
  id: string;
  status: string;
  createdAt?: string;
  createdBy?: string;
  spec: {
    steps?: Array<{ id: string; name?: string }>;
    parameters?: Record<string, unknown>;
    templateInfo?: { entityRef?: string };
  };
}

/**
 * The fields of a task event (`GET /api/scaffolder/v2/tasks/:id/events`) the summary reads.
 *
 * @public
 */
export interface OnboardingTaskEvent {
  type: string;
  body: { message?: string; stepId?: string; status?: string };
}

/** The onboarding template's registration steps, per publish target. */
const REGISTRATIONS = [
  {
    what: 'the team',
    local: 'register-team-local',
    github: 'register-team-github',
    path: (p: Record<string, any>) => `org/${p.teamName}.yaml`,
    entityRef: (p: Record<string, any>) => `group:default/${p.teamName}`,
  },
  {
    what: 'the monorepo and its System',
    local: 'register-local',
    github: 'register-github',
    path: () => 'catalog-info.yaml',
    entityRef: (p: Record<string, any>) => `system:default/${p.projectName}`,
  },
  {
    // On GitHub the monorepo's Location registers the service.
    what: 'the first service',
    local: 'register-service-local',
    github: undefined,
    when: (p: Record<string, any>) => Boolean(p.createService),
    path: (p: Record<string, any>) =>
      `services/${p.service?.name}-service/catalog-info.yaml`,
    entityRef: (p: Record<string, any>) =>
      `component:default/${p.service?.name}-service`,
  },
];

/** The first line of a step's error log (the scaffolder logs the stack). */
function firstLine(message?: string): string | undefined {
  const line = message?.split('\n')[0]?.trim();
  return line ? line.replace(/^(\w*Error): /, '') : undefined;
}

/**
 * What a failed or cancelled run of the onboarding template left behind:
 * where it stopped, whether it published, and which published descriptors
 * are not registered. Pure: reads the task, its events and, when given, which
 * entities the catalog holds (a registration step cut short may still have
 * added its location).
 *
 * @public
 */
export function summarizeOnboardingRun(
  task: OnboardingTask,
  events: OnboardingTaskEvent[],
  inCatalog: (entityRef: string) => boolean = () => false,
): OnboardingRun {
  const params = (task.spec.parameters ?? {}) as Record<string, any>;
  const stepStatus = new Map<string, string>();
  const stepError = new Map<string, string>();
  let cancelled = task.status === 'cancelled';
  for (const e of events) {
    if (!e.body?.stepId || !e.body.status) continue;
    // A step cancelled while it ran is also logged as failed with its error.
    if (e.body.status === 'cancelled') cancelled = true;
    if (stepStatus.get(e.body.stepId) !== 'cancelled')
      stepStatus.set(e.body.stepId, e.body.status);
    if (e.body.status === 'failed' && !stepError.has(e.body.stepId))
      stepError.set(e.body.stepId, e.body.message ?? '');
  }
  const title = (id: string) =>
    task.spec.steps?.find(s => s.id === id)?.name ?? id;
  const stoppedId = [...stepStatus].find(
    ([, s]) => s === 'failed' || s === 'cancelled',
  )?.[0];
  const target: 'local' | 'github' =
    params.publishTo === 'github' ? 'github' : 'local';
  const published =
    stepStatus.get(target === 'local' ? 'publish-local' : 'publish-github') ===
    'completed';
  const where =
    target === 'local'
      ? `${params.localPath} (under the local publish root)`
      : String(params.repoUrl);
  const publishedTo = published ? where : undefined;
  const unregistered = published
    ? REGISTRATIONS.filter(r => r[target] && (!r.when || r.when(params)))
        .filter(
          r =>
            stepStatus.get(r[target]!) !== 'completed' &&
            !inCatalog(r.entityRef(params)),
        )
        .map(r => ({ what: r.what, catalogInfoPath: r.path(params) }))
    : [];
  const status = cancelled ? 'cancelled' : 'failed';
  const stoppedAt = stoppedId
    ? {
        id: stoppedId,
        title: title(stoppedId),
        message: cancelled ? undefined : firstLine(stepError.get(stoppedId)),
      }
    : undefined;

  let message = `The onboarding run of ${params.teamName ?? 'a team'} ${
    status === 'cancelled' ? 'was cancelled' : 'failed'
  }`;
  if (stoppedAt)
    message += ` at "${stoppedAt.title}"${
      stoppedAt.message ? `: ${stoppedAt.message}` : ''
    }`;
  message += '.';
  if (!published) {
    message +=
      ' Nothing was published; fix the cause and run the template again.';
  } else if (unregistered.length) {
    message += ` It published ${publishedTo} but did not register ${unregistered
      .map(u => u.what)
      .join(', ')}: register ${unregistered
      .map(u => u.catalogInfoPath)
      .join(
        ', ',
      )} there, or remove what it published and run the template again.`;
  } else {
    message += ` It published ${publishedTo}, and everything it publishes is in the catalog.`;
  }
  return {
    taskId: task.id,
    status,
    createdAt: task.createdAt,
    createdBy: task.createdBy,
    stoppedAt,
    publishedTo,
    unregistered,
    message,
  };
}
