import type { CacheService } from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';

/**
 * How much the insights may keep in the cache store.
 *
 * @public
 */
export interface CacheLimits {
  /** Most entries (per entity its insights, and its source analysis by commit for url: locations). */
  maxEntries: number;
  /** Most bytes, counted as the entries' JSON. */
  maxBytes: number;
}

/**
 * What the bounded cache holds and has done since the process started.
 *
 * @public
 */
export interface CacheStats extends CacheLimits {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

interface Tracked {
  bytes: number;
}

/**
 * Backstage's cache service with a size limit: the keys this process wrote,
 * with their JSON size, in least-recently-used order. A write beyond
 * `maxEntries` or `maxBytes` deletes the least recently used entries from
 * the store, so the memory store (which keeps expired entries until they are
 * read again) and a shared store hold at most the limit of what this
 * process wrote. An entry larger than `maxBytes` on its own is not stored.
 */
export class BoundedCache {
  private readonly lru = new Map<string, Tracked>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(
    private readonly cache: CacheService,
    private readonly limits: CacheLimits,
  ) {}

  async get<T extends JsonValue>(key: string): Promise<T | undefined> {
    const value = (await this.cache.get(key)) as T | undefined;
    const tracked = this.lru.get(key);
    if (value === undefined) {
      this.misses++;
      if (tracked) this.forget(key, tracked); // expired in the store
      return undefined;
    }
    this.hits++;
    if (tracked) {
      // most recently used last
      this.lru.delete(key);
      this.lru.set(key, tracked);
    }
    return value;
  }

  async set(key: string, value: JsonValue, ttlMs: number): Promise<void> {
    const bytes = Buffer.byteLength(JSON.stringify(value));
    const previous = this.lru.get(key);
    if (previous) this.forget(key, previous);
    if (bytes > this.limits.maxBytes) {
      await this.cache.delete(key);
      return;
    }
    this.lru.set(key, { bytes });
    this.bytes += bytes;
    const evicted: string[] = [];
    for (const [oldest, tracked] of this.lru) {
      if (
        this.lru.size <= this.limits.maxEntries &&
        this.bytes <= this.limits.maxBytes
      )
        break;
      this.forget(oldest, tracked);
      this.evictions++;
      evicted.push(oldest);
    }
    await this.cache.set(key, value, { ttl: ttlMs });
    await Promise.all(evicted.map(k => this.cache.delete(k)));
  }

  stats(): CacheStats {
    return {
      ...this.limits,
      entries: this.lru.size,
      bytes: this.bytes,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
    };
  }

  private forget(key: string, tracked: Tracked) {
    this.lru.delete(key);
    this.bytes -= tracked.bytes;
  }
}
