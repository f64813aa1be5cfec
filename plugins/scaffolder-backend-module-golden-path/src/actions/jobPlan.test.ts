import path from 'node:path';
import { parse } from 'yaml';
import {
  actionContext,
  makeSandbox,
  writeFiles,
} from '../__testUtils__/context';
import { runPlanAction } from '../__testUtils__/planAction';
import { recordedOrderService } from '../__testUtils__/recordedService';
import { createJobPlanAction } from './jobPlan';
import { examples } from './jobPlan.examples';

const action = createJobPlanAction();

/** The values templates/go-service/template.yaml passes for an order service. */
const recorded = recordedOrderService({
  description: 'gRPC service owning the Order aggregate',
  goVersion: '1.26',
  dbIdent: 'order',
  grpcPort: 50051,
  jobs: [] as { name: string; schedule: string; timeout: string }[],
  owner: 'group:default/platform-team',
  system: 'system:default/shop',
  inlineApiDefinition: true,
});
const job = { name: 'expire_orders', schedule: '0 */5 * * * *', timeout: '1m' };

/** The files of services/order-service: values.json (none when null) and migrations. */
function serviceFiles(
  values: Record<string, unknown> | string | null,
  migrations: string[],
) {
  const svc = 'services/order-service';
  const files: Record<string, string> = {
    [`${svc}/cmd/main.go`]: 'package main\n',
    [`${svc}/db/migrations/atlas.sum`]: 'h1:x\n',
  };
  for (const m of migrations)
    files[`${svc}/db/migrations/${m}`] = '-- migration\n';
  if (values !== null) {
    files[`${svc}/.golden-path/values.json`] =
      typeof values === 'string'
        ? values
        : JSON.stringify(
            { template: 'go-service', version: 1, values },
            null,
            2,
          );
  }
  return files;
}

async function plan(
  input: Record<string, unknown>,
  values: Record<string, unknown> | string | null = recorded,
  migrations = ['0001_init.sql'],
) {
  return runPlanAction(action, serviceFiles(values, migrations), {
    service: 'component:default/order-service',
    job,
    ...input,
  });
}

describe('golden-path:job:plan', () => {
  it('plans the first job: the job infrastructure comes with the next free migration', async () => {
    const out = await plan({}, recorded, [
      '0001_init.sql',
      '0002_add_notes.sql',
    ]);
    expect(out).toMatchObject({
      serviceName: 'order-service',
      serviceDir: 'services/order-service',
      protoDir: 'api/proto/order',
      generatedDir: 'pkg/proto/order',
      jobPackage: 'expireordersuc',
      hadJobs: false,
      migration: '0003_job_runs.sql',
      baseJobs: [],
    });
    expect(out.base).toEqual(recorded);
    expect(out.next).toEqual({
      ...recorded,
      jobs: [job],
      jobsMigration: '0003',
    });
    expect(out.nextJobs).toEqual([
      {
        name: 'order',
        module: 'github.com/acme/order-service',
        pkgModule: 'github.com/acme/go-pkg',
        aggregate: 'Order',
        aggPlural: 'Orders',
        table: 'orders',
        job,
      },
    ]);
  });

  it('plans a second job: the same migration, no new one', async () => {
    const first = {
      name: 'nightly_report',
      schedule: '@daily',
      timeout: '20m',
    };
    const values = { ...recorded, jobs: [first], jobsMigration: '0002' };
    const out = await plan({ service: 'order' }, values, [
      '0001_init.sql',
      '0002_job_runs.sql',
      '0003_more.sql',
    ]);
    expect(out).toMatchObject({ hadJobs: true, migration: '' });
    expect(out.next).toEqual({
      ...values,
      jobs: [first, job],
      jobsMigration: '0002',
    });
    expect(out.baseJobs.map((j: any) => j.job)).toEqual([first]);
    expect(out.nextJobs.map((j: any) => j.job)).toEqual([first, job]);
  });

  it('keeps timestamp versions timestamps', async () => {
    const out = await plan({}, recorded, ['20260101120000_init.sql']);
    expect(out.migration).toBe('20260101120001_job_runs.sql');
  });

  it.each([
    [
      'an invalid cron expression',
      { job: { ...job, schedule: '61 * * * *' } },
      /job "expire_orders": schedule "61 \* \* \* \*": end of range \(61\) above maximum \(59\): 61/,
    ],
    [
      'a schedule that never fires',
      { job: { ...job, schedule: '0 0 30 2 *' } },
      /schedule "0 0 30 2 \*": never fires/,
    ],
    [
      '@every',
      { job: { ...job, schedule: '@every 5m' } },
      /@every is not supported/,
    ],
    [
      'a Go keyword',
      { job: { ...job, name: 'select' } },
      /job "select": select is a Go keyword; name what the job does, e.g. select_expired/,
    ],
    [
      'a name that is not snake_case',
      { job: { ...job, name: 'ExpireOrders' } },
      /job "ExpireOrders": a job name must be snake_case/,
    ],
    [
      'a timeout longer than the period',
      { job: { ...job, timeout: '10m' } },
      /job "expire_orders": timeout 10m is longer than 5m0s, the shortest interval of schedule "0 \*\/5 \* \* \* \*", so runs could overlap/,
    ],
    [
      'a timeout that is no Go duration',
      { job: { ...job, timeout: '5 minutes' } },
      /timeout "5 minutes" must be a Go duration in one unit/,
    ],
    [
      'a service that is not a component',
      { service: 'group:default/order-service' },
      /service "group:default\/order-service" is not a Go service/,
    ],
    [
      'a service name with ..',
      { service: '../order' },
      /service "..\/order" is not a Go service/,
    ],
    [
      'a service not found',
      { service: 'component:default/payment-service' },
      /services\/payment-service was not found: no such service in the monorepo/,
    ],
  ])('refuses %s', async (_label, input, message) => {
    await expect(plan(input)).rejects.toThrow(message);
  });

  it('refuses a duplicate of a job the service has, naming it', async () => {
    const values = { ...recorded, jobs: [{ ...job, schedule: '@hourly' }] };
    await expect(
      plan({}, values, ['0001_init.sql', '0002_job_runs.sql']),
    ).rejects.toThrow(
      'order-service already has a job named expire_orders (schedule "@hourly", timeout 1m); pick another name',
    );
  });

  it('refuses a job whose package is taken by another job', async () => {
    const values = {
      ...recorded,
      jobs: [{ name: 'expireorders', schedule: '@hourly', timeout: '1m' }],
    };
    await expect(
      plan({}, values, ['0001_init.sql', '0002_job_runs.sql']),
    ).rejects.toThrow(
      /job "expire_orders": its package expireordersuc is also the package of jobs\[0\] "expireorders"/,
    );
  });

  it('refuses a job named like the aggregate use cases', async () => {
    await expect(plan({ job: { ...job, name: 'order' } })).rejects.toThrow(
      /its package orderuc is the package of the Order use cases/,
    );
  });

  it('refuses a service without recorded values, saying what to do', async () => {
    await expect(plan({}, null)).rejects.toThrow(
      /services\/order-service has no \.golden-path\/values\.json: it was not created by the Go service template/,
    );
  });

  it.each([
    ['invalid JSON', '{ "template": ', /is not valid JSON/],
    [
      'another template',
      JSON.stringify({ template: 'go-monorepo', values: {} }),
      /does not hold the values of the Go service template/,
    ],
    [
      'missing values',
      JSON.stringify({ template: 'go-service', values: { name: 'order' } }),
      /lacks serviceName, module, pkgModule/,
    ],
    [
      'another service',
      JSON.stringify({
        template: 'go-service',
        values: { ...recorded, serviceName: 'x-service' },
      }),
      /records the service x-service, not order-service/,
    ],
  ])('refuses recorded values that are %s', async (_label, text, message) => {
    await expect(plan({}, text)).rejects.toThrow(message);
  });

  it('refuses a job_runs migration added by hand to a service without jobs', async () => {
    await expect(
      plan({}, recorded, ['0001_init.sql', '0002_job_runs.sql']),
    ).rejects.toThrow(
      /db\/migrations\/0002_job_runs.sql exists although the service records no jobs/,
    );
  });

  it.each(examples.map(e => [e.description, parse(e.example).steps[0].input]))(
    'runs the example: %s',
    async (_d, input) => {
      const s = makeSandbox();
      try {
        const values = JSON.stringify({
          template: 'go-service',
          values: recorded,
        });
        const dir = input.workingDirectory ?? '.';
        writeFiles(path.join(s.workspace, dir, 'services/order-service'), {
          '.golden-path/values.json': values,
          'db/migrations/0001_init.sql': '--\n',
        });
        const { ctx, outputs } = actionContext(s.workspace, input);
        await action.handler(ctx);
        expect(outputs.migration).toBe('0002_job_runs.sql');
      } finally {
        s.cleanup();
      }
    },
  );
});
