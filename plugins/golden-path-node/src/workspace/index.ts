export { resolveWorkspacePath, workspaceResolver } from './resolveWorkspacePath';
export type { ResolveWorkspacePathOptions, WorkspaceEntry, WorkspaceResolver } from './resolveWorkspacePath';
