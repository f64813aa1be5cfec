import { GO_KEYWORDS } from './goKeywords';
import { TemplateValuesError } from './validateMonorepoValues';
import { CronScheduleError, schedulePeriod } from './cronSchedule';
import { aggregateNames } from './plural';

/** A scheduled job of the Go service template: a use case run by pkg/job. */
export interface ServiceJob {
  /** snake_case; the package is <name without underscores>uc. */
  name: string;
  /** A cron expression as pkg/job reads it (5 or 6 fields, descriptors, CRON_TZ=). */
  schedule: string;
  /** A Go duration in one unit (30s, 5m, 2h, 500ms), at most the schedule's period. */
  timeout: string;
}

/** What the job checks need to know of the service, to find names the job API would clash with. */
export interface JobServiceContext {
  aggregate?: string;
  aggregatePlural?: string;
  fields?: { name: string; type: string }[];
  transitions?: { name: string }[];
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z][a-z0-9]*)*$/;
const TIMEOUT = /^([1-9][0-9]{0,5})(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
/** The RPCs and proto types the jobs add to the service's proto package. */
const JOB_API_NAMES = [
  'RunJob',
  'ListJobRuns',
  'JobRun',
  'JobTrigger',
  'JobRunStatus',
  'RunJobRequest',
  'RunJobResponse',
  'ListJobRunsRequest',
  'ListJobRunsResponse',
];

const pascal = (snake: string) =>
  snake
    .split('_')
    .map(p => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');

/** The Go package of a job's use case: internal/application/usecase/<package>. */
export function jobPackage(name: string): string {
  return `${name.replace(/_/g, '')}uc`;
}

/** A duration in ms as Go's time.Duration.String prints it (5m0s, 1h30m0s, 500ms). */
export function formatGoDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** Names the aggregate's API generates in the proto package (messages, enums, RPCs). */
function aggregateApiNames(ctx: JobServiceContext): Set<string> {
  const names = new Set<string>();
  const a = ctx.aggregate;
  if (!a) return names;
  const { plural } = aggregateNames(a, ctx.aggregatePlural);
  const rpcs = [
    `Create${a}`,
    `Get${a}`,
    `List${plural}`,
    `Update${a}`,
    `Delete${a}`,
  ];
  for (const t of ctx.transitions ?? [])
    rpcs.push(`${pascal(String(t?.name ?? ''))}${a}`);
  for (const rpc of rpcs)
    [rpc, `${rpc}Request`, `${rpc}Response`].forEach(n => names.add(n));
  names.add(a).add(`${a}Status`);
  for (const f of ctx.fields ?? [])
    if (f?.type === 'enum') names.add(`${a}${pascal(String(f.name ?? ''))}`);
  return names;
}

/**
 * Problems with the jobs of the Go service template, each saying what to
 * type instead: names (snake_case, not a Go keyword, unique, one package per
 * job), schedules (parsed as the service parses them) and timeouts (a Go
 * duration no longer than the schedule's shortest interval).
 */
export function jobProblems(
  input: unknown,
  ctx: JobServiceContext = {},
  now: number = Date.now(),
): string[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input))
    return ['jobs must be a list of { name, schedule, timeout }'];
  const jobs = input as Partial<ServiceJob>[];
  const problems: string[] = [];
  const names = new Map<string, number>();
  const packages = new Map<string, string>();
  const aggPackage = ctx.aggregate
    ? `${ctx.aggregate.toLowerCase()}uc`
    : undefined;
  jobs.forEach((j, i) => {
    const name = String(j?.name ?? '');
    const label = `jobs[${i}] "${name}"`;
    if (!SNAKE.test(name) || name.length > 40) {
      problems.push(
        `${label}: a job name must be snake_case (at most 40 characters), e.g. expire_orders`,
      );
    } else if (GO_KEYWORDS.includes(name)) {
      problems.push(
        `${label}: ${name} is a Go keyword; name what the job does, e.g. ${name}_expired`,
      );
    } else if (names.has(name)) {
      problems.push(
        `${label}: job names must be unique; ${name} is also jobs[${names.get(
          name,
        )}]`,
      );
    } else {
      const pkg = jobPackage(name);
      if (pkg === aggPackage) {
        problems.push(
          `${label}: its package ${pkg} is the package of the ${ctx.aggregate} use cases; rename the job, e.g. ${name}_sweep`,
        );
      } else if (packages.has(pkg)) {
        problems.push(
          `${label}: its package ${pkg} is also the package of ${packages.get(
            pkg,
          )}; rename one of them`,
        );
      }
      packages.set(pkg, label);
    }
    if (!names.has(name)) names.set(name, i);

    const schedule = String(j?.schedule ?? '');
    let period: number | undefined;
    try {
      period = schedulePeriod(schedule, now);
    } catch (e) {
      if (!(e instanceof CronScheduleError)) throw e;
      problems.push(`${label}: schedule "${schedule}": ${e.message}`);
    }

    const timeout = String(j?.timeout ?? '');
    const t = TIMEOUT.exec(timeout);
    if (!t) {
      problems.push(
        `${label}: timeout "${timeout}" must be a Go duration in one unit, e.g. 500ms, 30s, 5m or 2h`,
      );
    } else if (period !== undefined && Number(t[1]) * UNIT_MS[t[2]] > period) {
      problems.push(
        `${label}: timeout ${timeout} is longer than ${formatGoDuration(
          period,
        )}, the shortest interval of schedule "${schedule}", so runs could overlap; shorten the timeout or space out the schedule`,
      );
    }
  });
  if (jobs.length > 0) {
    const clashes = [...aggregateApiNames(ctx)].filter(n =>
      JOB_API_NAMES.includes(n),
    );
    if (clashes.length) {
      problems.push(
        `aggregate "${ctx.aggregate}": ${clashes.join(
          ', ',
        )} would clash with the job API (RunJob, ListJobRuns and their messages); rename the aggregate, the field or the transition`,
      );
    }
  }
  return problems;
}

/**
 * Checks the jobs of the Go service template; throws a TemplateValuesError
 * listing every problem.
 *
 * @public
 */
export function validateJobs(
  jobs: unknown,
  ctx: JobServiceContext = {},
  now: number = Date.now(),
): ServiceJob[] {
  const problems = jobProblems(jobs, ctx, now);
  if (problems.length) throw new TemplateValuesError(problems);
  return (jobs ?? []) as ServiceJob[];
}
