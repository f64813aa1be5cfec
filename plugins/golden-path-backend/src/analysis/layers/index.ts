export { countLines, summarizeGoFile } from './goSource';
export { parseGoMod, parseGoModModule } from './goMod';
export type { GoMod, GoModReplace, GoModRequire } from './goMod';
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
