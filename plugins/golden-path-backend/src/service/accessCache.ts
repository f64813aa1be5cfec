import type { Entity } from '@backstage/catalog-model';

/**
 * How long, and how many, insights access checks are kept.
 *
 * @public
 */
export interface AccessCacheSettings {
  /** How long an allowed check is reused, in milliseconds; 0 turns the cache off. */
  ttlMs: number;
  /** Most checks kept; beyond it the least recently used are dropped. */
  maxEntries: number;
}

/** Default: 5 seconds (Backstage's own user-info cache keeps a token's claims as long), 10000 checks. */
export const DEFAULT_ACCESS_CACHE: AccessCacheSettings = {
  ttlMs: 5_000,
  maxEntries: 10_000,
};

/** Who is asking, as the permission policy sees a user. */
export interface AccessIdentity {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/** What the access cache holds and has done since the process started. */
export interface AccessCacheStats extends AccessCacheSettings {
  entries: number;
  hits: number;
  misses: number;
  expired: number;
  evictions: number;
}

interface Entry {
  entity: Entity;
  expiresAt: number;
}

/**
 * The outcome of an insights request's two checks — the entity read from
 * the catalog with the user's credentials, and
 * `golden-path.insights.read` allowed on it — kept for a few seconds per
 * user (their entity ref and ownership claims, what the permission policy
 * sees) and requested entity ref, so a user reloading a tab does not ask
 * the catalog and the permission backend again. Only allowed checks are
 * kept: a refusal (404, 403) is asked again every time. A revoked
 * permission or a hidden entity is effective after at most the TTL; each
 * backend process keeps its own.
 */
export class AccessCache {
  private readonly entries = new Map<string, Entry>();
  private hits = 0;
  private misses = 0;
  private expired = 0;
  private evictions = 0;
  private lastSweep = 0;

  constructor(
    private readonly settings: AccessCacheSettings,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.settings.ttlMs > 0 && this.settings.maxEntries > 0;
  }

  /**
   * The key of a user's check of an entity: every part that could make two
   * decisions differ, in a form no two different inputs share.
   */
  static key(
    identity: AccessIdentity,
    ref: { kind: string; namespace: string; name: string },
  ): string {
    return JSON.stringify([
      identity.userEntityRef,
      [...identity.ownershipEntityRefs].sort(),
      ref.kind,
      ref.namespace,
      ref.name,
    ]);
  }

  /** The entity a still-valid allowed check read, or undefined. */
  get(key: string): Entity | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) {
      this.expired++;
      this.misses++;
      return undefined;
    }
    // most recently used last
    this.entries.set(key, entry);
    this.hits++;
    return entry.entity;
  }

  /** Keeps an allowed check for the TTL. */
  set(key: string, entity: Entity): void {
    if (!this.enabled) return;
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, { entity, expiresAt: now + this.settings.ttlMs });
    // expired entries are dropped when read, and all at once every TTL
    if (now - this.lastSweep >= this.settings.ttlMs) {
      this.lastSweep = now;
      for (const [k, e] of this.entries) {
        if (e.expiresAt > now) continue;
        this.entries.delete(k);
        this.expired++;
      }
    }
    // beyond the limit, the least recently used go
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.settings.maxEntries) break;
      this.entries.delete(k);
      this.evictions++;
    }
  }

  stats(): AccessCacheStats {
    return {
      ...this.settings,
      entries: this.entries.size,
      hits: this.hits,
      misses: this.misses,
      expired: this.expired,
      evictions: this.evictions,
    };
  }
}
