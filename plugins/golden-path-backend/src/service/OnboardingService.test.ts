import type { DiscoveryService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InsightsService } from './InsightsService';
import { DefaultOnboardingService } from './OnboardingService';
import { parseEventStream } from './docsBuildProbe';

/*
 * The onboarding service against a real HTTP server standing in for the
 * scaffolder (its task list) and TechDocs (its sync event stream), so the
 * requests, tokens and streams are the ones the real plugins see.
 */
const TEAM: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-x', namespace: 'default' },
  spec: { type: 'team', children: [] },
};
const owned = (e: Omit<Entity, 'apiVersion' | 'relations'>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  ...e,
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-x' }],
});
const SHOP = owned({
  kind: 'System',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: {
      'golden-path.dev/monorepo': 'shop',
      'backstage.io/techdocs-ref': 'dir:.',
      'backstage.io/managed-by-location': 'file:/p/shop/catalog-info.yaml',
    },
  },
  spec: { owner: 'group:default/team-x' },
});
const ORDERS = owned({
  kind: 'Component',
  metadata: {
    name: 'orders-service',
    namespace: 'default',
    annotations: {
      'golden-path.dev/go-service': 'services/orders-service',
      'backstage.io/techdocs-ref': 'dir:.',
      'backstage.io/managed-by-location':
        'file:/p/shop/services/orders-service/catalog-info.yaml',
    },
  },
  spec: { type: 'service', owner: 'group:default/team-x', system: 'shop' },
});

interface StandIn {
  /** TechDocs' answer per entity name: an error message, or undefined (built). */
  docs: Record<string, string | undefined>;
  docsStatus: number;
  docsDelayMs: number;
  scaffolderStatus: number;
  syncs: string[];
  authorizations: string[];
}

let server: Server;
let discovery: DiscoveryService;
let standIn: StandIn;

beforeAll(async () => {
  const app = express();
  app.get('/api/scaffolder/v2/tasks', (req, res) => {
    standIn.authorizations.push(String(req.headers.authorization));
    if (standIn.scaffolderStatus !== 200) {
      res.status(standIn.scaffolderStatus).json({ error: { message: 'no' } });
      return;
    }
    res.json({ tasks: [], totalTasks: 0 });
  });
  app.get('/api/techdocs/sync/:namespace/:kind/:name', async (req, res) => {
    standIn.authorizations.push(String(req.headers.authorization));
    standIn.syncs.push(`${req.params.kind}:${req.params.name}`);
    if (standIn.docsStatus !== 200) {
      res.status(standIn.docsStatus).json({ error: { message: 'no' } });
      return;
    }
    await new Promise(r => setTimeout(r, standIn.docsDelayMs));
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.write(`event: log\ndata: ${JSON.stringify('building')}\n\n`);
    const error = standIn.docs[req.params.name];
    res.end(
      error === undefined
        ? `event: finish\ndata: ${JSON.stringify({ updated: true })}\n\n`
        : `event: error\ndata: ${JSON.stringify(error)}\n\n`,
    );
  });
  server = await new Promise<Server>(resolve => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  discovery = {
    getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
    getExternalBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
  };
});

afterAll(async () => {
  await new Promise(resolve => server.close(resolve));
});

beforeEach(() => {
  standIn = {
    docs: {},
    docsStatus: 200,
    docsDelayMs: 0,
    scaffolderStatus: 200,
    syncs: [],
    authorizations: [],
  };
});

function service(
  options: {
    insights?: InsightsService;
    deny?: boolean;
    withDiscovery?: boolean;
    waitMs?: number;
  } = {},
) {
  const logger = mockServices.logger.mock();
  const getInsights = jest.fn(
    async () =>
      ({
        entityRef: 'component:default/orders-service',
        layers: { violations: [] },
        protos: { files: [] },
        migrations: { environments: [] },
      } as any),
  );
  const onboarding = DefaultOnboardingService.create({
    catalog: catalogServiceMock({ entities: [TEAM, SHOP, ORDERS] }),
    permissions: mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({
          result: options.deny ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
        })) as any,
    }),
    insights: options.insights ?? { getInsights },
    auth: mockServices.auth(),
    logger,
    discovery: options.withDiscovery === false ? undefined : discovery,
    docsBuildProbe: { reuseMs: 60_000, waitMs: options.waitMs ?? 2_000 },
  });
  return { onboarding, logger, getInsights };
}

const TEAM_X = { namespace: 'default', name: 'team-x' };
const credentials = mockCredentials.user('user:default/alice');

describe('DefaultOnboardingService', () => {
  it('reads the team, its entities, the first service’s insights and the runs', async () => {
    const { onboarding, getInsights } = service();
    const result = await onboarding.getTeamOnboarding(TEAM_X, {
      credentials,
    });
    expect(result.teamRef).toBe('group:default/team-x');
    expect(result.steps.find(s => s.id === 'monorepo')).toMatchObject({
      status: 'done',
      entityRefs: ['system:default/shop'],
    });
    expect(getInsights).toHaveBeenCalledWith(ORDERS, { refresh: false });
    expect(result.runs).toEqual([]);
    expect(result.docsBuildFailures).toEqual([]);
    // the scaffolder and TechDocs were called on behalf of the caller
    expect(standIn.authorizations).toHaveLength(3);
    for (const a of standIn.authorizations) {
      expect(a).toMatch(/^Bearer .*user:default\/alice/);
    }
  });

  it('a caller denied the insights: the service is not analysed, and the step says so', async () => {
    const { onboarding, getInsights } = service({ deny: true });
    const result = await onboarding.getTeamOnboarding(TEAM_X, {
      credentials,
    });
    expect(getInsights).not.toHaveBeenCalled();
    expect(JSON.stringify(result.steps)).toContain(
      'you may not read its insights',
    );
  });

  it('an insights failure with a server path: the steps carry a log id instead', async () => {
    const { onboarding, logger } = service({
      insights: {
        getInsights: async () => {
          throw Object.assign(new Error("ENOENT: open '/srv/x'"), {
            syscall: 'open',
          });
        },
      },
    });
    const result = await onboarding.getTeamOnboarding(TEAM_X, {
      credentials,
    });
    expect(JSON.stringify(result)).not.toContain('/srv/');
    expect(JSON.stringify(result.steps)).toMatch(/logId=[0-9a-f]{20}/);
    expect(logger.error).toHaveBeenCalled();
  });

  it('a scaffolder that refuses: runsError names its answer', async () => {
    standIn.scaffolderStatus = 503;
    const result = await service().onboarding.getTeamOnboarding(TEAM_X, {
      credentials,
    });
    expect(result.runs).toBeUndefined();
    expect(result.runsError).toBe(
      'Failed or cancelled onboarding runs could not be read: the scaffolder answered 503 Service Unavailable for /v2/tasks',
    );
  });

  it('names a failed docs build with its source and first lines, and asks TechDocs again only on refresh', async () => {
    standIn.docs['orders-service'] =
      'Config value "nav": Expected a list\n\n  9 | nav: [x\n-----^';
    const { onboarding } = service();
    const first = await onboarding.getTeamOnboarding(TEAM_X, { credentials });
    expect(first.docsBuildFailures).toEqual([
      {
        entityRef: 'component:default/orders-service',
        source: '/p/shop/services/orders-service',
        error: 'Config value "nav": Expected a list',
      },
    ]);
    expect(standIn.syncs.sort()).toEqual([
      'Component:orders-service',
      'System:shop',
    ]);
    // a poll reuses the answer: a failed build is not cached by TechDocs
    await onboarding.getTeamOnboarding(TEAM_X, { credentials });
    expect(standIn.syncs).toHaveLength(2);
    // "Check again": built again, and the fixed docs are no longer named
    delete standIn.docs['orders-service'];
    const again = await onboarding.getTeamOnboarding(TEAM_X, {
      credentials,
      refresh: true,
    });
    expect(standIn.syncs).toHaveLength(4);
    expect(again.docsBuildFailures).toEqual([]);
  });

  it('a build slower than the wait is named on a later request', async () => {
    standIn.docs.shop = 'broken';
    standIn.docsDelayMs = 1000;
    const { onboarding } = service({ waitMs: 50 });
    const first = await onboarding.getTeamOnboarding(TEAM_X, { credentials });
    expect(first.docsBuildFailures).toEqual([]);
    // later requests (polls, as the page makes) name it once the build ended,
    // without building again
    let later = first;
    const deadline = Date.now() + 10_000;
    while (!later.docsBuildFailures?.length && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 100));
      later = await onboarding.getTeamOnboarding(TEAM_X, { credentials });
    }
    expect(later.docsBuildFailures?.map(f => f.entityRef)).toEqual([
      'system:default/shop',
    ]);
    expect(standIn.syncs).toHaveLength(2);
  });

  it('a TechDocs that is not installed: nothing named, a warning logged', async () => {
    standIn.docsStatus = 404;
    const { onboarding, logger } = service();
    const result = await onboarding.getTeamOnboarding(TEAM_X, {
      credentials,
    });
    expect(result.docsBuildFailures).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('TechDocs answered 404 Not Found for /sync'),
    );
  });

  it('without a discovery service neither the scaffolder nor TechDocs is asked', async () => {
    const result = await service({
      withDiscovery: false,
    }).onboarding.getTeamOnboarding(TEAM_X, { credentials });
    expect(result.runs).toBeUndefined();
    expect(result.docsBuildFailures).toBeUndefined();
    expect(standIn.authorizations).toEqual([]);
  });

  it('a team the caller cannot see: only the first step, nothing probed', async () => {
    const result = await service().onboarding.getTeamOnboarding(
      { namespace: 'default', name: 'nobody' },
      { credentials },
    );
    expect(result.steps[0]).toMatchObject({ id: 'team', status: 'open' });
    expect(standIn.syncs).toEqual([]);
  });
});

describe('parseEventStream', () => {
  it('reads event and data lines, multi-line data joined', () => {
    expect(
      parseEventStream(
        'event: log\ndata: "a"\n\nevent: error\ndata: "x"\ndata: "y"\n\n',
      ),
    ).toEqual([
      { event: 'log', data: '"a"' },
      { event: 'error', data: '"x"\n"y"' },
    ]);
  });
});
