export { countLines, summarizeGoFile, tokenizeGo } from './goSource';
export type { GoFileSummary, GoImport, GoToken } from './goSource';
export { readGoDeclarations } from './goDeclarations';
export type { GoDeclarations } from './goDeclarations';
export {
  evalGoBuildExpression,
  goFileBuilds,
  goFileNameMatches,
  readGoBuildConstraint,
} from './goBuildConstraints';
export type { GoBuildTarget } from './goBuildConstraints';
export { goModMinor, parseGoMod, parseGoWorkUses } from './goMod';
export type { GoMod, GoModReplace, GoModRequire } from './goMod';
