import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import type http from 'node:http';
import { sampleInsights } from './__fixtures__/fleetInsights';
import { rawGet, testRouter } from './__testUtils__/router';
import { createFleetRouter } from './fleetRouter';
import { FleetService } from './service/FleetService';
import type { InsightsService } from './service/InsightsService';

/*
 * Percent-encoded paths on every route with an entity reference or a path
 * part: Express decodes a parameter once, so %2e%2e arrives as "..", %2F as
 * "/", and %252e as "%2e" (never decoded a second time). The catalog
 * client puts kind, namespace and name into its URL path, where ".." is not
 * escaped and climbs to another catalog route (by-name/../by-uid/x is
 * by-uid/x); each such value is refused with 400 in one line before the
 * catalog is asked. Requests go out raw (rawGet): a WHATWG URL would
 * normalize %2e%2e itself and test nothing.
 */
const SERVICE = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'order-service',
    namespace: 'default',
    annotations: {
      'golden-path.dev/go-service': 'services/order-service',
      'backstage.io/source-location': 'url:https://example.com/acme/shop/',
      'backstage.io/managed-by-location':
        'url:https://example.com/acme/shop/catalog-info.yaml',
    },
  },
  spec: { type: 'service', owner: 'group:default/team', lifecycle: 'x' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team' }],
};

let server: http.Server;
let getEntityByRef: jest.SpyInstance;

beforeAll(async () => {
  const logger = mockServices.logger.mock();
  const catalog = catalogServiceMock({ entities: [SERVICE] });
  getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
  const permissions = mockServices.permissions();
  const insights: InsightsService = {
    getInsights: async () => sampleInsights() as any,
  };
  const httpAuth = mockServices.httpAuth({
    defaultCredentials: mockCredentials.user(),
  });
  const router = await testRouter({
    httpAuth,
    catalog,
    permissions,
    insights,
    logger,
  });
  const fleet = await createFleetRouter({
    httpAuth,
    fleet: new FleetService(
      {
        catalog,
        permissions,
        insights,
        urlReader: mockServices.urlReader.mock({
          readUrl: async () => {
            throw new NotFoundError('no values.json');
          },
        }),
        logger,
      },
      { ttlMs: 60_000, environments: ['dev'], localRoots: [] },
    ),
    logger,
  });
  const a = express();
  a.use('/api/golden-path', fleet, router);
  server = a.listen(0, '127.0.0.1');
  await new Promise(r => server.once('listening', r));
});

afterAll(() => new Promise(r => server.close(r)));

describe('bad input: percent-encoded paths on the golden-path routes', () => {
  beforeEach(() => getEntityByRef.mockClear());

  it('answers a plain reference (the control)', async () => {
    const res = await rawGet(
      server,
      '/api/golden-path/entities/component/default/order-service/insights/layers',
    );
    expect(res.status).toBe(200);
    expect(getEntityByRef).toHaveBeenCalledTimes(1);
  });

  it.each([
    [
      'kind %2e%2e climbing to the catalog by-uid route',
      '/entities/%2e%2e/by-uid/0b7e/insights',
      'kind ".." is not an entity kind',
    ],
    [
      'namespace %2E%2E',
      '/entities/component/%2E%2E/order-service/insights',
      'namespace ".." is not an entity namespace',
    ],
    [
      'name ..%2F..%2Fetc (one decode: ../../etc)',
      '/entities/component/default/..%2F..%2Fetc/insights',
      'name "../../etc" is not an entity name',
    ],
    [
      'name %2e%2e%2f on a part route',
      '/entities/component/default/%2e%2e%2f/insights/protos',
      'name "../" is not an entity name',
    ],
    [
      'a slash %2F inside the name',
      '/entities/component/default/order%2Fservice/insights',
      'name "order/service" is not an entity name',
    ],
    [
      'double encoding %252e%252e (decoded once, to %2e%2e)',
      '/entities/component/default/%252e%252e/insights',
      'name "%2e%2e" is not an entity name',
    ],
    [
      'a NUL byte %00',
      '/entities/component/default/order%00/insights',
      'name "order\\u0000" is not an entity name',
    ],
    [
      'onboarding namespace and name %2e%2e',
      '/onboarding/%2e%2e/%2e%2e',
      'namespace ".." is not an entity namespace',
    ],
    [
      'onboarding name %2F',
      '/onboarding/default/a%2F..%2Fb',
      'name "a/../b" is not an entity name',
    ],
    ['fleet team ..%2F..%2Fx', '/fleet?team=..%2F..%2Fx', 'team: '],
    [
      'fleet team with a double-encoded name',
      '/fleet?team=group%3Adefault%2F%252e%252e',
      'team: name "%2e%2e" is not an entity name',
    ],
    [
      'fleet system %2e%2e',
      '/fleet?system=system%3Adefault%2F%2e%2e',
      'system: name ".." is not an entity name',
    ],
  ])('%s: 400 in one line, the catalog not asked', async (_l, p, message) => {
    const res = await rawGet(server, `/api/golden-path${p}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
    expect(res.body.error.message).not.toContain('\n');
    expect(getEntityByRef).not.toHaveBeenCalled();
  });

  it('an unknown part %2e%2e is a 404 naming the parts', async () => {
    const res = await rawGet(
      server,
      '/api/golden-path/entities/component/default/order-service/insights/%2e%2e',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'Unknown insights part ".."; use layers, protos, migrations',
    );
  });
});
