import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import request from 'supertest';
import { sampleInsights } from './__fixtures__/fleetInsights';
import { createFleetRouter } from './fleetRouter';
import { FleetService } from './service/FleetService';

const service = (name: string, team: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'golden-path.dev/go-service': `services/${name}`,
      'backstage.io/source-location': `url:https://example.com/acme/${name}/`,
      'backstage.io/managed-by-location': `url:https://example.com/acme/${name}/catalog-info.yaml`,
    },
  },
  spec: { type: 'service', owner: team, lifecycle: 'x' },
  relations: [{ type: 'ownedBy', targetRef: team }],
});

async function app(credentials = mockCredentials.user()) {
  const logger = mockServices.logger.mock();
  const fleet = new FleetService(
    {
      catalog: catalogServiceMock({
        entities: [
          service('a-service', 'group:default/team-a'),
          service('b-service', 'group:default/team-b'),
        ],
      }),
      permissions: mockServices.permissions(),
      insights: { getInsights: async () => sampleInsights() },
      urlReader: mockServices.urlReader.mock({
        readUrl: async () => {
          throw new NotFoundError('no values.json');
        },
      }),
      logger,
    },
    { ttlMs: 60_000, environments: ['dev'], localRoots: [] },
  );
  const router = await createFleetRouter({
    httpAuth: mockServices.httpAuth({ defaultCredentials: credentials }),
    fleet,
    logger,
  });
  const a = express();
  a.use(router);
  return { app: a, fleet };
}

describe('GET /fleet', () => {
  it('lists the services, pending first, analysed once the analyses ran', async () => {
    const { app: a, fleet } = await app();
    const first = await request(a).get('/fleet');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 2, pending: 2 });
    await fleet.idle();
    const second = await request(a).get('/fleet');
    expect(second.body.pending).toBe(0);
    expect(second.body.items[0]).toMatchObject({
      name: 'a-service',
      status: 'analysed',
      dependencyViolations: 1,
      upgradeBranches: [],
    });
    expect(second.body.items[0].template).toBeUndefined();
  });

  it('filters by team, given as a short name', async () => {
    const { app: a } = await app();
    const res = await request(a).get('/fleet?team=team-b');
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.name)).toEqual(['b-service']);
  });

  it('refuses a bad filter with one line, 400', async () => {
    const { app: a } = await app();
    const res = await request(a).get('/fleet?team=a&team=b');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message:
        'team: give one group reference, e.g. team=platform-team or group:default/…',
    });
    const kind = await request(a).get('/fleet?system=group:default/x');
    expect(kind.status).toBe(400);
    expect(kind.body.error.message).toBe(
      'system "group:default/x" is a group, not a system',
    );
  });

  it('refuses an anonymous caller, 401', async () => {
    const { app: a } = await app(mockCredentials.none() as any);
    const res = await request(a).get('/fleet');
    expect(res.status).toBe(401);
    expect(res.body.error.stack).toBeUndefined();
  });
});
