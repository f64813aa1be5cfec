import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  OnboardingRun,
  OnboardingTask,
  OnboardingTaskEvent,
  summarizeOnboardingRun,
} from '@golden-path/plugin-golden-path-common';

/** The onboarding template, whose unfinished runs the Golden Path page lists. */
export const ONBOARDING_TEMPLATE_REF = 'template:default/onboard-team';

/** How many recent failed or cancelled tasks are looked at, and how many runs are shown. */
const SCAN_LIMIT = 100;
const SHOW_LIMIT = 5;

/**
 * Reads the team's failed or cancelled runs of the onboarding template from
 * the scaffolder, with the caller's credentials (so only tasks they may read),
 * and summarizes what each left behind.
 */
export async function readOnboardingRuns(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  credentials: BackstageCredentials;
  teamName: string;
  /** Whether the catalog (as the caller sees it) holds an entity. */
  inCatalog?: (entityRef: string) => boolean;
  fetchImpl?: typeof fetch;
}): Promise<OnboardingRun[]> {
  const { discovery, auth, credentials, teamName } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const baseUrl = await discovery.getBaseUrl('scaffolder');
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'scaffolder',
  });
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetchImpl(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!res.ok) {
      throw new Error(
        `the scaffolder answered ${res.status} ${res.statusText} for ${
          path.split('?')[0]
        }`,
      );
    }
    return (await res.json()) as T;
  };
  const { tasks } = await get<{ tasks: OnboardingTask[] }>(
    `/v2/tasks?status=failed&status=cancelled&order=desc:created_at&limit=${SCAN_LIMIT}`,
  );
  const mine = tasks
    .filter(
      t =>
        t.spec?.templateInfo?.entityRef === ONBOARDING_TEMPLATE_REF &&
        t.spec?.parameters?.teamName === teamName,
    )
    .slice(0, SHOW_LIMIT);
  return Promise.all(
    mine.map(async t =>
      summarizeOnboardingRun(
        t,
        await get<OnboardingTaskEvent[]>(
          `/v2/tasks/${encodeURIComponent(t.id)}/events`,
        ),
        options.inCatalog,
      ),
    ),
  );
}
