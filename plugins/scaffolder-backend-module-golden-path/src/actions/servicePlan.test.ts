import fs from 'node:fs';
import path from 'node:path';
import {
  actionContext,
  makeSandbox,
  testSettings,
} from '../__testUtils__/context';
import { commitAll, teamGit } from '../__testUtils__/git';
import { parse } from 'yaml';
import { createServicePlanAction } from './servicePlan';
import { examples } from './servicePlan.examples';

const values = {
  name: 'order',
  aggregate: 'Order',
  stage: 'mvp',
  pkgModule: 'github.com/acme/go-pkg',
  fields: [{ name: 'customer_id', type: 'uuid' }],
};
const job = { name: 'expire_orders', schedule: '0 */5 * * * *', timeout: '1m' };

function setup() {
  const box = makeSandbox();
  const root = path.join(box.root, 'repos');
  fs.mkdirSync(path.join(root, 'shop/services/payment-service'), {
    recursive: true,
  });
  fs.writeFileSync(path.join(root, 'shop/go.work'), 'go 1.26.0\n');
  fs.mkdirSync(path.join(root, 'plain'));
  commitAll(path.join(root, 'shop'));
  return {
    box,
    action: createServicePlanAction({
      settings: testSettings({ localRoots: [root] }),
    }),
  };
}

describe('golden-path:service:plan', () => {
  it('accepts a new service in a local monorepo', async () => {
    const { box, action } = setup();
    const { ctx, outputs } = actionContext(box.workspace, {
      ...values,
      localPath: 'shop',
    });
    await action.handler(ctx);
    expect(outputs).toEqual({
      serviceName: 'order-service',
      protoPackage: 'order.v1',
      aggregatePlural: 'Orders',
      table: 'orders',
      finalStates: [],
      dependencies: [],
    });
    box.cleanup();
  });

  it.each(examples.map(e => [e.description, parse(e.example).steps[0].input]))(
    'runs the example: %s',
    async (_d, input) => {
      const { box, action } = setup();
      const { ctx, outputs } = actionContext(box.workspace, input);
      await action.handler(ctx);
      expect(outputs.protoPackage).toBe('order.v1');
      box.cleanup();
    },
  );

  it.each([
    ['LedgerEntry', undefined, 'LedgerEntries', 'ledger_entries'],
    ['Person', '', 'People', 'people'],
    ['Analysis', undefined, 'Analyses', 'analyses'],
    ['Index', 'Indexes', 'Indexes', 'indexes'],
  ])(
    'names %s (plural %j) %s in table %s',
    async (aggregate, aggregatePlural, plural, table) => {
      const { box, action } = setup();
      const { ctx, outputs } = actionContext(box.workspace, {
        ...values,
        aggregate,
        aggregatePlural,
      });
      await action.handler(ctx);
      expect(outputs).toMatchObject({ aggregatePlural: plural, table });
      box.cleanup();
    },
  );

  it('outputs the final states: given, else the states no transition leaves', async () => {
    const { box, action } = setup();
    const sm = {
      states: ['open', 'paid', 'void'],
      transitions: [
        { name: 'pay', from: 'open', to: 'paid' },
        { name: 'cancel', from: 'open', to: 'void' },
      ],
    };
    const run = async (patch: object) => {
      const { ctx, outputs } = actionContext(box.workspace, {
        ...values,
        ...sm,
        ...patch,
      });
      await action.handler(ctx);
      return outputs.finalStates;
    };
    expect(await run({})).toEqual(['paid', 'void']);
    expect(await run({ finalStates: ['void'] })).toEqual(['void']);
    await expect(run({ finalStates: ['closed'] })).rejects.toThrow(
      'finalStates[0] "closed" is not one of the states (open, paid, void)',
    );
    box.cleanup();
  });

  it('accepts a service with scheduled jobs', async () => {
    const { box, action } = setup();
    const jobs = [
      job,
      {
        name: 'nightly_report',
        schedule: 'CRON_TZ=Europe/Paris 0 30 3 * * *',
        timeout: '23h',
      },
    ];
    const { ctx, outputs } = actionContext(box.workspace, {
      ...values,
      jobs,
      localPath: 'shop',
    });
    await action.handler(ctx);
    expect(outputs.serviceName).toBe('order-service');
    box.cleanup();
  });

  it('refuses a local monorepo that is not a git repository, or has no branch checked out, in one line', async () => {
    const { box, action } = setup();
    const repos = path.join(box.root, 'repos');
    const git = teamGit(path.join(repos, 'shop'));
    git('checkout', '-q', '--detach');
    await expect(
      action.handler(
        actionContext(box.workspace, { ...values, localPath: 'shop' }).ctx,
      ),
    ).rejects.toThrow(
      /^shop \(under the local publish root\) has no branch checked out \(a detached HEAD at [0-9a-f]{12}\): check out the branch the service should land on$/,
    );
    fs.rmSync(path.join(repos, 'shop/.git'), { recursive: true });
    await expect(
      action.handler(
        actionContext(box.workspace, { ...values, localPath: 'shop' }).ctx,
      ),
    ).rejects.toThrow(
      "shop (under the local publish root) is not a git repository: a new service lands as a commit of the monorepo's repository; run git init and commit the monorepo there first",
    );
    box.cleanup();
  });

  it.each([
    [
      { name: 'payment', localPath: 'shop' },
      'services/payment-service already exists in shop: pick another service name',
    ],
    [
      { localPath: 'plain' },
      'localPath "plain" is not a monorepo made by the Go monorepo template',
    ],
    [{ localPath: '../outside' }, 'localPath'],
    [{ name: 'func' }, 'name "func" is reserved'],
    [{ fields: [{ name: 'level', type: 'enum' }] }, 'an enum needs values'],
    [
      { jobs: [{ ...job, schedule: '0 61 * * * *' }] },
      'jobs[0] "expire_orders": schedule "0 61 * * * *": end of range (61) above maximum (59): 61',
    ],
    [{ jobs: [{ ...job, schedule: '@every 1m' }] }, '@every is not supported'],
    [
      { jobs: [job, { ...job, timeout: '30s' }] },
      'jobs[1] "expire_orders": job names must be unique; expire_orders is also jobs[0]',
    ],
    [
      { jobs: [{ ...job, name: 'range' }] },
      'jobs[0] "range": range is a Go keyword',
    ],
    [
      { jobs: [{ ...job, name: 'order' }] },
      'its package orderuc is the package of the Order use cases',
    ],
    [
      { jobs: [{ ...job, timeout: '6m' }] },
      'jobs[0] "expire_orders": timeout 6m is longer than 5m0s, the shortest interval of schedule "0 */5 * * * *", so runs could overlap',
    ],
    [
      { jobs: [{ ...job, timeout: '1h30m' }] },
      'timeout "1h30m" must be a Go duration in one unit',
    ],
    [
      { aggregate: 'JobRun', jobs: [job] },
      'JobRun, JobRunStatus would clash with the job API',
    ],
    [
      { aggregate: 'Sheep' },
      'aggregate "Sheep": its plural is the same word (Sheep)',
    ],
    [
      { aggregatePlural: 'Order' },
      'aggregatePlural "Order" is the aggregate itself',
    ],
    [
      { rpcTimeout: '0s' },
      'rpcTimeout "0s" must be a Go duration in one unit from 100ms to 1h',
    ],
  ])('refuses %j', async (patch, message) => {
    const { box, action } = setup();
    await expect(
      action.handler(actionContext(box.workspace, { ...values, ...patch }).ctx),
    ).rejects.toThrow(message);
    expect(fs.readdirSync(box.workspace)).toEqual([]);
    box.cleanup();
  });
});

describe("the local monorepo's pkg module", () => {
  const templatePkg = path.resolve(
    __dirname,
    '../../../../templates/go-monorepo/skeleton/pkg',
  );
  /** shop with the Go monorepo template's pkg, CheckJWKSURL removed when `older`. */
  function withPkg(older: boolean) {
    const s = setup();
    const pkg = path.join(s.box.root, 'repos/shop/pkg');
    fs.cpSync(templatePkg, pkg, { recursive: true });
    if (older) {
      const file = path.join(pkg, 'auth/jwt/jwks_url.go');
      const text = fs.readFileSync(file, 'utf8');
      const start = text.indexOf('func CheckJWKSURL(');
      const end = text.indexOf('\n}\n', start) + 3;
      fs.writeFileSync(file, text.slice(0, start) + text.slice(end));
    }
    commitAll(path.join(s.box.root, 'repos/shop'));
    return s;
  }

  it('refuses an older pkg in one line, before anything is written', async () => {
    const { box, action } = withPkg(true);
    const { ctx } = actionContext(box.workspace, {
      ...values,
      localPath: 'shop',
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      "services/order-service needs pkg APIs this monorepo's pkg module lacks (jwt.CheckJWKSURL in pkg/auth/jwt): its pkg is older than the go-service template; run the upgrade-monorepo template on shop first, then create the service",
    );
    expect(fs.readdirSync(box.workspace)).toEqual([]);
    box.cleanup();
  });

  it("accepts the template's pkg", async () => {
    const { box, action } = withPkg(false);
    const { ctx, outputs } = actionContext(box.workspace, {
      ...values,
      jobs: [job],
      localPath: 'shop',
    });
    await action.handler(ctx);
    expect(outputs.serviceName).toBe('order-service');
    box.cleanup();
  });

  it('is not read in a dry run: the answer tells nothing of the monorepo', async () => {
    const { box, action } = withPkg(true);
    const { ctx } = actionContext(box.workspace, {
      ...values,
      localPath: 'shop',
    });
    Object.assign(ctx, { isDryRun: true });
    await action.handler(ctx);
    const logged = JSON.stringify((ctx.logger.info as jest.Mock).mock.calls);
    expect(logged).not.toMatch(/CheckJWKSURL|pkg APIs/);
    box.cleanup();
  });
});
