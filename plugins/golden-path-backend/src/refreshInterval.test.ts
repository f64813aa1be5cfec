import type { CacheService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { JsonValue } from '@backstage/types';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { writeFiles } from './__testUtils__/localInsights';
import { testRouter } from './__testUtils__/router';
import { AtlasRevisionsReader } from './analysis';
import { readInsightsConfig } from './service/config';
import { DefaultInsightsService } from './service/InsightsService';

/*
 * Any signed-in user may force a re-analysis with ?refresh=true. An entity is
 * analysed again at most once per goldenPath.insights.refreshMinInterval: a
 * refresh asked for sooner is answered the cached insights, and told so.
 */
let root: string;
const servers: http.Server[] = [];
const services: DefaultInsightsService[] = [];

beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gp-refresh-')));
  writeFiles(root, {
    'go.mod': 'module example.com/shop\n\ngo 1.26\n',
    'services/order-service/cmd/main.go': 'package main\n\nfunc main() {}\n',
  });
});

afterAll(async () => {
  await Promise.all(servers.map(s => new Promise(r => s.close(r))));
  await Promise.all(services.map(s => s.close()));
  fs.rmSync(root, { recursive: true, force: true });
});

const entity = (): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'order-service',
    namespace: 'default',
    annotations: {
      'golden-path.dev/go-service': 'services/order-service',
      'backstage.io/source-location': `dir:${root}/`,
      'backstage.io/managed-by-location': `file:${root}/services/order-service/catalog-info.yaml`,
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

const PATH =
  '/api/golden-path/entities/component/default/order-service/insights';

/** Backstage's cache service on a Map the test can read and write. */
function memoryCache(store: Map<string, JsonValue>): CacheService {
  const cache: CacheService = {
    get: async <T extends JsonValue>(key: string) =>
      store.get(key) as T | undefined,
    set: async (key, value) => void store.set(key, value),
    delete: async key => void store.delete(key),
    withOptions: () => cache,
  };
  return cache;
}

async function app(
  refreshMinInterval?: string,
  store = new Map<string, JsonValue>(),
) {
  const service = new DefaultInsightsService(
    readInsightsConfig(
      new ConfigReader({
        goldenPath: {
          insights: {
            localRoots: [root],
            analysisWorker: { enabled: false },
            ...(refreshMinInterval ? { refreshMinInterval } : {}),
          },
        },
      }),
    ),
    mockServices.logger.mock(),
    mockServices.urlReader.mock(),
    memoryCache(store),
    new AtlasRevisionsReader(),
  );
  services.push(service);
  const getInsights = jest.spyOn(service, 'getInsights');
  const load = jest.spyOn(service as any, 'load');
  const router = await testRouter({
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user(),
    }),
    catalog: catalogServiceMock({ entities: [entity()] }),
    permissions: mockServices.permissions(),
    insights: service,
  });
  const a = express();
  a.use('/api/golden-path', router);
  const server = a.listen(0, '127.0.0.1');
  servers.push(server);
  return { server, load, getInsights, service };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('bad input: forced refreshes of an entity', () => {
  it('are not done within the minimum interval: the cached insights, with when a refresh is done again', async () => {
    const { server, load } = await app('10s');
    const first = await request(server).get(PATH);
    expect(first.status).toBe(200);
    expect(first.headers['golden-path-refresh']).toBeUndefined();
    for (const at of [PATH, `${PATH}/layers`]) {
      const res = await request(server).get(`${at}?refresh=true`);
      expect(res.status).toBe(200);
      expect(res.headers['golden-path-refresh']).toBe('deferred');
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(10);
      expect(res.body.generatedAt).toBe(first.body.generatedAt);
      // readable by an app on another origin
      expect(res.headers['access-control-expose-headers']).toBe(
        'Golden-Path-Refresh, Retry-After',
      );
    }
    // analysed once: the refreshes read nothing
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('are done again once the interval has passed, and many at once share one analysis', async () => {
    // long enough that a loaded machine answers the two requests below within it
    const { server, load } = await app('3s');
    const first = await request(server).get(PATH);
    await sleep(3100);
    const refreshed = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(server).get(`${PATH}?refresh=true`),
      ),
    );
    expect(load).toHaveBeenCalledTimes(2);
    for (const res of refreshed) {
      expect(res.headers['golden-path-refresh']).toBe('done');
      expect(res.headers['retry-after']).toBeUndefined();
      expect(res.body.generatedAt).not.toBe(first.body.generatedAt);
    }
    // and held off again right after
    const again = await request(server).get(`${PATH}?refresh=true`);
    expect(again.headers['golden-path-refresh']).toBe('deferred');
    expect(again.body.generatedAt).toBe(refreshed[0].body.generatedAt);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('are all done with a minimum interval of 0s', async () => {
    const { server, load } = await app('0s');
    await request(server).get(PATH);
    await sleep(5);
    const res = await request(server).get(`${PATH}?refresh=true`);
    expect(res.headers['golden-path-refresh']).toBe('done');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('are not held off by cached insights dated in the future (another clock, or a bad entry)', async () => {
    const store = new Map<string, JsonValue>();
    const { service, load } = await app('1h', store);
    const cached = await service.getInsights(entity());
    const key = [...store.keys()].find(k => k.includes(':insights:'))!;
    store.set(key, {
      ...cached,
      generatedAt: new Date(Date.now() + 60 * 60_000).toISOString(),
    } as unknown as JsonValue);
    const deferred = jest.fn();
    const refreshed = await service.getInsights(entity(), {
      refresh: true,
      onRefreshDeferred: deferred,
    });
    expect(deferred).not.toHaveBeenCalled();
    expect(load).toHaveBeenCalledTimes(2);
    expect(Date.parse(refreshed.generatedAt)).toBeLessThanOrEqual(Date.now());
  });
});

describe('bad input: goldenPath.insights.refreshMinInterval', () => {
  it.each([
    [
      { seconds: -5 },
      "goldenPath.insights.refreshMinInterval: {\"seconds\":-5} is negative; write e.g. '10s', or '0s' for no minimum",
    ],
    [
      'soon',
      "goldenPath.insights.refreshMinInterval: \"soon\" is not a duration; write e.g. '5s', '2m', 'PT5S' or { seconds: 5 }",
    ],
  ])('refuses %p in one line', (value: JsonValue, message: string) => {
    expect(() =>
      readInsightsConfig(
        new ConfigReader({
          goldenPath: { insights: { refreshMinInterval: value } },
        }),
      ),
    ).toThrow(message);
  });

  it('reads durations in any form, none by default', () => {
    const ms = (v?: JsonValue) =>
      readInsightsConfig(
        new ConfigReader({
          goldenPath: {
            insights: v === undefined ? {} : { refreshMinInterval: v },
          },
        }),
      ).refreshMinIntervalMs;
    expect(ms()).toBe(0);
    expect(ms('10s')).toBe(10_000);
    expect(ms('1m')).toBe(60_000);
    expect(ms({ seconds: 30 })).toBe(30_000);
    expect(ms('0s')).toBe(0);
  });
});
