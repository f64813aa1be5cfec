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
  ResolveWorkspacePathOptions,
  WorkspaceEntry,
  WorkspaceResolver,
} from './confinePath';
export { entitySourceLocation, formatSourceLocation } from './sourceLocation';
export type { SourceLocation } from './sourceLocation';
