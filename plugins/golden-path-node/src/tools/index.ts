export { UnsafeToolConfigError } from './violations';
export type { Violation } from './violations';
export { parseBufJsonErrors, checkBufGenConfig, checkBufModuleConfig } from './buf';
export { parseSqlcErrors, checkSqlcConfig } from './sqlc';
export { checkAtlasHcl, parseAtlasLint } from './atlas';
