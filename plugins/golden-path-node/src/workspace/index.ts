export {
  confinedRoot,
  copyConfinedFile,
  isUnder,
  readFileNoFollow,
  realPathUnderRoots,
  resolveWorkspacePath,
  workspaceResolver,
  writeConfinedFile,
} from './confinePath';
export type {
  ConfinedEntry,
  ConfinedRoot,
  ConfineOptions,
  WorkspaceResolver,
} from './confinePath';
export { entitySourceLocation, formatSourceLocation } from './sourceLocation';
export { checkSourceProvenance, repositoryOfUrl } from './sourceProvenance';
export type { SourceLocation } from './sourceLocation';
