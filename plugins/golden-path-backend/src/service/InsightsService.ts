import type {
  CacheService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { InputError, isError, NotModifiedError } from '@backstage/errors';
import {
  ANNOTATION_GO_SERVICE,
  ANNOTATION_MIGRATIONS_DIR,
  GoServiceInsights,
  InsightsSource,
  LayersInsight,
  MigrationEnvironmentInsight,
  MigrationsInsight,
  ProtosInsight,
} from '@golden-path/plugin-golden-path-common';
import {
  AtlasDatabaseConnection,
  AtlasRevisionsError,
  AtlasRevisionsReader,
  atlasRevisionsSchema,
  compareMigrations,
  FileContentCache,
  normalizeServiceDir,
  serviceBaseName,
} from '../analysis';
import {
  InsightsConfig,
  InsightsEnvironmentConfig,
  readInsightsConfig,
} from './config';
import { BoundedCache, CacheStats } from './boundedCache';
import { StoppedAnalyses } from './stoppedAnalyses';
import { SharedLoads, type LoadState } from './sharedLoads';
import {
  entitySourceLocation,
  formatSourceLocation,
  readSourceTree,
} from './sourceLocation';
import { checkSourceProvenance } from './sourceProvenance';
import {
  InProcessSourceAnalyzer,
  isStoppedAnalysis,
  SourceAnalyzer,
  WorkerSourceAnalyzer,
} from './sourceAnalysis';

/**
 * How insights are asked for.
 *
 * @public
 */
export interface InsightsRequestOptions {
  /**
   * Analyse again instead of answering the cache. Not done when the cached
   * insights were made less than `goldenPath.insights.refreshMinInterval`
   * ago: those are answered, and `onRefreshDeferred` is told.
   */
  refresh?: boolean;
  /** Told that `refresh` was not done, and from when it is. */
  onRefreshDeferred?: (retryAt: Date) => void;
}

/**
 * Computes the insights of a Go service entity.
 *
 * @public
 */
export interface InsightsService {
  getInsights(
    entity: Entity,
    options?: InsightsRequestOptions,
  ): Promise<GoServiceInsights>;
}

/**
 * What the insights cache of this process holds against its limits, and its database pools.
 *
 * @public
 */
export interface InsightsCacheStats extends CacheStats {
  /** Pools open to migration environments' databases (at most 50, least recently used ended). */
  databasePools: number;
}

/**
 * What the insights cache of this process holds (size limit, evictions).
 *
 * @public
 */
export interface InsightsCacheStatsSource {
  cacheStats(): InsightsCacheStats;
}

/** The analysis of the source tree alone, cached by source revision. */
interface StaticAnalysis {
  etag?: string;
  source: InsightsSource;
  layers: LayersInsight;
  protos: ProtosInsight;
  migrations: Omit<MigrationsInsight, 'environments'>;
}

// v3: a service without a migration directory has no migration format (v2 said "atlas")
const CACHE_VERSION = 'v3';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether a cached source analysis has the shape this code writes and
 * reads back (the fields the insights, the fleet and a NotModified reuse
 * dereference). The cache is shared: another replica (an older or newer
 * version under the same key) or whoever can write the cache store may
 * have put anything there, and a bad entry would otherwise fail every load
 * of the service, refreshes included, until it expires (a day).
 */
function isStaticAnalysis(v: unknown): v is StaticAnalysis {
  return (
    isObject(v) &&
    (v.etag === undefined || typeof v.etag === 'string') &&
    isObject(v.source) &&
    isObject(v.layers) &&
    Array.isArray(v.layers.packages) &&
    Array.isArray(v.layers.violations) &&
    isObject(v.protos) &&
    Array.isArray(v.protos.files) &&
    isObject(v.migrations) &&
    Array.isArray(v.migrations.files)
  );
}

/** Whether cached insights have the shape this code writes, for this entity. */
function isCachedInsights(
  v: unknown,
  entityRef: string,
): v is GoServiceInsights {
  return (
    isObject(v) &&
    v.entityRef === entityRef &&
    typeof v.generatedAt === 'string' &&
    isStaticAnalysis({ ...v, etag: undefined }) &&
    isObject(v.migrations) &&
    Array.isArray(v.migrations.environments)
  );
}

/** `order-service` → `order_db`, the seed's per-service database name (scripts/init-db.sh). */
export function seedDatabaseName(entityName: string): string {
  return `${serviceBaseName(entityName).replace(/-/g, '_')}_db`;
}

function substitute(
  connection: AtlasDatabaseConnection,
  entity: Entity,
): AtlasDatabaseConnection {
  const fill = (v?: string) =>
    v
      ?.replace(/\{entity\}/g, entity.metadata.name)
      .replace(/\{db\}/g, seedDatabaseName(entity.metadata.name));
  return {
    ...connection,
    url: fill(connection.url),
    database: fill(connection.database),
  };
}

/**
 * Reads an entity's source (UrlReader for `url:` locations, configured local
 * roots for `dir:`), analyses layers, protos and migrations, and compares the
 * migrations with each configured environment. Results are cached per entity
 * for the configured TTL; the source analysis is also kept per source
 * revision (ETag), so an unchanged repository is not analysed again.
 */
export class DefaultInsightsService
  implements InsightsService, InsightsCacheStatsSource
{
  static fromConfig(
    config: Config,
    deps: {
      logger: LoggerService;
      urlReader: UrlReaderService;
      cache: CacheService;
    },
  ): DefaultInsightsService {
    const settings = readInsightsConfig(config);
    return new DefaultInsightsService(
      settings,
      deps.logger,
      deps.urlReader,
      deps.cache,
      new AtlasRevisionsReader(settings.timeouts),
    );
  }

  private readonly cache: BoundedCache;
  private readonly analyzer: SourceAnalyzer;
  /** The files a monorepo's services share, read once while unchanged. */
  private readonly sharedFiles = new FileContentCache();
  /** Loads under way in this process, by cache key (see SharedLoads). */
  private readonly loads = new SharedLoads<GoServiceInsights>();
  private readonly stopped: StoppedAnalyses;

  constructor(
    private readonly settings: InsightsConfig,
    private readonly logger: LoggerService,
    private readonly urlReader: UrlReaderService,
    cache: CacheService,
    private readonly revisions: AtlasRevisionsReader,
  ) {
    this.cache = new BoundedCache(cache, settings.cacheLimits);
    this.stopped = new StoppedAnalyses(settings.cacheTtlMs);
    this.analyzer = settings.analysisWorker.enabled
      ? new WorkerSourceAnalyzer(settings.analysisWorker, logger)
      : new InProcessSourceAnalyzer();
  }

  /** Entries, bytes, hits, misses and evictions of the cache, against its limits. */
  cacheStats(): InsightsCacheStats {
    return {
      ...this.cache.stats(),
      databasePools: this.revisions.poolCount,
    };
  }

  /** Closes the database pools and ends the analysis worker. */
  async close(): Promise<void> {
    await Promise.all([this.revisions.close(), this.analyzer.close()]);
  }

  /**
   * The entity's insights: from the cache, or its source read and analysed
   * (`refresh` skips the cache, unless the cached insights are younger than
   * `refreshMinInterval`).
   */
  async getInsights(
    entity: Entity,
    options: InsightsRequestOptions = {},
  ): Promise<GoServiceInsights> {
    const entityRef = stringifyEntityRef(entity);
    const annotations = entity.metadata.annotations ?? {};
    const rawServiceDir = annotations[ANNOTATION_GO_SERVICE];
    if (rawServiceDir === undefined) {
      throw new InputError(
        `${entityRef} is not a Go service: it has no ${ANNOTATION_GO_SERVICE} annotation`,
      );
    }
    let serviceDir: string;
    let migrationsDir: string;
    try {
      serviceDir = normalizeServiceDir(rawServiceDir);
      migrationsDir = normalizeServiceDir(
        annotations[ANNOTATION_MIGRATIONS_DIR] ?? 'db/migrations',
      );
    } catch (e) {
      throw new InputError(
        `${entityRef}: ${isError(e) ? e.message : String(e)}`,
      );
    }
    const location = entitySourceLocation(entity);
    // Before any cache: a source the entity only claims is never read nor served.
    await checkSourceProvenance(entity, location, this.settings.localRoots);
    const locationText = formatSourceLocation(location);
    const key = `${CACHE_VERSION}:insights:${entityRef}:${locationText}:${serviceDir}:${migrationsDir}`;
    const refresh = options.refresh === true;
    if (refresh) {
      const recent = await this.recentInsights(key, entityRef);
      if (recent) {
        options.onRefreshDeferred?.(recent.retryAt);
        return recent.insights;
      }
    }
    return this.loads.run(key, refresh, load =>
      this.load(entity, load, {
        key,
        refresh,
        location,
        locationText,
        serviceDir,
        migrationsDir,
      }),
    );
  }

  private async load(
    entity: Entity,
    load: LoadState,
    what: {
      key: string;
      refresh: boolean;
      location: ReturnType<typeof entitySourceLocation>;
      locationText: string;
      serviceDir: string;
      migrationsDir: string;
    },
  ): Promise<GoServiceInsights> {
    const entityRef = stringifyEntityRef(entity);
    const { key, location, locationText, serviceDir, migrationsDir } = what;
    if (!what.refresh) {
      const cached = await this.cache.get(key);
      if (isCachedInsights(cached, entityRef)) return cached;
      if (cached !== undefined) this.ignoredEntry(key);
    }

    const staticKey = `${CACHE_VERSION}:source:${entityRef}:${locationText}:${serviceDir}:${migrationsDir}`;
    if (what.refresh) this.stopped.delete(staticKey);
    const stop = this.stopped.get(staticKey);
    if (stop) throw stop;
    const cachedAnalysis = await this.cache.get(staticKey);
    const previous = isStaticAnalysis(cachedAnalysis)
      ? cachedAnalysis
      : undefined;
    if (cachedAnalysis !== undefined && !previous) this.ignoredEntry(staticKey);
    let analysis: StaticAnalysis | undefined;
    // the analysis worker, if not running, starts while the source is read
    this.analyzer.prepare();
    try {
      const tree = await readSourceTree({
        location,
        serviceDir,
        urlReader: this.urlReader,
        localRoots: this.settings.localRoots,
        limits: this.settings.limits,
        etag: previous?.etag,
        contentCache: this.sharedFiles,
      });
      const { migrations, layers, protos } = await this.analyzer
        .analyze(tree, {
          serviceDir,
          migrationsDir,
          maxFileBytes: this.settings.limits.maxFileBytes,
        })
        .catch(e => {
          // a limit of the worker: the next visits answer at once (see StoppedAnalyses)
          if (isStoppedAnalysis(e) && !load.superseded)
            this.stopped.set(staticKey, e);
          throw e;
        });
      analysis = {
        etag: tree.revision,
        source: {
          location: locationText,
          serviceDir,
          revision: tree.revision,
          fileCount: tree.files.size,
          problems: tree.problems,
        },
        layers,
        protos,
        migrations,
      };
      if (analysis.etag && !load.superseded)
        await this.cache.set(
          staticKey,
          analysis as unknown as JsonValue,
          24 * 60 * 60_000,
        );
    } catch (e) {
      if (!(e instanceof NotModifiedError) || !previous) throw e;
      analysis = previous;
    }

    const environments = await this.environmentStatus(
      entity,
      analysis.migrations,
    );
    const result: GoServiceInsights = {
      entityRef,
      generatedAt: new Date().toISOString(),
      source: analysis.source,
      layers: analysis.layers,
      protos: analysis.protos,
      migrations: { ...analysis.migrations, environments },
    };
    if (!load.superseded)
      await this.cache.set(
        key,
        result as unknown as JsonValue,
        this.settings.cacheTtlMs,
      );
    return result;
  }

  /**
   * The cached insights under `key` when they were made less than the
   * minimum interval of refreshes ago (a forced refresh then answers them),
   * and when a refresh is done again. A refresh under way is joined instead
   * (it costs nothing more); insights dated in the future (another
   * replica's clock, or a bad entry) do not hold refreshes off.
   */
  private async recentInsights(
    key: string,
    entityRef: string,
  ): Promise<{ insights: GoServiceInsights; retryAt: Date } | undefined> {
    const interval = this.settings.refreshMinIntervalMs;
    if (interval <= 0 || this.loads.isRefreshing(key)) return undefined;
    const cached = await this.cache.get(key);
    if (!isCachedInsights(cached, entityRef)) return undefined;
    const made = Date.parse(cached.generatedAt);
    const age = Date.now() - made;
    if (!(age >= 0 && age < interval)) return undefined;
    return { insights: cached, retryAt: new Date(made + interval) };
  }

  /** A cache entry not of the shape this code writes: read as a miss, overwritten by this load. */
  private ignoredEntry(key: string) {
    this.logger.warn(
      `golden-path insights: the cache entry ${key} is not of the shape this version writes (another version's, or written by someone else); it is analysed again`,
    );
  }

  private appliesTo(
    env: InsightsEnvironmentConfig,
    entityRef: string,
  ): boolean {
    return !env.entityFilter || env.entityFilter.some(p => p.test(entityRef));
  }

  private async environmentStatus(
    entity: Entity,
    migrations: Omit<MigrationsInsight, 'environments'>,
  ): Promise<MigrationEnvironmentInsight[]> {
    const entityRef = stringifyEntityRef(entity);
    const envs = this.settings.environments.filter(e =>
      this.appliesTo(e, entityRef),
    );
    return Promise.all(
      envs.map(async env => {
        const connection = substitute(env.connection, entity);
        const schema = atlasRevisionsSchema(connection, env.revisionsSchema);
        try {
          const revisions = await this.revisions.read(connection, schema);
          return compareMigrations(
            env.name,
            schema,
            migrations.files,
            revisions,
          );
        } catch (e) {
          const message =
            e instanceof AtlasRevisionsError
              ? e.message
              : 'unexpected error reading the revisions';
          this.logger.warn(
            `golden-path insights: environment ${env.name} of ${entityRef}: ${
              isError(e) ? e.message : e
            }`,
          );
          return {
            name: env.name,
            status: 'error' as const,
            message,
            revisionsSchema: schema,
            versions: [],
          };
        }
      }),
    );
  }
}
