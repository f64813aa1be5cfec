export {
  compareStrings,
  createInsightsDirFilter,
  createInsightsFileFilter,
  DEFAULT_SOURCE_TREE_LIMITS,
  formatBytes,
  isBinary,
  normalizeServiceDir,
  readLocalSourceTree,
  serviceBaseName,
  serviceProtoDirs,
  SourceTreeBuilder,
} from './sourceTree';
export type {
  LocalSourceTreeOptions,
  SourceTree,
  SourceTreeLimits,
} from './sourceTree';
export { countLines, parseGoModModule, summarizeGoFile } from './goSource';
export type { GoFileSummary, GoImport } from './goSource';
export {
  analyzeGoLayers,
  classifyGoPackage,
  DEPENDENCY_RULES,
  GO_LAYERS,
} from './layers';
export type { AnalyzeGoLayersOptions } from './layers';
export {
  describeRecognisedLayout,
  followsGoldenPathLayout,
  GOLDEN_PATH_LAYER_DIRS,
  recogniseGoPackage,
} from './layout';
