import { TemplateValuesError } from './validateMonorepoValues';
import {
  formatGoDuration,
  jobPackage,
  jobProblems,
  validateJobs,
} from './validateJobs';

const NOW = 1_790_000_000_000; // 2026-09-21T14:13:20Z
const expire = {
  name: 'expire_orders',
  schedule: '0 */5 * * * *',
  timeout: '1m',
};
const order = {
  aggregate: 'Order',
  fields: [{ name: 'priority', type: 'enum' }],
  transitions: [{ name: 'confirm' }],
};

const problems = (jobs: unknown, ctx = order) =>
  jobProblems(jobs, ctx, NOW).join('\n');

describe('validateJobs', () => {
  it('accepts good jobs, and no jobs at all', () => {
    const jobs = [
      expire,
      {
        name: 'nightly_report',
        schedule: 'CRON_TZ=Europe/Paris 0 30 3 * * *',
        timeout: '23h',
      },
      { name: 'heartbeat', schedule: '*/10 * * * * *', timeout: '10s' },
      { name: 'weekly_digest', schedule: '@weekly', timeout: '500ms' },
    ];
    expect(validateJobs(jobs, order, NOW)).toEqual(jobs);
    expect(validateJobs(undefined, order, NOW)).toEqual([]);
    expect(validateJobs([], order, NOW)).toEqual([]);
  });

  it.each([
    [
      [{ ...expire, name: 'ExpireOrders' }],
      'jobs[0] "ExpireOrders": a job name must be snake_case (at most 40 characters), e.g. expire_orders',
    ],
    [[{ ...expire, name: 'expire__orders' }], 'must be snake_case'],
    [
      [{ ...expire, name: 'func' }],
      'jobs[0] "func": func is a Go keyword; name what the job does, e.g. func_expired',
    ],
    [[{ ...expire, name: 'select' }], 'select is a Go keyword'],
    [
      [expire, { ...expire, schedule: '@hourly' }],
      'jobs[1] "expire_orders": job names must be unique; expire_orders is also jobs[0]',
    ],
    [
      [expire, { ...expire, name: 'expireorders' }],
      'jobs[1] "expireorders": its package expireordersuc is also the package of jobs[0] "expire_orders"; rename one of them',
    ],
    [
      [{ ...expire, name: 'order' }],
      'jobs[0] "order": its package orderuc is the package of the Order use cases; rename the job, e.g. order_sweep',
    ],
    [
      [{ ...expire, schedule: '0 61 * * * *' }],
      'jobs[0] "expire_orders": schedule "0 61 * * * *": end of range (61) above maximum (59): 61',
    ],
    [
      [{ ...expire, schedule: '@every 5m' }],
      'schedule "@every 5m": @every is not supported',
    ],
    [
      [{ ...expire, schedule: '0 0 0 30 2 *' }],
      'schedule "0 0 0 30 2 *": never fires',
    ],
    [
      [{ ...expire, schedule: 'CRON_TZ=Mars/Base 0 * * * *' }],
      'provided bad location Mars/Base',
    ],
    [
      [{ ...expire, timeout: '1m30s' }],
      'jobs[0] "expire_orders": timeout "1m30s" must be a Go duration in one unit, e.g. 500ms, 30s, 5m or 2h',
    ],
    [[{ ...expire, timeout: '0s' }], 'must be a Go duration in one unit'],
    [[{ ...expire, timeout: '-5m' }], 'must be a Go duration in one unit'],
    [[{ ...expire, timeout: '' }], 'timeout "" must be a Go duration'],
    [
      [{ ...expire, timeout: '10m' }],
      'jobs[0] "expire_orders": timeout 10m is longer than 5m0s, the shortest interval of schedule "0 */5 * * * *", so runs could overlap; shorten the timeout or space out the schedule',
    ],
    [
      [
        {
          ...expire,
          schedule: 'CRON_TZ=Europe/Paris 0 30 3 * * *',
          timeout: '24h',
        },
      ],
      'timeout 24h is longer than 23h0m0s',
    ],
    [
      [{ ...expire, schedule: '0 0,45 * * * *', timeout: '16m' }],
      'timeout 16m is longer than 15m0s',
    ],
    ['expire_orders', 'jobs must be a list of { name, schedule, timeout }'],
  ])('refuses %j', (jobs, message) => {
    expect(problems(jobs)).toContain(message);
  });

  it('lists every problem of every job at once', () => {
    const found = jobProblems(
      [
        { name: 'go', schedule: '* * *', timeout: '1d' },
        { name: 'go', schedule: '@daily', timeout: '2h' },
      ],
      order,
      NOW,
    );
    expect(found).toEqual([
      'jobs[0] "go": go is a Go keyword; name what the job does, e.g. go_expired',
      'jobs[0] "go": schedule "* * *": expected 5 to 6 fields, found 3: [* * *]',
      'jobs[0] "go": timeout "1d" must be a Go duration in one unit, e.g. 500ms, 30s, 5m or 2h',
      'jobs[1] "go": go is a Go keyword; name what the job does, e.g. go_expired',
    ]);
    expect(() =>
      validateJobs(
        [{ name: 'go', schedule: '@daily', timeout: '1h' }],
        order,
        NOW,
      ),
    ).toThrow(TemplateValuesError);
  });

  it.each([
    [
      { aggregate: 'JobRun' },
      'aggregate "JobRun": ListJobRuns, ListJobRunsRequest, ListJobRunsResponse, JobRun, JobRunStatus would clash with the job API',
    ],
    [
      { aggregate: 'Job', fields: [{ name: 'trigger', type: 'enum' }] },
      'JobTrigger would clash with the job API',
    ],
    [
      { aggregate: 'Job', transitions: [{ name: 'run' }] },
      'RunJob, RunJobRequest, RunJobResponse would clash',
    ],
    [
      { aggregate: 'Job', aggregatePlural: 'JobRuns' },
      'ListJobRuns, ListJobRunsRequest, ListJobRunsResponse would clash',
    ],
  ])(
    'refuses an aggregate whose API clashes with the job API: %j',
    (ctx, message) => {
      expect(problems([expire], ctx as typeof order)).toContain(message);
      expect(problems([], ctx as typeof order)).toBe('');
    },
  );

  it('names packages and durations as Go does', () => {
    expect(jobPackage('expire_orders')).toBe('expireordersuc');
    expect(
      [500, 10_000, 1500, 300_000, 82_800_000, 5_400_000].map(formatGoDuration),
    ).toEqual(['500ms', '10s', '1.5s', '5m0s', '23h0m0s', '1h30m0s']);
  });
});
