export {
  createInsightsFileFilter,
  DEFAULT_SOURCE_TREE_LIMITS,
  isBinary,
  normalizeServiceDir,
  readLocalSourceTree,
  serviceBaseName,
  SourceTreeBuilder,
} from './sourceTree';
export type { SourceTree, SourceTreeLimits } from './sourceTree';
export { countLines, parseGoModModule, summarizeGoFile } from './goSource';
export type { GoFileSummary, GoImport } from './goSource';
export {
  analyzeGoLayers,
  classifyGoPackage,
  DEPENDENCY_RULES,
  GO_LAYERS,
} from './layers';
export type { AnalyzeGoLayersOptions } from './layers';
