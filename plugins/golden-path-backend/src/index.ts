/**
 * Insights backend of Golden Path for Go: per-entity layer analysis, proto
 * API checks and Atlas migration status of Go services.
 *
 * @packageDocumentation
 */

export { goldenPathBackend as default } from './feature';
export {
  DefaultInsightsService,
  seedDatabaseName,
} from './service/InsightsService';
export type {
  InsightsCacheStats,
  InsightsCacheStatsSource,
  InsightsRequestOptions,
  InsightsService,
} from './service/InsightsService';
export type { CacheLimits, CacheStats } from './service/boundedCache';
export { AtlasRevisionsError, AtlasRevisionsReader } from './analysis';
export type {
  AtlasDatabaseConnection,
  AtlasRevision,
  AtlasRevisionsTimeouts,
  SourceTreeLimits,
} from './analysis';
