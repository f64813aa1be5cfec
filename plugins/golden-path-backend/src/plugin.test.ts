import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { GoServiceInsights } from '@golden-path/plugin-golden-path-common';
import type { Server } from 'node:http';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { goldenPathPlugin } from './plugin';

/*
 * The whole plugin on a test backend: the real router, service and analyses
 * over the fixture monorepo of the -node package, a catalog that shows the
 * entity to alice only, a permission policy that denies bob, and migration
 * environments on the local PostgreSQL (127.0.0.1:5432, trust auth): one
 * healthy, one whose revisions table is locked, one unreachable.
 */
const FIXTURES = path.resolve(__dirname, '__fixtures__');
const MONOREPO = path.join(FIXTURES, 'monorepo');
const ADMIN =
  process.env.GOLDEN_PATH_TEST_PG ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const DB_OK = `gp_insights_test_ok_${suffix}`;
const DB_LOCKED = `gp_insights_test_locked_${suffix}`;
const dbUrl = (db: string) => {
  const u = new URL(ADMIN);
  u.pathname = `/${db}`;
  return u.toString();
};

const ATLAS_DDL = `
CREATE SCHEMA "atlas_schema_revisions";
CREATE TABLE "atlas_schema_revisions"."atlas_schema_revisions" ("version" character varying NOT NULL, "description" character varying NOT NULL, "type" bigint NOT NULL DEFAULT 2, "applied" bigint NOT NULL DEFAULT 0, "total" bigint NOT NULL DEFAULT 0, "executed_at" timestamptz NOT NULL, "execution_time" bigint NOT NULL, "error" text NULL, "error_stmt" text NULL, "hash" character varying NOT NULL, "partial_hashes" jsonb NULL, "operator_version" character varying NOT NULL, PRIMARY KEY ("version"));
INSERT INTO atlas_schema_revisions.atlas_schema_revisions (version, description, type, applied, total, executed_at, execution_time, hash, operator_version) VALUES
  ('20250101000000', 'create_orders', 2, 1, 1, now(), 1000000, 'gnoVLiGXmXnrvnaaHcjXgHSiBFiEz3B2DXQiyiPvRSE=', 'Atlas CLI'),
  ('20250102000000', 'add_status', 2, 2, 2, now(), 1000000, '+YalWuWFEdx6N5MlXAdSRXZAyfuVbeiJRoYrdpIwDsw=', 'Atlas CLI');
`;

const entity = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/team',
  },
});

const ORDER = entity('order-service', {
  'golden-path.dev/go-service': 'services/order-service',
  'backstage.io/source-location': `dir:${MONOREPO}/`,
  'backstage.io/managed-by-location': `file:${MONOREPO}/catalog-info.yaml`,
});
const OUTSIDE = entity('outside-service', {
  'golden-path.dev/go-service': 'services/order-service',
  'backstage.io/source-location': 'dir:/etc/',
});
const MISSING = entity('missing-service', {
  'golden-path.dev/go-service': 'services/order-service',
  'backstage.io/source-location': `dir:${FIXTURES}/no-such-monorepo/`,
});
const OUTSIDE_MISSING = entity('outside-missing-service', {
  'golden-path.dev/go-service': 'services/order-service',
  'backstage.io/source-location': 'dir:/no-such-directory-on-this-server/',
});
const ESCAPING = entity('escaping-service', {
  'golden-path.dev/go-service': 'services/order-service',
  'backstage.io/source-location': `dir:${FIXTURES}/../../../../../../etc/`,
});
const NOT_GO = entity('website', {
  'backstage.io/source-location': `dir:${MONOREPO}/`,
  'backstage.io/managed-by-location': `file:${MONOREPO}/catalog-info.yaml`,
});
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

describe('golden-path insights backend', () => {
  let server: Server;
  let admin: Client;
  let holder: Client;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    admin = new Client({ connectionString: ADMIN });
    await admin.connect();
    for (const db of [DB_OK, DB_LOCKED]) {
      await admin.query(`CREATE DATABASE "${db}"`);
      const c = new Client({ connectionString: dbUrl(db) });
      await c.connect();
      await c.query(ATLAS_DDL);
      await c.end();
    }
    // hold an exclusive lock on the locked database's revisions table for the whole suite
    holder = new Client({ connectionString: dbUrl(DB_LOCKED) });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(
      'LOCK TABLE atlas_schema_revisions.atlas_schema_revisions IN ACCESS EXCLUSIVE MODE',
    );

    const catalog = catalogServiceMock.mock({
      getEntityByRef: async (ref, options) => {
        const credentials = (
          options as { credentials?: BackstageCredentials } | undefined
        )?.credentials;
        const principal = (credentials?.principal ?? {}) as {
          userEntityRef?: string;
          type?: string;
        };
        const visible = [
          ORDER,
          OUTSIDE,
          MISSING,
          OUTSIDE_MISSING,
          ESCAPING,
          NOT_GO,
        ];
        const canSee =
          principal.userEntityRef === ALICE ||
          principal.userEntityRef === BOB ||
          principal.type === 'service';
        const r = ref as { kind: string; namespace?: string; name: string };
        return canSee
          ? visible.find(
              e =>
                e.metadata.name === r.name &&
                r.kind.toLowerCase() === 'component',
            )
          : undefined;
      },
    });
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) => {
        const principal = options?.credentials.principal as {
          userEntityRef?: string;
        };
        const result =
          principal?.userEntityRef === BOB
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW;
        return requests.map(() => ({ result }));
      },
    });

    const backend = await startTestBackend({
      features: [
        goldenPathPlugin,
        catalog.factory,
        permissions.factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            goldenPath: {
              insights: {
                cacheTtl: '1m',
                // every ?refresh=true below analyses again (and waits on the locked database)
                refreshMinInterval: '0s',
                localRoots: [FIXTURES],
                migrations: {
                  timeouts: { connect: '2s', statement: '2s', lock: '300ms' },
                  environments: [
                    { name: 'dev', url: dbUrl(DB_OK) },
                    { name: 'staging', url: dbUrl(DB_LOCKED) },
                    {
                      name: 'prod',
                      connection: {
                        host: '127.0.0.1',
                        port: 1,
                        user: 'ro',
                        password: 'pw-secret',
                        database: '{db}',
                      },
                    },
                    {
                      name: 'other-team',
                      url: dbUrl(DB_OK),
                      entityFilter: ['component:default/payment-*'],
                    },
                  ],
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await holder?.query('ROLLBACK').catch(() => {});
    await holder?.end();
    for (const db of [DB_OK, DB_LOCKED])
      await admin?.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin?.end();
  });

  const get = (url: string, user?: string) => {
    const r = request(server).get(`/api/golden-path${url}`);
    return user ? r.set('Authorization', mockCredentials.user.header(user)) : r;
  };

  it('refuses requests without credentials (401)', async () => {
    const res = await get('/entities/component/default/order-service/insights');
    expect(res.status).toBe(401);
  });

  it('answers 404 for an entity the caller may not see', async () => {
    const res = await get(
      '/entities/component/default/order-service/insights',
      'user:default/mallory',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
  });

  it('answers 403 when the permission policy denies golden-path.insights.read', async () => {
    const res = await get(
      '/entities/component/default/order-service/insights',
      BOB,
    );
    expect(res.status).toBe(403);
  });

  it('returns layers, protos and migrations, with a per-environment status, despite a locked and an unreachable database', async () => {
    const start = Date.now();
    const res = await get(
      '/entities/component/default/order-service/insights',
      ALICE,
    );
    expect(res.status).toBe(200);
    expect(Date.now() - start).toBeLessThan(5000);
    const body = res.body as GoServiceInsights;
    expect(body.entityRef).toBe('component:default/order-service');
    expect(body.source).toMatchObject({
      location: `dir:${MONOREPO}/`,
      serviceDir: 'services/order-service',
      problems: [],
    });
    expect(body.layers.modulePath).toBe(
      'github.com/acme/shop/services/order-service',
    );
    expect(body.layers.violations).toHaveLength(3);
    expect(body.protos.files.map(f => f.path)).toEqual([
      'api/proto/order/v1/order_service.proto',
    ]);
    expect(body.protos.files[0].services[0].rpcs).toHaveLength(4);
    expect(body.migrations.sum.status).toBe('ok');
    expect(body.migrations.files).toHaveLength(4);

    const envs = Object.fromEntries(
      body.migrations.environments.map(e => [e.name, e]),
    );
    expect(Object.keys(envs).sort()).toEqual(['dev', 'prod', 'staging']); // other-team filters this entity out
    expect(envs.dev).toMatchObject({
      status: 'pending',
      currentVersion: '20250102000000',
    });
    expect(envs.dev.versions.map(v => [v.version, v.state])).toEqual([
      ['20250101000000', 'applied'],
      ['20250102000000', 'applied'],
      ['20250103000000', 'pending'],
      ['20250104000000', 'pending'],
    ]);
    expect(envs.staging).toMatchObject({
      status: 'error',
      message: expect.stringContaining('lock_timeout'),
    });
    expect(envs.prod).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^cannot connect/),
    });
    expect(JSON.stringify(body)).not.toContain('pw-secret');
  });

  it('serves the parts separately, from the cache', async () => {
    const res = await get(
      '/entities/component/default/order-service/insights/protos',
      ALICE,
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([
      'entityRef',
      'generatedAt',
      'protos',
      'source',
    ]);
    const again = await get(
      '/entities/component/default/order-service/insights/layers',
      ALICE,
    );
    expect(again.body.generatedAt).toBe(res.body.generatedAt);
    expect(
      (
        await get(
          '/entities/component/default/order-service/insights/nope',
          ALICE,
        )
      ).status,
    ).toBe(404);
  });

  it('answers another request alongside one that waits on the locked database (timings: badInput.test.ts)', async () => {
    const [slow, fast] = await Promise.all([
      get(
        '/entities/component/default/order-service/insights?refresh=true',
        ALICE,
      ),
      get('/entities/component/default/website/insights', ALICE),
    ]);
    expect(slow.status).toBe(200);
    expect(fast.status).toBe(400);
  });

  it('refuses an entity that is not a Go service (400)', async () => {
    const res = await get(
      '/entities/component/default/website/insights',
      ALICE,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('golden-path.dev/go-service');
  });

  // Issue 14: 400 for missing and 403 for outside told which server paths exist.
  it.each([
    ['outside the roots, existing', 'outside-service', '/etc/'],
    [
      'outside the roots, missing',
      'outside-missing-service',
      '/no-such-directory-on-this-server/',
    ],
    [
      'under a root, missing',
      'missing-service',
      `${FIXTURES}/no-such-monorepo/`,
    ],
    [
      'escaping a root with ..',
      'escaping-service',
      `${FIXTURES}/../../../../../../etc/`,
    ],
  ])(
    'answers a dir: source location %s with the one 404',
    async (_label, name, target) => {
      const res = await get(
        `/entities/component/default/${name}/insights?refresh=true`,
        ALICE,
      );
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({
        name: 'NotFoundError',
        message: `dir: source location "${target}" was not found under goldenPath.insights.localRoots`,
      });
    },
  );

  it('shows its cache figures to service tokens only (GET /insights-cache)', async () => {
    await get('/entities/component/default/order-service/insights', ALICE);
    const res = await request(server)
      .get('/api/golden-path/insights-cache')
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      maxEntries: 2000,
      maxBytes: 256 * 1024 * 1024,
      evictions: 0,
      entries: expect.any(Number),
      bytes: expect.any(Number),
      databasePools: expect.any(Number),
    });
    expect(res.body.entries).toBeGreaterThan(0);
    expect((await get('/insights-cache', ALICE)).status).toBe(403);
    expect((await get('/insights-cache')).status).toBe(401);
  });

  it('registers its permission', async () => {
    const res = await request(server)
      .get('/api/golden-path/.well-known/backstage/permissions/metadata')
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body.permissions).toEqual([
      expect.objectContaining({
        name: 'golden-path.insights.read',
        resourceType: 'catalog-entity',
      }),
    ]);
  });
});
