export { countLines, parseGoModModule, summarizeGoFile } from './goSource';
export type { GoFileSummary, GoImport } from './goSource';
export {
  analyzeGoLayers,
  classifyGoPackage,
  DEPENDENCY_RULES,
  GO_LAYERS,
  summarizeServiceGoFiles,
} from './layers';
export type { AnalyzeGoLayersOptions } from './layers';
export {
  describeRecognisedLayout,
  followsGoldenPathLayout,
  GOLDEN_PATH_LAYER_DIRS,
  recogniseGoPackage,
} from './layout';
