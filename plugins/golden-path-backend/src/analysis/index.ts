export {
  createInsightsDirFilter,
  createInsightsFileFilter,
  DEFAULT_SOURCE_TREE_LIMITS,
  FileContentCache,
  formatBytes,
  isBinary,
  normalizeServiceDir,
  readLocalSourceTree,
  recordedValuesPath,
  serviceBaseName,
  serviceProtoDirs,
  SourceTreeBuilder,
} from './sourceTree';
export type {
  InsightsReadOptions,
  LocalSourceTreeOptions,
  SourceTree,
  SourceTreeLimits,
} from './sourceTree';
export * from './layers';
export * from './migrations';
export * from './proto';
