export { countLines, summarizeGoFile, tokenizeGo } from './goSource';
export type { GoFileSummary, GoImport, GoToken } from './goSource';
export { readGoDeclarations } from './goDeclarations';
export type { GoDeclarations } from './goDeclarations';
