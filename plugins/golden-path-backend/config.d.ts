import { HumanDuration } from '@backstage/types';

export interface Config {
  goldenPath?: {
    /**
     * More than one backend process serves this config (replicas behind a load balancer, as
     * app-config.production.yaml declares). The backend then refuses to start, in one line, with a
     * setting that holds in one process only: a SQLite database, a cache store other than redis,
     * valkey or memcache, or local roots (`goldenPath.publish.local.allowedRoots`,
     * `goldenPath.insights.localRoots`, `goldenPath.discovery.roots`) not declared shared.
     */
    replicated?: boolean;
    /**
     * The local roots are one shared filesystem mounted at the same path on every replica (NFS, a
     * shared volume), so replicas may use them. Default false.
     */
    localRootsShared?: boolean;
    /** Golden Path for Go: the insights backend (layers, proto APIs, migrations of Go services). */
    insights?: {
      /**
       * How long an entity's insights are cached, e.g. `{ minutes: 5 }` or `'5m'`. Default 5 minutes.
       * A request with `?refresh=true` recomputes them.
       */
      cacheTtl?: HumanDuration | string;
      /**
       * The least time between two analyses of an entity forced with `?refresh=true` (any signed-in
       * user may ask for one). A refresh asked for when the entity's cached insights were made less
       * than this long ago is not done: the cached insights are answered, with the header
       * `Golden-Path-Refresh: deferred` and `Retry-After` (seconds until a refresh is done again).
       * Measured from the insights' `generatedAt`, so it holds across replicas sharing the cache.
       * Default `0s`: every refresh is done (refreshes under way are still shared), because the
       * Architecture tab does not show a deferred refresh yet; on a large shared instance set e.g.
       * `10s`.
       */
      refreshMinInterval?: HumanDuration | string;
      /**
       * How much this process keeps in the cache store: an entry per entity (its insights), and one
       * per `url:` location's commit (its source analysis), counted with their JSON size. Beyond either limit the least recently
       * used entries are deleted from the store (Backstage's memory store would otherwise keep
       * them, expired or not, until read again). `GET /api/golden-path/insights-cache` shows the
       * entries, bytes, hits, misses and evictions.
       */
      cacheLimits?: {
        /** Most entries. Default 2000 (1000 to 2000 entities). */
        maxEntries?: number;
        /** Most bytes of JSON. Default 268435456 (256 MiB). */
        maxBytes?: number;
      };
      /**
       * How long a user's allowed access to an entity's insights is reused: the entity read from the
       * catalog with their credentials and `golden-path.insights.read` allowed on it, kept per user
       * (entity ref and ownership claims) and entity, in this process's memory. Without it every
       * request asks the catalog and the permission backend again (most of a cached request's time).
       * The trade-off: a revoked permission, or an entity the user may no longer see, takes effect
       * after at most `ttl`. Refusals (404, 403) are never kept; `?refresh=true` checks again.
       */
      accessCache?: {
        /** Default 5 seconds; `0s` turns the cache off. */
        ttl?: HumanDuration | string;
        /** Most checks kept (least recently used dropped first). Default 10000. */
        maxEntries?: number;
      };
      /**
       * Directories whose contents `dir:` source locations may point into (for local development and
       * services published with golden-path:publish:local). A `dir:` location outside every root is
       * refused; symlinks are never followed out of the root. Empty by default: only `url:` locations
       * are read, through the backend's integrations (UrlReader).
       */
      localRoots?: string[];
      /** Limits on reading a service's source tree. */
      limits?: {
        /** Most relevant files read (.go, .proto, .sql, go.mod, atlas.sum). Default 20000. */
        maxFiles?: number;
        /** Largest file read, in bytes; larger ones are reported and skipped. Default 1048576 (1 MiB). */
        maxFileBytes?: number;
        /** Most bytes read in total. Default 67108864 (64 MiB). */
        maxTotalBytes?: number;
      };
      /**
       * The analysis of a service's source (Go layers, protos, migration files) runs in a worker
       * thread, so the backend's event loop and heap carry none of it; one service at a time.
       */
      analysisWorker?: {
        /** Default true; false analyses on the main thread, in slices that yield to the event loop. */
        enabled?: boolean;
        /** The worker's heap limit in MiB; an analysis that needs more is stopped with a 503. Default 1024. */
        maxHeapMb?: number;
        /** Longest analysis of one service; a longer one is stopped with a 503. Default 2 minutes. */
        timeout?: HumanDuration | string;
      };
      /** Migration status of the services' databases. */
      migrations?: {
        /** Timeouts for reading atlas_schema_revisions. */
        timeouts?: {
          /** Connecting to the database. Default 5 seconds. */
          connect?: HumanDuration | string;
          /** PostgreSQL statement_timeout of the read. Default 5 seconds. */
          statement?: HumanDuration | string;
          /** PostgreSQL lock_timeout of the read. Default 2 seconds. */
          lock?: HumanDuration | string;
        };
        /**
         * The environments whose databases are compared with the migration directory. Use a role that
         * can only read the revisions table (see the plugin README). In `url` and `connection.database`,
         * `{entity}` is replaced by the entity name and `{db}` by the seed's database name
         * (`order-service` → `order_db`).
         */
        environments?: Array<{
          /** Shown in the UI, e.g. `staging`. */
          name: string;
          /**
           * PostgreSQL URL, e.g. `postgres://insights_ro:pw@db:5432/{db}?sslmode=require`.
           * @visibility secret
           */
          url?: string;
          /** Connection fields, used when `url` is not set. */
          connection?: {
            host?: string;
            port?: number;
            user?: string;
            /** @visibility secret */
            password?: string;
            database?: string;
            /** Require TLS with verified certificates. */
            ssl?: boolean;
          };
          /**
           * Schema of the atlas_schema_revisions table. Default: the URL's `search_path`, else
           * `atlas_schema_revisions` (where Atlas keeps it for database-scoped URLs).
           */
          revisionsSchema?: string;
          /**
           * Entities this environment applies to, as entity refs; `*` matches any characters
           * (e.g. `component:default/*-service`). Default: every entity.
           */
          entityFilter?: string[];
        }>;
      };
    };
  };
}
