export { UnsafeToolConfigError } from './violations';
export type { Violation } from './violations';
export {
  parseBufJsonErrors,
  checkBufGenConfig,
  bufWorkDirectories,
  checkBufModuleConfig,
} from './buf';
export {
  parseSqlcErrors,
  checkSqlcConfig,
  resolveSqlcProcessPlugins,
} from './sqlc';
export type { SqlcPluginPolicy } from './sqlc';
export { parseAtlasLint } from './atlas';
export { checkAtlasHcl } from './atlasHcl';
