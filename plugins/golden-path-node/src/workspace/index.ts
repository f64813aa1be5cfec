export { resolveWorkspacePath } from './resolveWorkspacePath';
export type { ResolveWorkspacePathOptions } from './resolveWorkspacePath';
