export {
  countLines,
  summarizeGoFile,
} from '@golden-path/plugin-golden-path-common';
export { parseGoMod, parseGoModModule } from './goMod';
export type { GoMod, GoModReplace, GoModRequire } from './goMod';
export type {
  GoFileSummary,
  GoImport,
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
