import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type {
  BackstageCredentials,
  BackstageUserInfo,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import { testRouter } from './__testUtils__/router';
import { AccessCache } from './service/accessCache';
import { ResponseBodies } from './service/responseBodies';
import { readInsightsConfig } from './service/config';
import type {
  InsightsCacheStats,
  InsightsCacheStatsSource,
  InsightsService,
} from './service/InsightsService';

/*
 * The access cache never serves one user's check to another: the router
 * under supertest with a catalog that shows the service to some users only,
 * a permission policy that denies some users, and counters of how often
 * each is asked.
 */
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob'; // sees the entity, insights denied
const EVE = 'user:default/eve'; // may not see the entity
const PATH = '/entities/component/default/order-service/insights';

const SERVICE: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'order-service',
    namespace: 'default',
    annotations: { 'golden-path.dev/go-service': 'services/order-service' },
  },
  spec: { type: 'service', owner: 'group:default/team', lifecycle: 'x' },
};

const userRef = (c: BackstageCredentials) =>
  (c.principal as { userEntityRef?: string }).userEntityRef;

async function app(accessCache?: { ttlMs: number; maxEntries: number }) {
  const calls = { catalog: 0, permission: 0, insights: [] as Entity[] };
  const denied = new Set([BOB]);
  const hidden = new Set([EVE]);
  // ownership claims per user, changeable mid-test (a user joining a team)
  const claims = new Map<string, string[]>();
  const catalog = catalogServiceMock.mock({
    getEntityByRef: async (ref, options) => {
      calls.catalog++;
      const user = userRef(
        (options as { credentials: BackstageCredentials }).credentials,
      );
      if (user && hidden.has(user)) return undefined;
      const { name } = ref as { name: string };
      return name === SERVICE.metadata.name
        ? SERVICE
        : { ...SERVICE, metadata: { ...SERVICE.metadata, name } };
    },
  });
  const permissions = mockServices.permissions.mock({
    authorize: async (requests, options) => {
      calls.permission++;
      const user = userRef(options!.credentials);
      const result =
        user && denied.has(user) ? AuthorizeResult.DENY : AuthorizeResult.ALLOW;
      return requests.map(() => ({ result }));
    },
  });
  const insights: InsightsService & InsightsCacheStatsSource = {
    getInsights: async entity => {
      calls.insights.push(entity);
      return { entityRef: 'component:default/order-service' } as any;
    },
    cacheStats: () => ({ entries: 0 } as InsightsCacheStats),
  };
  const userInfo = {
    getUserInfo: async (
      c: BackstageCredentials,
    ): Promise<BackstageUserInfo> => {
      const ref = userRef(c)!;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: claims.get(ref) ?? [ref],
      };
    },
  };
  const router = await testRouter({
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.none(),
    }),
    catalog,
    permissions,
    insights,
    userInfo,
    accessCache,
  });
  const a = express().use(router);
  const get = (user: string | 'service', path = PATH) =>
    request(a)
      .get(path)
      .set(
        'Authorization',
        user === 'service'
          ? mockCredentials.service.header()
          : mockCredentials.user.header(user),
      );
  return { get, calls, denied, hidden, claims };
}

const ON = { ttlMs: 60_000, maxEntries: 100 };

describe('the insights access cache', () => {
  it('a user reloading: the catalog and the permission asked once', async () => {
    const { get, calls } = await app(ON);
    for (let i = 0; i < 3; i++) expect((await get(ALICE)).status).toBe(200);
    expect(calls.catalog).toBe(1);
    expect(calls.permission).toBe(1);
    // and the serialized response is reused too
    expect(calls.insights).toHaveLength(1);
  });

  it('the response: gzip when accepted, its ETag answered 304 when unchanged', async () => {
    const { get, calls } = await app(ON);
    const first = await get(ALICE).set('Accept-Encoding', 'gzip');
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.body).toEqual({
      entityRef: 'component:default/order-service',
    });
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
    const plain = await get(ALICE).set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toEqual(first.body);
    expect(plain.headers.etag).toBe(etag);
    const again = await get(ALICE).set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    // a user who may not read it gets no 304 for the ETag
    expect((await get(BOB).set('If-None-Match', etag)).status).toBe(403);
    expect((await get(EVE).set('If-None-Match', etag)).status).toBe(404);
    expect(calls.insights).toHaveLength(1);
  });

  it('another allowed user is checked, then answered from the same response', async () => {
    const { get, calls } = await app(ON);
    const CAROL = 'user:default/carol';
    expect((await get(ALICE)).status).toBe(200);
    expect((await get(CAROL)).status).toBe(200);
    expect(calls.catalog).toBe(2);
    expect(calls.permission).toBe(2);
    expect(calls.insights).toHaveLength(1);
  });

  it("never serves one user's allowed check to another: 404 and 403 hold", async () => {
    const { get, calls, claims } = await app(ON);
    // the same ownership claims: only the user's own ref tells them apart
    for (const user of [ALICE, BOB, EVE])
      claims.set(user, ['group:default/team']);
    expect((await get(ALICE)).status).toBe(200);
    const hidden = await get(EVE);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toContain('may not see it');
    const denied = await get(BOB);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('may not read the insights');
    // and again: refusals are not kept, each is asked again
    expect((await get(EVE)).status).toBe(404);
    expect((await get(BOB)).status).toBe(403);
    expect(calls.catalog).toBe(5);
    expect(calls.permission).toBe(3);
    expect(calls.insights).toHaveLength(1);
  });

  it('the same user with other ownership claims is checked again', async () => {
    const { get, calls, claims } = await app(ON);
    expect((await get(ALICE)).status).toBe(200);
    claims.set(ALICE, [ALICE, 'group:default/payments']);
    expect((await get(ALICE)).status).toBe(200);
    expect(calls.permission).toBe(2);
    // the order of the claims does not matter
    claims.set(ALICE, ['group:default/payments', ALICE]);
    expect((await get(ALICE)).status).toBe(200);
    expect(calls.permission).toBe(2);
  });

  it('another entity, or a refresh, is checked again', async () => {
    const { get, calls } = await app(ON);
    await get(ALICE);
    await get(ALICE, '/entities/component/default/other-service/insights');
    await get(ALICE, `${PATH}?refresh=true`);
    expect(calls.catalog).toBe(3);
    // the refresh computed the response again
    expect(calls.insights).toHaveLength(3);
    await get(
      ALICE,
      '/entities/component/default/order-service/insights/layers',
    );
    expect(calls.catalog).toBe(3);
  });

  it('expires: a permission revoked is effective after the TTL', async () => {
    const { get, calls, denied, hidden } = await app({
      ttlMs: 200,
      maxEntries: 100,
    });
    expect((await get(ALICE)).status).toBe(200);
    denied.add(ALICE);
    // within the TTL the allowed check is reused (the documented trade-off)
    expect((await get(ALICE)).status).toBe(200);
    await sleep(300);
    expect((await get(ALICE)).status).toBe(403);
    denied.delete(ALICE);
    expect((await get(ALICE)).status).toBe(200);
    hidden.add(ALICE);
    await sleep(300);
    expect((await get(ALICE)).status).toBe(404);
    expect(calls.catalog).toBe(4);
  });

  it('off with a TTL of 0, and for services: asked every time', async () => {
    const off = await app({ ttlMs: 0, maxEntries: 100 });
    await off.get(ALICE);
    await off.get(ALICE);
    expect(off.calls.catalog).toBe(2);
    const on = await app(ON);
    await on.get('service');
    await on.get('service');
    expect(on.calls.catalog).toBe(2);
    expect(on.calls.permission).toBe(2);
  });

  it('the figures: entries, hits, misses under GET /insights-cache', async () => {
    const { get } = await app(ON);
    await get(ALICE);
    await get(ALICE);
    const res = await get('service', '/insights-cache');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entries: 0,
      responses: {
        entries: 1,
        bytes: expect.any(Number),
        maxBytes: 32 * 1024 * 1024,
      },
      access: {
        ttlMs: 60_000,
        maxEntries: 100,
        entries: 1,
        hits: 1,
        misses: 1,
        expired: 0,
        evictions: 0,
      },
    });
  });
});

describe('AccessCache', () => {
  const alice = { userEntityRef: ALICE, ownershipEntityRefs: [ALICE] };
  const ref = (name: string) => ({
    kind: 'component',
    namespace: 'default',
    name,
  });

  it('keys keep every part apart', () => {
    const keys = new Set([
      AccessCache.key(alice, ref('a')),
      AccessCache.key(alice, {
        kind: 'component',
        namespace: 'default"',
        name: 'a',
      }),
      AccessCache.key({ ...alice, ownershipEntityRefs: [] }, ref('a')),
      AccessCache.key(
        { ...alice, ownershipEntityRefs: [ALICE, 'x'] },
        ref('a'),
      ),
      AccessCache.key({ ...alice, userEntityRef: BOB }, ref('a')),
      AccessCache.key(alice, {
        kind: 'component',
        namespace: 'default","a',
        name: '',
      }),
    ]);
    expect(keys.size).toBe(6);
  });

  it('keeps at most maxEntries, dropping the least recently used; expires by the clock', () => {
    let now = 0;
    const cache = new AccessCache({ ttlMs: 1000, maxEntries: 2 }, () => now);
    const keys = ['a', 'b', 'c'].map(n => AccessCache.key(alice, ref(n)));
    cache.set(keys[0], SERVICE);
    cache.set(keys[1], SERVICE);
    expect(cache.get(keys[0])).toBe(SERVICE); // a is now the most recent
    cache.set(keys[2], SERVICE); // b goes
    expect(cache.get(keys[1])).toBeUndefined();
    expect(cache.get(keys[0])).toBe(SERVICE);
    now = 1000;
    expect(cache.get(keys[2])).toBeUndefined();
    expect(cache.stats()).toEqual({
      ttlMs: 1000,
      maxEntries: 2,
      entries: 1,
      hits: 2,
      misses: 2,
      expired: 1,
      evictions: 1,
    });
  });

  it('drops expired entries when it writes after a TTL', () => {
    let now = 0;
    const cache = new AccessCache({ ttlMs: 100, maxEntries: 10 }, () => now);
    for (const n of ['a', 'b', 'c'])
      cache.set(AccessCache.key(alice, ref(n)), SERVICE);
    now = 150;
    cache.set(AccessCache.key(alice, ref('d')), SERVICE);
    expect(cache.stats()).toMatchObject({ entries: 1, expired: 3 });
  });
});

describe('goldenPath.insights.accessCache', () => {
  const read = (accessCache: JsonValue) =>
    readInsightsConfig(
      new ConfigReader({ goldenPath: { insights: { accessCache } } }),
    ).accessCache;

  it('defaults to 5 seconds and 10000 checks; 0s turns it off', () => {
    expect(readInsightsConfig(new ConfigReader({})).accessCache).toEqual({
      ttlMs: 5000,
      maxEntries: 10000,
    });
    expect(read({ ttl: '0s' }).ttlMs).toBe(0);
    expect(read({ ttl: { seconds: 2 }, maxEntries: 50 })).toEqual({
      ttlMs: 2000,
      maxEntries: 50,
    });
  });

  it('refuses a bad value in one line naming the key', () => {
    expect(() => read({ ttl: 'soon' })).toThrow(
      /^goldenPath\.insights\.accessCache\.ttl: "soon" is not a duration; write e\.g\./,
    );
    expect(() => read({ maxEntries: 0 })).toThrow(
      /^goldenPath\.insights\.accessCache\.maxEntries: 0 is not a whole number of at least 1/,
    );
  });
});

describe('ResponseBodies', () => {
  it('keeps at most maxBytes, least recently used dropped; expires; a body over the limit is not kept', async () => {
    let now = 0;
    const a = await ResponseBodies.of({ a: 'x'.repeat(1000) });
    const size = a.json.length + a.gzip.length;
    const bodies = new ResponseBodies(1000, 2 * size, () => now);
    bodies.set('a', a);
    bodies.set('b', a);
    expect(bodies.get('a')).toBe(a); // a is now the most recent
    bodies.set('c', a); // b goes
    expect(bodies.get('b')).toBeUndefined();
    expect(bodies.stats()).toEqual({
      entries: 2,
      bytes: 2 * size,
      maxBytes: 2 * size,
    });
    now = 1000;
    expect(bodies.get('a')).toBeUndefined();
    expect(bodies.stats().entries).toBe(1);
    const big = await ResponseBodies.of({ a: 'y'.repeat(10_000) });
    bodies.set('big', big);
    expect(bodies.get('big')).toBeUndefined();
  });

  it('the same JSON has the same ETag, other JSON another', async () => {
    const [x, y, z] = await Promise.all([
      ResponseBodies.of({ a: 1 }),
      ResponseBodies.of({ a: 1 }),
      ResponseBodies.of({ a: 2 }),
    ]);
    expect(x.etag).toBe(y.etag);
    expect(x.etag).not.toBe(z.etag);
  });
});
