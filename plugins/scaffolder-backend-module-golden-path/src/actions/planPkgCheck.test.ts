import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import {
  actionContext,
  makeSandbox,
  testSettings,
  writeFiles,
} from '../__testUtils__/context';
import { forgeIntegrations } from '../__testUtils__/forgeIntegrations';
import { templatePkgFiles, withoutFunc } from '../__testUtils__/monorepoPkg';
import { runPlanAction } from '../__testUtils__/planAction';
import { recordedOrderService } from '../__testUtils__/recordedService';
import { currentTemplateVersion, storeSnapshot } from '../lib/templateVersions';
import { createAggregatePlanAction } from './aggregatePlan';
import { createJobPlanAction } from './jobPlan';
import { createRpcPlanAction } from './rpcPlan';
import { createUpgradePlanAction } from './upgradePlan';

/*
 * The day-2 plans that render the service again from the current skeletons
 * check the monorepo's pkg checked out beside it, as the service and
 * dependency plans do (lib/pkgApis): an older pkg is refused in one line
 * naming the service, what it lacks and upgrade-monorepo; the template's pkg
 * passes; a package the check cannot read is skipped with one note; a dry
 * run reads nothing.
 */

const values = recordedOrderService();
const valuesJson = (v: Record<string, unknown>) =>
  JSON.stringify({ template: 'go-service', version: 1, values: v });

/** services/order-service as the day-2 templates check it out, with its API. */
const service: Record<string, string> = {
  'services/order-service/.golden-path/values.json': valuesJson(values),
  'services/order-service/db/migrations/0001_init.sql':
    'CREATE TABLE orders (id uuid PRIMARY KEY);\n',
  'services/order-service/db/migrations/atlas.sum': 'h1:x\n',
  'api/proto/order/v1/order_service.proto':
    'syntax = "proto3";\nservice OrderService {\n  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);\n}\n',
};

type Run = (
  files: Record<string, string>,
  options: { isDryRun?: boolean; logs?: string[] },
) => Promise<Record<string, any>>;

const inPlan =
  (
    action: { handler(ctx: any): Promise<void> },
    input: Record<string, unknown>,
  ): Run =>
  (files, options) =>
    runPlanAction(
      action,
      { ...service, ...files },
      { service: 'component:default/order-service', ...input },
      options,
    );

/**
 * The upgrade plan against a go-service template directory whose skeletons
 * changed since the service's revision (so there is something to upgrade).
 */
const upgrade: Run = async (files, options) => {
  const s = makeSandbox();
  try {
    const templates = path.join(s.root, 'templates');
    const dir = path.join(templates, 'go-service');
    const main = 'skeleton/services/${{ values.name }}-service/main.go';
    writeFiles(dir, {
      'template.yaml':
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: go-service\n  annotations:\n    golden-path.dev/template-version: '1.0.0'\n",
      [main]: 'package main\n',
    });
    const v1 = currentTemplateVersion(dir);
    storeSnapshot(dir, v1.revision);
    fs.appendFileSync(path.join(dir, main), '// 1.1\n');
    writeFiles(path.join(s.workspace, 'before'), {
      ...service,
      'services/order-service/.golden-path/values.json': JSON.stringify({
        template: 'go-service',
        version: 1,
        templateVersion: v1,
        values,
      }),
      ...files,
    });
    const { ctx, outputs } = actionContext(s.workspace, {
      service: 'component:default/order-service',
      workingDirectory: 'before',
    });
    (ctx as any).templateInfo = {
      entityRef: 'template:default/upgrade-service',
      baseUrl: pathToFileURL(path.join(templates, 'upgrade-service.yaml')).href,
    };
    if (options.isDryRun) Object.assign(ctx, { isDryRun: true });
    const logs = options.logs;
    if (logs)
      (ctx.logger.info as jest.Mock).mockImplementation((line: string) =>
        logs.push(line),
      );
    await createUpgradePlanAction({
      settings: testSettings(),
      reader: mockServices.urlReader.mock(),
      integrations: forgeIntegrations,
    }).handler(ctx);
    expect(outputs.upToDate).toBe(false);
    return outputs;
  } finally {
    s.cleanup();
  }
};

const withoutCheckJwksUrl = withoutFunc(
  'auth/jwt/jwks_url.go',
  'func CheckJWKSURL(',
);
const JWKS_MISSING = 'jwt.CheckJWKSURL in pkg/auth/jwt';

describe.each<
  [string, Run, (rel: string, text: string) => string, string, string]
>([
  [
    'golden-path:job:plan (add-scheduled-job)',
    inPlan(createJobPlanAction(), {
      job: { name: 'expire_orders', schedule: '@hourly', timeout: '1m' },
    }),
    // The first job's stop of the ticks, in the service's gRPC module.
    withoutFunc('job/scheduler.go', 'func (s *Scheduler) StopTicks('),
    'job.Scheduler.StopTicks in pkg/job',
    'add the job',
  ],
  [
    'golden-path:rpc:plan (add-rpc)',
    inPlan(createRpcPlanAction(), {
      rpc: { name: 'FindOrders', kind: 'query', fields: ['customer_id'] },
    }),
    withoutCheckJwksUrl,
    JWKS_MISSING,
    'add the RPC',
  ],
  [
    'golden-path:aggregate:plan (add-aggregate)',
    inPlan(createAggregatePlanAction(), {
      aggregate: {
        name: 'Supplier',
        fields: [{ name: 'title', type: 'string' }],
      },
    }),
    withoutCheckJwksUrl,
    JWKS_MISSING,
    'add the aggregate',
  ],
  [
    'golden-path:upgrade:plan (upgrade-service)',
    upgrade,
    withoutCheckJwksUrl,
    JWKS_MISSING,
    'upgrade the service',
  ],
])('%s against the monorepo’s pkg', (_name, run, older, missing, then) => {
  it('refuses an older pkg in one line naming the service, what it lacks and upgrade-monorepo', async () => {
    const logs: string[] = [];
    await expect(run(templatePkgFiles(older), { logs })).rejects.toThrow(
      `services/order-service needs pkg APIs this monorepo's pkg module lacks (${missing}): its pkg is older than the go-service template; run the upgrade-monorepo template on the monorepo first, then ${then}`,
    );
  });

  it('passes the Go monorepo template’s pkg as it is', async () => {
    const logs: string[] = [];
    await expect(run(templatePkgFiles(), { logs })).resolves.toMatchObject({
      serviceDir: 'services/order-service',
    });
    expect(logs.filter(l => l.includes('pkg APIs'))).toEqual([]);
  });

  it('skips a pkg package it cannot read, with one note, and checks the others', async () => {
    const unreadable = { 'pkg/logger/blob.go': '\u0000binary' };
    const logs: string[] = [];
    await expect(
      run({ ...templatePkgFiles(), ...unreadable }, { logs }),
    ).resolves.toBeDefined();
    expect(logs.filter(l => l.includes('pkg APIs'))).toEqual([
      'the pkg APIs services/order-service calls from pkg/logger were not checked against the monorepo: "pkg/logger/blob.go" is not UTF-8 text; the Go build will tell',
    ]);
    await expect(
      run({ ...templatePkgFiles(older), ...unreadable }, {}),
    ).rejects.toThrow(`lacks (${missing})`);
  });

  it('reads nothing in a dry run: an older pkg is not refused, one note says when it is checked', async () => {
    const logs: string[] = [];
    await expect(
      run(templatePkgFiles(older), { isDryRun: true, logs }),
    ).resolves.toBeDefined();
    expect(logs.filter(l => l.includes('pkg APIs'))).toEqual([
      "dry run: the pkg APIs services/order-service calls are checked against the monorepo's pkg when the template runs",
    ]);
  });
});

describe.each([
  ['add-scheduled-job', 'golden-path:job:plan'],
  ['add-rpc', 'golden-path:rpc:plan'],
  ['add-aggregate', 'golden-path:aggregate:plan'],
  ['add-dependency', 'golden-path:dependency:plan'],
  ['upgrade-service', 'golden-path:upgrade:plan'],
])('templates/%s.yaml', (template, planAction) => {
  const steps: any[] = parse(
    fs.readFileSync(
      path.resolve(__dirname, `../../../../templates/${template}.yaml`),
      'utf8',
    ),
  ).spec.steps;
  const before = '.golden-path-update/before';

  it(`checks out pkg where ${planAction} reads it, locally and from a forge`, () => {
    const plan = steps.find(st => st.action === planAction);
    expect(plan.input.workingDirectory).toBe(before);
    const at = (st: any) => steps.indexOf(st) < steps.indexOf(plan);
    const local = steps.filter(
      st =>
        st.action === 'golden-path:local:checkout' &&
        st.input.targetPath === before &&
        st.input.paths.includes('pkg'),
    );
    expect(local).toHaveLength(1);
    expect(at(local[0])).toBe(true);
    const fetch = steps.filter(
      st =>
        st.action === 'fetch:plain' &&
        st.input.url === '${{ steps.forge.output.treeUrl }}/pkg' &&
        st.input.targetPath === `${before}/pkg`,
    );
    expect(fetch).toHaveLength(1);
    expect(at(fetch[0])).toBe(true);
    expect(fetch[0].if).toBe("${{ parameters.publishTo !== 'local' }}");
  });
});
