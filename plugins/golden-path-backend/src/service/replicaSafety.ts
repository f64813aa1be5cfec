import { Config } from '@backstage/config';

/** Cache stores of Backstage's cache service that every replica shares. */
const SHARED_CACHE_STORES = ['redis', 'valkey', 'memcache'];

/** Databases of one process: each replica would have its own. */
const PROCESS_DATABASES = ['better-sqlite3', 'sqlite3'];

/** Settings naming directories on the backend's own disk. */
const LOCAL_ROOT_KEYS = [
  'goldenPath.publish.local.allowedRoots',
  'goldenPath.insights.localRoots',
  'goldenPath.discovery.roots',
];

const REFUSED = 'Golden Path refuses to start with goldenPath.replicated: true';

/**
 * When `goldenPath.replicated` is true (more than one backend process serves
 * the config, as app-config.production.yaml declares), the settings that only
 * hold within one process: a database of the process, a cache of the
 * process, directories of one machine's disk not declared shared. Returns the
 * first one as one line saying what, where and how to fix it, or undefined.
 */
export function replicaSafetyProblem(config: Config): string | undefined {
  if (!config.getOptionalBoolean('goldenPath.replicated')) return undefined;
  const client = config.getOptionalString('backend.database.client');
  if (!client || PROCESS_DATABASES.includes(client)) {
    return `${REFUSED}: backend.database.client is ${
      client ?? 'not set'
    }, so each replica would keep its own catalog and scaffolder task queue; set backend.database.client: pg with its connection`;
  }
  const store = config.getOptionalString('backend.cache.store') ?? 'memory';
  if (!SHARED_CACHE_STORES.includes(store)) {
    return `${REFUSED}: backend.cache.store is ${store}, so each replica would keep its own insights cache; set backend.cache.store: redis and backend.cache.connection: redis://<host>:6379`;
  }
  if (!config.getOptionalString('backend.cache.connection')) {
    return `${REFUSED}: backend.cache.store is ${store} but backend.cache.connection is not set; set it to the store's URL (e.g. redis://<host>:6379)`;
  }
  if (!config.getOptionalBoolean('goldenPath.localRootsShared')) {
    for (const key of LOCAL_ROOT_KEYS) {
      const roots = (config.getOptionalStringArray(key) ?? []).filter(Boolean);
      if (roots.length) {
        return `${REFUSED}: ${key} names ${roots.join(
          ', ',
        )} on this machine's disk, which the other replicas do not see; remove it, or mount one shared filesystem at that path on every replica and set goldenPath.localRootsShared: true`;
      }
    }
  }
  return undefined;
}
