import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { AtlasDatabaseConnection, SourceTreeLimits } from '../analysis';
import type { CacheLimits } from './boundedCache';
import { DEFAULT_ACCESS_CACHE, type AccessCacheSettings } from './accessCache';
import type { AnalysisWorkerSettings } from './sourceAnalysis';
import path from 'node:path';

/** One configured migration environment. */
export interface InsightsEnvironmentConfig {
  name: string;
  /** Connection with `{entity}`/`{db}` placeholders still in place. */
  connection: AtlasDatabaseConnection;
  revisionsSchema?: string;
  entityFilter?: RegExp[];
}

/** The plugin's configuration, read once at start-up. */
export interface InsightsConfig {
  cacheTtlMs: number;
  /** Least time between two analyses of an entity forced with `?refresh=true`; 0 is none. */
  refreshMinIntervalMs: number;
  cacheLimits: CacheLimits;
  accessCache: AccessCacheSettings;
  localRoots: string[];
  limits: SourceTreeLimits;
  /** Where source analyses run: a worker thread with these limits, or the main thread. */
  analysisWorker: AnalysisWorkerSettings & { enabled: boolean };
  timeouts: { connectMs: number; statementMs: number; lockMs: number };
  environments: InsightsEnvironmentConfig[];
}

/**
 * A duration key in any form Backstage reads durations
 * (`readDurationFromConfig`): a HumanDuration object (`{ seconds: 5 }`), an
 * ISO 8601 string (`PT5S`) or an ms-style string (`5s`, `500ms`).
 */
function durationMs(
  config: Config | undefined,
  at: string,
  key: string,
  fallbackMs: number,
): number {
  if (!config?.has(key)) return fallbackMs;
  try {
    return durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch {
    throw new Error(
      `${at}.${key}: ${JSON.stringify(
        config.getOptional(key),
      )} is not a duration; write e.g. '5s', '2m', 'PT5S' or { seconds: 5 }`,
    );
  }
}

/** The longest delay of a Node.js timer (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** {@link durationMs} that must be longer than zero (a time limit of zero stops everything). */
function positiveDurationMs(
  config: Config | undefined,
  at: string,
  key: string,
  fallbackMs: number,
): number {
  const ms = durationMs(config, at, key, fallbackMs);
  if (ms <= 0)
    throw new Error(
      `${at}.${key}: ${JSON.stringify(
        config?.getOptional(key),
      )} is not longer than zero; write e.g. '2m'`,
    );
  // Node.js fires a longer timer at once (1 ms): every run would be stopped
  if (ms > MAX_TIMER_MS)
    throw new Error(
      `${at}.${key}: ${JSON.stringify(
        config?.getOptional(key),
      )} is longer than 24 days, the longest time limit Node.js keeps; write e.g. '2m'`,
    );
  return ms;
}

/** {@link durationMs} that may be zero (off) but not negative. */
function nonNegativeDurationMs(
  config: Config | undefined,
  at: string,
  key: string,
  fallbackMs: number,
): number {
  const ms = durationMs(config, at, key, fallbackMs);
  if (ms < 0)
    throw new Error(
      `${at}.${key}: ${JSON.stringify(
        config?.getOptional(key),
      )} is negative; write e.g. '10s', or '0s' for no minimum`,
    );
  return ms;
}

/** Default least time between two forced analyses of an entity: none (the Architecture tab does not show a deferred refresh yet). */
export const DEFAULT_REFRESH_MIN_INTERVAL_MS = 0;

/** Default cache limits: 2000 entries (one or two per entity), 256 MiB of JSON. */
export const DEFAULT_CACHE_LIMITS: CacheLimits = {
  maxEntries: 2000,
  maxBytes: 256 * 1024 * 1024,
};

function positiveInteger(
  config: Config | undefined,
  key: string,
  fallback: number,
  at = 'goldenPath.insights.cacheLimits',
  least = 1,
): number {
  const value = config?.getOptional(key);
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < least
  )
    throw new Error(
      `${at}.${key}: ${JSON.stringify(
        value,
      )} is not a whole number of at least ${least}; write e.g. ${fallback}`,
    );
  return value;
}

/**
 * The least heap an analysis worker is given: one with less runs out of
 * memory while it loads, before it analyses anything (16 MB did, measured).
 */
export const MIN_ANALYSIS_WORKER_HEAP_MB = 64;

/** `component:default/*-service` → an anchored, case-insensitive expression. */
export function entityRefPattern(pattern: string): RegExp {
  const escaped = pattern
    .trim()
    .toLocaleLowerCase('en-US')
    .split('*')
    .map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Reads `goldenPath.insights`. */
export function readInsightsConfig(root: Config): InsightsConfig {
  const config = root.getOptionalConfig('goldenPath.insights');
  const limits = config?.getOptionalConfig('limits');
  const cacheLimits = config?.getOptionalConfig('cacheLimits');
  const accessCache = config?.getOptionalConfig('accessCache');
  const analysisWorker = config?.getOptionalConfig('analysisWorker');
  const migrations = config?.getOptionalConfig('migrations');
  const timeouts = migrations?.getOptionalConfig('timeouts');
  const environments = (
    migrations?.getOptionalConfigArray('environments') ?? []
  ).map((env, i) => {
    const name = env.getString('name');
    const url = env.getOptionalString('url');
    const c = env.getOptionalConfig('connection');
    if (!url && !c) {
      throw new Error(
        `goldenPath.insights.migrations.environments[${i}] (${name}) needs url or connection`,
      );
    }
    const connection: AtlasDatabaseConnection = url
      ? { url, ssl: c?.getOptionalBoolean('ssl') }
      : {
          host: c!.getOptionalString('host'),
          port: c!.getOptionalNumber('port'),
          user: c!.getOptionalString('user'),
          password: c!.getOptionalString('password'),
          database: c!.getOptionalString('database'),
          ssl: c!.getOptionalBoolean('ssl'),
        };
    return {
      name,
      connection,
      revisionsSchema: env.getOptionalString('revisionsSchema'),
      entityFilter: env
        .getOptionalStringArray('entityFilter')
        ?.map(entityRefPattern),
    };
  });
  const names = new Set<string>();
  for (const e of environments) {
    if (names.has(e.name))
      throw new Error(
        `goldenPath.insights.migrations.environments: "${e.name}" is configured twice`,
      );
    names.add(e.name);
  }
  return {
    cacheTtlMs: durationMs(
      config,
      'goldenPath.insights',
      'cacheTtl',
      5 * 60_000,
    ),
    refreshMinIntervalMs: nonNegativeDurationMs(
      config,
      'goldenPath.insights',
      'refreshMinInterval',
      DEFAULT_REFRESH_MIN_INTERVAL_MS,
    ),
    cacheLimits: {
      maxEntries: positiveInteger(
        cacheLimits,
        'maxEntries',
        DEFAULT_CACHE_LIMITS.maxEntries,
      ),
      maxBytes: positiveInteger(
        cacheLimits,
        'maxBytes',
        DEFAULT_CACHE_LIMITS.maxBytes,
      ),
    },
    accessCache: {
      ttlMs: durationMs(
        accessCache,
        'goldenPath.insights.accessCache',
        'ttl',
        DEFAULT_ACCESS_CACHE.ttlMs,
      ),
      maxEntries: positiveInteger(
        accessCache,
        'maxEntries',
        DEFAULT_ACCESS_CACHE.maxEntries,
        'goldenPath.insights.accessCache',
      ),
    },
    localRoots: (config?.getOptionalStringArray('localRoots') ?? [])
      .filter(Boolean)
      .map(r => path.resolve(r)),
    limits: {
      maxFiles: limits?.getOptionalNumber('maxFiles'),
      maxFileBytes: limits?.getOptionalNumber('maxFileBytes'),
      maxTotalBytes: limits?.getOptionalNumber('maxTotalBytes'),
    },
    analysisWorker: {
      enabled: analysisWorker?.getOptionalBoolean('enabled') ?? true,
      maxHeapMb: positiveInteger(
        analysisWorker,
        'maxHeapMb',
        1024,
        'goldenPath.insights.analysisWorker',
        MIN_ANALYSIS_WORKER_HEAP_MB,
      ),
      timeoutMs: positiveDurationMs(
        analysisWorker,
        'goldenPath.insights.analysisWorker',
        'timeout',
        2 * 60_000,
      ),
    },
    timeouts: {
      connectMs: durationMs(
        timeouts,
        'goldenPath.insights.migrations.timeouts',
        'connect',
        5000,
      ),
      statementMs: durationMs(
        timeouts,
        'goldenPath.insights.migrations.timeouts',
        'statement',
        5000,
      ),
      lockMs: durationMs(
        timeouts,
        'goldenPath.insights.migrations.timeouts',
        'lock',
        2000,
      ),
    },
    environments,
  };
}
