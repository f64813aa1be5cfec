import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import type { Server } from 'node:http';
import Router from 'express-promise-router';
import request from 'supertest';
import { goldenPathPlugin } from './plugin';

/*
 * The onboarding route on a test backend, for what the Golden Path page must
 * explain: a catalog that is down (a 500 carrying the catalog's message), a
 * team the caller may not see (its first step open, saying so), and a
 * scaffolder that refuses to list runs (the steps still come, with runsError).
 * A stand-in scaffolder plugin answers the task list; the real one is
 * exercised by e2e/onboard-team.test.mjs.
 */
const ALICE = 'user:default/alice';
const TEAM = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-x', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

function scaffolderStandIn(status: number) {
  return createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          const router = Router();
          router.get('/v2/tasks', (_req, res) => {
            if (status === 200) res.json({ tasks: [], totalTasks: 0 });
            else res.status(status).json({ error: { message: 'no' } });
          });
          httpRouter.use(router);
        },
      });
    },
  });
}

async function start(options: {
  catalogDown?: boolean;
  scaffolderStatus?: number;
}) {
  const catalog = catalogServiceMock.mock({
    getEntityByRef: async (_ref, opts) => {
      if (options.catalogDown)
        throw new Error('connect ECONNREFUSED 10.0.0.9:5432');
      const principal = (opts as any)?.credentials?.principal;
      return principal?.userEntityRef === ALICE ? (TEAM as any) : undefined;
    },
    getEntities: async () => ({ items: [] }),
  });
  const backend = await startTestBackend({
    features: [
      goldenPathPlugin,
      scaffolderStandIn(options.scaffolderStatus ?? 200),
      catalog.factory,
      mockServices.rootConfig.factory({
        data: { goldenPath: { insights: { localRoots: [] } } },
      }),
    ],
  });
  return backend;
}

describe('GET /api/golden-path/onboarding/:namespace/:name', () => {
  let server: Server;
  let stop: () => Promise<void>;
  afterEach(async () => stop?.());

  const get = (user = ALICE) =>
    request(server)
      .get('/api/golden-path/onboarding/default/team-x')
      .set('Authorization', mockCredentials.user.header(user));

  it('a catalog that is down: 500 with the catalog’s message', async () => {
    ({ server, stop } = await start({ catalogDown: true }).then(b => ({
      server: b.server,
      stop: () => b.stop(),
    })));
    const res = await get();
    expect(res.status).toBe(500);
    expect(res.body.error.message).toBe('connect ECONNREFUSED 10.0.0.9:5432');
  });

  it('a team the caller may not see: only the first step is open, and it says why', async () => {
    ({ server, stop } = await start({}).then(b => ({
      server: b.server,
      stop: () => b.stop(),
    })));
    const res = await get('user:default/mallory');
    expect(res.status).toBe(200);
    expect(res.body.steps[0]).toMatchObject({
      id: 'team',
      status: 'open',
      message:
        'No Group group:default/team-x that you can see: create it with the onboarding template, or ask for access.',
    });
    expect(res.body.done).toBe(0);
  });

  it('a scaffolder that refuses the task list: the steps, and runsError naming the answer', async () => {
    ({ server, stop } = await start({ scaffolderStatus: 503 }).then(b => ({
      server: b.server,
      stop: () => b.stop(),
    })));
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body.steps[0].status).toBe('done');
    expect(res.body.runs).toBeUndefined();
    expect(res.body.runsError).toBe(
      'Failed or cancelled onboarding runs could not be read: the scaffolder answered 503 Service Unavailable for /v2/tasks',
    );
  });

  it('a scaffolder with no runs of this team: an empty list', async () => {
    ({ server, stop } = await start({ scaffolderStatus: 200 }).then(b => ({
      server: b.server,
      stop: () => b.stop(),
    })));
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body.runsError).toBeUndefined();
    expect(res.body.runs).toEqual([]);
  });
});
