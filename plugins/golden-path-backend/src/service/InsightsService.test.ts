import type {
  CacheService,
  UrlReaderService,
  UrlReaderServiceReadTreeResponseFile,
} from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { NotModifiedError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { entityRefPattern, readInsightsConfig } from './config';
import { DefaultInsightsService, seedDatabaseName } from './InsightsService';
import { entitySourceLocation } from './sourceLocation';
import { AtlasRevisionsReader } from '../analysis';

const MONOREPO = path.resolve(__dirname, '../__fixtures__/monorepo');

function listFiles(dir: string, base = ''): string[] {
  return fs
    .readdirSync(path.join(dir, base), { withFileTypes: true })
    .flatMap(d => {
      const rel = base ? `${base}/${d.name}` : d.name;
      return d.isDirectory() ? listFiles(dir, rel) : [rel];
    });
}

/** A UrlReader serving the fixture monorepo as a GitHub tree at commit `etag`. */
function fixtureReader(etag: string) {
  const seen: string[] = [];
  const reader: UrlReaderService = {
    readUrl: async () => {
      throw new Error('not used');
    },
    search: async () => {
      throw new Error('not used');
    },
    readTree: jest.fn(async (url: string, options) => {
      if (options?.etag === etag) throw new NotModifiedError();
      const files: UrlReaderServiceReadTreeResponseFile[] = [];
      for (const rel of listFiles(MONOREPO)) {
        const size = fs.statSync(path.join(MONOREPO, rel)).size;
        if (options?.filter && !options.filter(rel, { size })) continue;
        seen.push(rel);
        files.push({
          path: rel,
          content: async () => fs.readFileSync(path.join(MONOREPO, rel)),
        });
      }
      expect(url).toBe('https://github.com/acme/shop/tree/main/');
      return {
        files: async () => files,
        etag,
        archive: async () => {
          throw new Error('no');
        },
        dir: async () => '',
      };
    }),
  };
  return { reader, seen };
}

function memoryCache(): CacheService {
  const store = new Map<string, JsonValue>();
  const cache: CacheService = {
    get: async <T extends JsonValue>(key: string) =>
      store.get(key) as T | undefined,
    set: async (key, value) => void store.set(key, value),
    delete: async key => void store.delete(key),
    withOptions: () => cache,
  };
  return cache;
}

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'order-service',
    annotations: {
      'golden-path.dev/go-service': 'services/order-service',
      'backstage.io/source-location':
        'url:https://github.com/acme/shop/tree/main/',
      'backstage.io/managed-by-location':
        'url:https://github.com/acme/shop/blob/main/services/order-service/catalog-info.yaml',
    },
  },
  spec: {},
};

describe('DefaultInsightsService with a url: location', () => {
  it('reads the tree through the UrlReader with a filter, and reuses the analysis while the ETag is unchanged', async () => {
    const { reader, seen } = fixtureReader('abc123');
    const config = new ConfigReader({
      goldenPath: {
        insights: { cacheTtl: { milliseconds: 1 }, refreshMinInterval: '0s' },
      },
    });
    const service = new DefaultInsightsService(
      readInsightsConfig(config),
      mockServices.logger.mock(),
      reader,
      memoryCache(),
      new AtlasRevisionsReader(),
    );

    const first = await service.getInsights(entity);
    expect(first.source).toMatchObject({
      revision: 'abc123',
      location: 'url:https://github.com/acme/shop/tree/main/',
    });
    expect(first.layers.packages.length).toBeGreaterThan(10);
    expect(first.migrations.sum.status).toBe('ok');
    // only what the analyses need was read
    expect(
      seen.every(p => /\.(go|proto|sql)$|go\.mod$|atlas\.sum$/.test(p)),
    ).toBe(true);

    const second = await service.getInsights(entity, { refresh: true });
    expect((reader.readTree as jest.Mock).mock.calls[1][1].etag).toBe('abc123');
    expect(second.layers).toEqual(first.layers);
    await service.close();
  });

  it('reads a cache entry not of the shape it writes as a miss (another replica, or whoever can write the store)', async () => {
    const { reader } = fixtureReader('abc123');
    const store = new Map<string, JsonValue>();
    const cache: CacheService = {
      get: async <T extends JsonValue>(key: string) =>
        store.get(key) as T | undefined,
      set: async (key, value) => void store.set(key, value),
      delete: async key => void store.delete(key),
      withOptions: () => cache,
    };
    const logger = mockServices.logger.mock();
    const service = new DefaultInsightsService(
      readInsightsConfig(new ConfigReader({})),
      logger,
      reader,
      cache,
      new AtlasRevisionsReader(),
    );
    await service.getInsights(entity);
    const keys = [...store.keys()];
    expect(keys.map(k => k.split(':')[1]).sort()).toEqual([
      'insights',
      'source',
    ]);
    for (const key of keys) {
      store.set(
        key,
        key.includes(':insights:')
          ? // another entity's insights, or anything at all
            { entityRef: 'component:default/payments', layers: 'x' }
          : // the same revision (the reader answers NotModified), no findings
            { etag: 'abc123', source: {}, layers: {}, protos: {} },
      );
    }

    const served = await service.getInsights(entity);
    expect(served.entityRef).toBe('component:default/order-service');
    expect(served.layers.packages.length).toBeGreaterThan(10);
    const refreshed = await service.getInsights(entity, { refresh: true });
    expect(refreshed.migrations.files.length).toBeGreaterThan(0);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^golden-path insights: the cache entry v3:insights:component:default\/order-service:.* is not of the shape this version writes/,
      ),
    );
    // both were written again, in the shape read back
    expect(store.get(keys[0])).not.toHaveProperty('layers', 'x');
  });

  it('answers a service whose analysis was stopped at a limit at once, until a refresh', async () => {
    const { reader } = fixtureReader('abc123');
    const settings = readInsightsConfig(new ConfigReader({}));
    const service = new DefaultInsightsService(
      settings,
      mockServices.logger.mock(),
      reader,
      memoryCache(),
      new AtlasRevisionsReader(),
    );
    const readTree = reader.readTree as jest.Mock;
    // the worker started, then its time limit drops to 1 ms
    await service.getInsights(entity);
    settings.analysisWorker.timeoutMs = 1;
    // and the source grows by 4,000 Go files: an analysis of the fixture
    // alone could answer within the 1 ms when the test process is held up
    // between the job's start and its timer (seen once on a busy machine);
    // this one takes the worker far longer than anything holds this process
    const fixture = readTree.getMockImplementation()!;
    readTree.mockImplementation(async (url: string, options: object) => {
      const tree = await fixture(url, options);
      const files = await tree.files();
      const generated = Array.from({ length: 4000 }, (_, i) => ({
        path: `services/order-service/internal/domain/entity/generated${i}.go`,
        content: async () =>
          Buffer.from(
            `package entity\n\n// Generated${i} is one of many.\ntype Generated${i} struct {\n\tID   string\n\tName string\n}\n\nfunc (g Generated${i}) Valid() bool { return g.ID != "" && g.Name != "" }\n`,
          ),
      }));
      return { ...tree, files: async () => [...files, ...generated] };
    });
    const other: Entity = {
      ...entity,
      metadata: { ...entity.metadata, name: 'other-service' },
    };
    await expect(service.getInsights(other)).rejects.toThrow(
      /^the analysis of services\/order-service took longer than 1 ms and was stopped/,
    );
    expect(readTree).toHaveBeenCalledTimes(2);
    await expect(service.getInsights(other)).rejects.toThrow(
      /took longer than 1 ms and was stopped; raise goldenPath\.insights\.analysisWorker\.timeout or lower goldenPath\.insights\.limits \(at .+; analysed again 300 s after that, or now on a refresh\)$/,
    );
    expect(readTree).toHaveBeenCalledTimes(2);
    settings.analysisWorker.timeoutMs = 60_000;
    await expect(
      service.getInsights(other, { refresh: true }),
    ).resolves.toMatchObject({ entityRef: 'component:default/other-service' });
    expect(readTree).toHaveBeenCalledTimes(3);
    await service.close();
  }, 60_000);

  it('a load begun before a refresh neither answers later visits nor caches its older result', async () => {
    let releaseOlder!: () => void;
    const older = new Promise<void>(resolve => (releaseOlder = resolve));
    const { reader } = fixtureReader('abc123');
    const readTree = reader.readTree as jest.Mock;
    const fixture = readTree.getMockImplementation()!;
    readTree
      .mockImplementationOnce(async (url: string, options: object) => {
        await older;
        return { ...(await fixture(url, options)), etag: 'old' };
      })
      .mockImplementation(async (url: string, options: object) => ({
        ...(await fixture(url, options)),
        etag: 'new',
      }));
    const service = new DefaultInsightsService(
      readInsightsConfig(
        new ConfigReader({
          goldenPath: { insights: { analysisWorker: { enabled: false } } },
        }),
      ),
      mockServices.logger.mock(),
      reader,
      memoryCache(),
      new AtlasRevisionsReader(),
    );
    const first = service.getInsights(entity);
    await new Promise(resolve => setTimeout(resolve, 20));
    const refreshed = await service.getInsights(entity, { refresh: true });
    const later = service.getInsights(entity);
    releaseOlder();
    expect((await first).source.revision).toBe('old');
    expect(refreshed.source.revision).toBe('new');
    expect((await later).source.revision).toBe('new');
    expect((await service.getInsights(entity)).source.revision).toBe('new');
    await service.close();
  });

  it('serves users opening a service at once from one read; a refresh reads again, once', async () => {
    const { reader } = fixtureReader('abc123');
    const service = new DefaultInsightsService(
      readInsightsConfig(
        // every refresh analyses again (refreshInterval.test.ts: the interval)
        new ConfigReader({
          goldenPath: { insights: { refreshMinInterval: '0s' } },
        }),
      ),
      mockServices.logger.mock(),
      reader,
      memoryCache(),
      new AtlasRevisionsReader(),
    );
    const readTree = reader.readTree as jest.Mock;
    const at = await Promise.all(
      Array.from({ length: 5 }, () => service.getInsights(entity)),
    );
    expect(readTree).toHaveBeenCalledTimes(1);
    expect(new Set(at.map(i => i.generatedAt)).size).toBe(1);
    const refreshed = await Promise.all(
      Array.from({ length: 3 }, () =>
        service.getInsights(entity, { refresh: true }),
      ),
    );
    expect(readTree).toHaveBeenCalledTimes(2);
    expect(new Set(refreshed.map(i => i.generatedAt)).size).toBe(1);
    // a load that failed is not kept: the next one reads again
    readTree.mockRejectedValueOnce(new Error('the forge is down'));
    await expect(
      service.getInsights(entity, { refresh: true }),
    ).rejects.toThrow('the forge is down');
    await service.getInsights(entity, { refresh: true });
    expect(readTree).toHaveBeenCalledTimes(4);
    await service.close();
  });
});

describe('entitySourceLocation', () => {
  it.each([
    [
      {
        'backstage.io/source-location': 'url:https://github.com/a/b/tree/main/',
      },
      { type: 'url', target: 'https://github.com/a/b/tree/main/' },
    ],
    [
      { 'backstage.io/source-location': 'dir:/srv/repos/shop/' },
      { type: 'dir', target: '/srv/repos/shop/' },
    ],
    [
      {
        'backstage.io/managed-by-location':
          'file:/srv/repos/shop/catalog-info.yaml',
      },
      { type: 'dir', target: '/srv/repos/shop' },
    ],
    [
      {
        'backstage.io/managed-by-location':
          'url:https://github.com/a/b/blob/main/catalog-info.yaml',
      },
      { type: 'url', target: 'https://github.com/a/b/blob/main/' },
    ],
    [
      {
        'golden-path.dev/go-service': 'services/order-service',
        'backstage.io/managed-by-location':
          'file:/srv/repos/shop/services/order-service/catalog-info.yaml',
      },
      { type: 'dir', target: '/srv/repos/shop' },
    ],
    [
      {
        'golden-path.dev/go-service': 'services/order-service/',
        'backstage.io/managed-by-location':
          'url:https://github.com/a/b/blob/main/services/order-service/catalog-info.yaml',
      },
      { type: 'url', target: 'https://github.com/a/b/blob/main/' },
    ],
  ])('reads %j', (annotations, expected) => {
    expect(
      entitySourceLocation({ ...entity, metadata: { name: 'x', annotations } }),
    ).toEqual(expected);
  });

  it('refuses entities without a location', () => {
    expect(() =>
      entitySourceLocation({ ...entity, metadata: { name: 'x' } }),
    ).toThrow('backstage.io/source-location');
  });
});

describe('config', () => {
  it.each([
    [{ cacheTtl: 300000 }, 'goldenPath.insights.cacheTtl: 300000'],
    [
      { migrations: { timeouts: { connect: 'soon' } } },
      'goldenPath.insights.migrations.timeouts.connect: "soon"',
    ],
  ])(
    'refuses a duration Backstage cannot read, naming the key: %j',
    (insights, named) => {
      expect(() =>
        readInsightsConfig(new ConfigReader({ goldenPath: { insights } })),
      ).toThrow(
        `${named} is not a duration; write e.g. '5s', '2m', 'PT5S' or { seconds: 5 }`,
      );
    },
  );

  it('reads environments, durations and filters', () => {
    const c = readInsightsConfig(
      new ConfigReader({
        goldenPath: {
          insights: {
            cacheTtl: { minutes: 2 },
            migrations: {
              timeouts: { lock: '500ms' },
              environments: [
                {
                  name: 'dev',
                  url: 'postgres://x/{db}',
                  entityFilter: ['component:default/*-service'],
                },
              ],
            },
          },
        },
      }),
    );
    expect(c.cacheTtlMs).toBe(120000);
    expect(c.timeouts).toEqual({
      connectMs: 5000,
      statementMs: 5000,
      lockMs: 500,
    });
    expect(
      c.environments[0].entityFilter![0].test(
        'component:default/order-service',
      ),
    ).toBe(true);
    expect(
      c.environments[0].entityFilter![0].test('component:default/website'),
    ).toBe(false);
  });

  it.each([
    [
      { maxHeapMb: 16 },
      'goldenPath.insights.analysisWorker.maxHeapMb: 16 is not a whole number of at least 64; write e.g. 1024',
    ],
    [
      { maxHeapMb: '1024' },
      'goldenPath.insights.analysisWorker.maxHeapMb: "1024" is not a whole number of at least 64; write e.g. 1024',
    ],
    [
      { timeout: '0s' },
      `goldenPath.insights.analysisWorker.timeout: "0s" is not longer than zero; write e.g. '2m'`,
    ],
    [
      { timeout: { days: 25 } },
      `goldenPath.insights.analysisWorker.timeout: {"days":25} is longer than 24 days, the longest time limit Node.js keeps; write e.g. '2m'`,
    ],
  ])('refuses analysis worker limits it cannot keep: %j', (worker, line) => {
    expect(() =>
      readInsightsConfig(
        new ConfigReader({
          goldenPath: { insights: { analysisWorker: worker } },
        }),
      ),
    ).toThrow(line);
  });

  it('refuses an environment without a connection', () => {
    expect(() =>
      readInsightsConfig(
        new ConfigReader({
          goldenPath: {
            insights: { migrations: { environments: [{ name: 'x' }] } },
          },
        }),
      ),
    ).toThrow('needs url or connection');
  });

  it('escapes patterns', () => {
    expect(
      entityRefPattern('component:default/a.b').test('component:default/aXb'),
    ).toBe(false);
  });

  it('names databases like the seed', () => {
    expect(seedDatabaseName('order-history-service')).toBe('order_history_db');
  });
});
