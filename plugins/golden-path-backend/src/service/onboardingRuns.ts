import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  OnboardingRun,
  OnboardingTask,
  summarizeOnboardingRun,
} from '@golden-path/plugin-golden-path-common';
import { MAX_EVENT_LOG_BYTES, readTaskEventLog } from './taskEventLog';

/** The onboarding template, whose unfinished runs the Golden Path page lists. */
export const ONBOARDING_TEMPLATE_REF = 'template:default/onboard-team';

/** How many recent failed or cancelled tasks are looked at, and how many runs are shown. */
const SCAN_LIMIT = 100;
const SHOW_LIMIT = 5;
/** How long the scaffolder may take to list the runs and send their logs. */
export const SCAFFOLDER_READ_TIMEOUT_MS = 20_000;

/** `8388608` → `8 MiB`, `1000` → `1000 bytes`. */
const byteSize = (n: number) =>
  n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;

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
  /** Most bytes of a task's event log read (default {@link MAX_EVENT_LOG_BYTES}). */
  maxEventLogBytes?: number;
  /** How long the scaffolder may take for all of it (default {@link SCAFFOLDER_READ_TIMEOUT_MS}). */
  timeoutMs?: number;
}): Promise<OnboardingRun[]> {
  const timeoutMs = options.timeoutMs ?? SCAFFOLDER_READ_TIMEOUT_MS;
  // one deadline for the list and every log: a scaffolder that stalls
  // would otherwise hold the onboarding page's request for good
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    return await readRuns(options, deadline);
  } catch (e) {
    if (deadline.aborted)
      throw new Error(
        `the scaffolder did not answer the onboarding runs of team ${options.teamName} within ${timeoutMs} ms`,
      );
    throw e;
  }
}

async function readRuns(
  options: Parameters<typeof readOnboardingRuns>[0],
  deadline: AbortSignal,
): Promise<OnboardingRun[]> {
  const { discovery, auth, credentials, teamName } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const baseUrl = await discovery.getBaseUrl('scaffolder');
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'scaffolder',
  });
  const open = async (path: string, signal?: AbortSignal) => {
    const res = await fetchImpl(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(
        `the scaffolder answered ${res.status} ${res.statusText} for ${
          path.split('?')[0]
        }`,
      );
    }
    return res;
  };
  const { tasks } = (await (
    await open(
      `/v2/tasks?status=failed&status=cancelled&order=desc:created_at&limit=${SCAN_LIMIT}`,
    )
  ).json()) as { tasks: OnboardingTask[] };
  const mine = tasks
    .filter(
      t =>
        t.spec?.templateInfo?.entityRef === ONBOARDING_TEMPLATE_REF &&
        t.spec?.parameters?.teamName === teamName,
    )
    .slice(0, SHOW_LIMIT);
  // one log that fails fails the whole answer: the others are not read on
  const failed = new AbortController();
  const readRun = async (t: OnboardingTask): Promise<OnboardingRun> => {
    // Only the step statuses are kept, read as the log streams and at
    // most MAX_EVENT_LOG_BYTES of it: a task's log may be any size.
    const abort = new AbortController();
    const res = await open(
      `/v2/tasks/${encodeURIComponent(t.id)}/events`,
      AbortSignal.any([abort.signal, failed.signal]),
    );
    const log = await readTaskEventLog(res.body, {
      what: `task ${t.id}`,
      maxBytes: options.maxEventLogBytes ?? MAX_EVENT_LOG_BYTES,
    });
    if (log.truncated) abort.abort();
    const run = summarizeOnboardingRun(t, log.events, options.inCatalog);
    if (log.truncated === 'limit')
      run.message += ` Only the first ${byteSize(
        options.maxEventLogBytes ?? MAX_EVENT_LOG_BYTES,
      )} of its event log were read; open the task in the scaffolder for the rest.`;
    else if (log.truncated === 'ended')
      run.message +=
        " The scaffolder's answer ended before the end of its event log; open the task in the scaffolder for the rest.";
    return run;
  };
  return Promise.all(
    mine.map(async t => {
      try {
        return await readRun(t);
      } catch (e) {
        failed.abort();
        throw e;
      }
    }),
  );
}
