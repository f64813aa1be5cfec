export {
  countLines,
  parseGoMod,
  summarizeGoFile,
} from '@golden-path/plugin-golden-path-common';
export { parseGoModModule } from './goMod';
export type {
  GoFileSummary,
  GoImport,
  GoMod,
  GoModReplace,
  GoModRequire,
} from '@golden-path/plugin-golden-path-common';
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
