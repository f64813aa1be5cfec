import type { CacheService } from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import { BoundedCache } from './boundedCache';
import { DEFAULT_CACHE_LIMITS, readInsightsConfig } from './config';

/** A store over a Map that records the TTLs it was given. */
function mapStore() {
  const map = new Map<string, JsonValue>();
  const ttls = new Map<string, number | undefined>();
  const cache: CacheService = {
    get: async <T extends JsonValue>(key: string) =>
      map.get(key) as T | undefined,
    set: async (key, value, options) => {
      map.set(key, value);
      ttls.set(key, options?.ttl as number | undefined);
    },
    delete: async key => void map.delete(key),
    withOptions: () => cache,
  };
  return { cache, map, ttls };
}

const value = (bytes: number) => ({ s: 'x'.repeat(bytes - 8) }); // {"s":"…"} is 8 bytes more

describe('BoundedCache', () => {
  it('evicts the least recently used entries beyond maxEntries, from the store too', async () => {
    const { cache, map } = mapStore();
    const bounded = new BoundedCache(cache, {
      maxEntries: 3,
      maxBytes: 1 << 20,
    });
    await bounded.set('a', value(10), 1000);
    await bounded.set('b', value(10), 1000);
    await bounded.set('c', value(10), 1000);
    expect(await bounded.get('a')).toEqual(value(10)); // a is now the most recent
    await bounded.set('d', value(10), 1000); // evicts b
    expect([...map.keys()].sort()).toEqual(['a', 'c', 'd']);
    await bounded.set('e', value(10), 1000); // evicts c
    expect([...map.keys()].sort()).toEqual(['a', 'd', 'e']);
    expect(await bounded.get('b')).toBeUndefined();
    expect(bounded.stats()).toEqual({
      maxEntries: 3,
      maxBytes: 1 << 20,
      entries: 3,
      bytes: 30,
      hits: 1,
      misses: 1,
      evictions: 2,
    });
  });

  it('evicts by bytes, counting the JSON, and does not store an entry larger than maxBytes', async () => {
    const { cache, map, ttls } = mapStore();
    const bounded = new BoundedCache(cache, { maxEntries: 100, maxBytes: 100 });
    await bounded.set('a', value(40), 5);
    await bounded.set('b', value(40), 5);
    expect(bounded.stats().bytes).toBe(80);
    await bounded.set('c', value(40), 5); // 120 > 100: a goes
    expect([...map.keys()].sort()).toEqual(['b', 'c']);
    expect(ttls.get('c')).toBe(5);
    await bounded.set('huge', value(101), 5);
    expect(map.has('huge')).toBe(false);
    expect(bounded.stats()).toMatchObject({
      entries: 2,
      bytes: 80,
      evictions: 1,
    });
  });

  it('replacing a key counts it once; an entry expired in the store is forgotten', async () => {
    const { cache, map } = mapStore();
    const bounded = new BoundedCache(cache, { maxEntries: 2, maxBytes: 1000 });
    await bounded.set('a', value(10), 1000);
    await bounded.set('a', value(20), 1000);
    expect(bounded.stats()).toMatchObject({ entries: 1, bytes: 20 });
    map.delete('a'); // the store's TTL ran out
    expect(await bounded.get('a')).toBeUndefined();
    expect(bounded.stats()).toMatchObject({ entries: 0, bytes: 0, misses: 1 });
  });
});

describe('goldenPath.insights.cacheLimits', () => {
  const read = (cacheLimits: object) =>
    readInsightsConfig(
      new ConfigReader({ goldenPath: { insights: { cacheLimits } } }),
    ).cacheLimits;

  it('defaults and reads the limits', () => {
    expect(read({})).toEqual(DEFAULT_CACHE_LIMITS);
    expect(read({ maxEntries: 48 })).toEqual({
      maxEntries: 48,
      maxBytes: DEFAULT_CACHE_LIMITS.maxBytes,
    });
  });

  it('refuses a limit that is not a whole number of at least 1, naming the key', () => {
    expect(() => read({ maxEntries: 0 })).toThrow(
      'goldenPath.insights.cacheLimits.maxEntries: 0 is not a whole number of at least 1; write e.g. 2000',
    );
    expect(() => read({ maxBytes: '64MB' })).toThrow(
      /^goldenPath\.insights\.cacheLimits\.maxBytes: "64MB" is not a whole number/,
    );
  });
});
