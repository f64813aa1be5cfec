import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { CatalogClient } from '@backstage/catalog-client';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import fs from 'node:fs';
import { Client } from 'pg';
import request from 'supertest';
import { testRouter } from './__testUtils__/router';
import type { InsightsService } from './service/InsightsService';

/*
 * The router under supertest: whatever an insights request fails with, the
 * client gets Backstage's error body without a stack trace (whatever
 * NODE_ENV says) and without a server path; internal errors are logged with
 * a log id and answered with the id alone. The failures are real: a file
 * read the file system refuses, a database the local PostgreSQL does not
 * have, a thrown string. A handler after the router stands in for
 * Backstage's root error handler in development, which adds the stack: it
 * must never be reached.
 */
const ADMIN =
  process.env.GOLDEN_PATH_TEST_PG ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const SERVER_PATH = '/srv/golden-path-secret-checkout/services/x/go.mod';
/** A backend service's address, where nothing listens. */
const INTERNAL_URL = 'http://127.0.0.1:9/api/catalog';

const SERVICE = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'order-service',
    namespace: 'default',
    annotations: { 'golden-path.dev/go-service': 'services/order-service' },
  },
  spec: { type: 'service', owner: 'group:default/team', lifecycle: 'x' },
};

async function databaseError(): Promise<unknown> {
  const u = new URL(ADMIN);
  u.pathname = '/gp_no_such_database_for_error_test';
  const c = new Client({ connectionString: u.toString() });
  try {
    await c.connect();
    return new Error('connected to a database that should not exist');
  } catch (e) {
    return e;
  } finally {
    await c.end().catch(() => {});
  }
}

async function app(failure: () => Promise<never>) {
  const logger = mockServices.logger.mock();
  const insights: InsightsService = { getInsights: failure };
  const router = await testRouter({
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.none(),
    }),
    catalog: catalogServiceMock({ entities: [SERVICE] }),
    permissions: mockServices.permissions(),
    insights,
    logger,
  });
  const a = express();
  a.use(router);
  const reachedRoot = jest.fn();
  a.use(
    (
      e: Error,
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      reachedRoot();
      res.status(500).json({ error: { message: e.message, stack: e.stack } });
    },
  );
  return { a, logger, reachedRoot };
}

describe('insights error responses', () => {
  it.each([
    [
      'a file-system error (its message names the path)',
      async () => {
        await fs.promises.readFile(SERVER_PATH);
        throw new Error('unreachable');
      },
    ],
    [
      'a database error',
      async () => {
        throw await databaseError();
      },
    ],
    [
      'a request to a backend service that failed (its message names the URL)',
      async () => {
        // Backstage's own clients (node-fetch) say "request to <url> failed, reason: …"
        const client = new CatalogClient({
          discoveryApi: { getBaseUrl: async () => INTERNAL_URL },
        });
        await client.getEntityByRef('component:default/x');
        throw new Error('unreachable');
      },
    ],
    [
      'a thrown string',
      async () => {
        // eslint-disable-next-line no-throw-literal
        throw `failed at ${SERVER_PATH}`;
      },
    ],
  ])(
    '%s: 500 with a log id only, the error in the log',
    async (_label, failure) => {
      const { a, logger, reachedRoot } = await app(failure as any);
      const res = await request(a)
        .get('/entities/component/default/order-service/insights')
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(500);
      expect(res.body.error.message).toMatch(
        /^An internal error occurred; the backend log has it under logId=[0-9a-f]{20}$/,
      );
      expect(res.body.error.stack).toBeUndefined();
      expect(res.body.response).toEqual({ statusCode: 500 });
      expect(JSON.stringify(res.body)).not.toContain('/srv/');
      expect(JSON.stringify(res.body)).not.toContain('gp_no_such_database');
      expect(JSON.stringify(res.body)).not.toContain('127.0.0.1:9');
      expect(reachedRoot).not.toHaveBeenCalled();
      const logId = /logId=(\w+)/.exec(res.body.error.message)![1];
      expect(logger.error).toHaveBeenCalledWith(
        `golden-path: internal error, logId=${logId}`,
        expect.anything(),
      );
    },
  );

  it('a typed error keeps its status and message, without a stack', async () => {
    const { a, reachedRoot } = await app(async () => {
      throw new NotFoundError('dir: source location "/x" was not found');
    });
    const res = await request(a)
      .get('/entities/component/default/order-service/insights')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: {
        name: 'NotFoundError',
        message: 'dir: source location "/x" was not found',
      },
      request: {
        method: 'GET',
        url: '/entities/component/default/order-service/insights',
      },
      response: { statusCode: 404 },
    });
    expect(reachedRoot).not.toHaveBeenCalled();
  });

  it('a request without credentials: 401 without a stack', async () => {
    const { a } = await app(async () => {
      throw new Error('not called');
    });
    const res = await request(a).get(
      '/entities/component/default/order-service/insights',
    );
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('AuthenticationError');
    expect(res.body.error.stack).toBeUndefined();
  });

  it('the onboarding steps carry the log id, not the path, of an internal error', async () => {
    const team = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team', namespace: 'default' },
      spec: { type: 'team', children: [] },
    };
    const catalog = catalogServiceMock({
      entities: [
        team,
        {
          ...SERVICE,
          relations: [{ type: 'ownedBy', targetRef: 'group:default/team' }],
        },
      ],
    });
    const insights: InsightsService = {
      getInsights: async () => {
        await fs.promises.readFile(SERVER_PATH);
        throw new Error('unreachable');
      },
    };
    const router = await testRouter({
      catalog,
      permissions: mockServices.permissions(),
      insights,
    });
    const a = express().use(router);
    const res = await request(a)
      .get('/onboarding/default/team')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('/srv/');
    expect(JSON.stringify(res.body)).toMatch(/logId=[0-9a-f]{20}/);
  });
});
