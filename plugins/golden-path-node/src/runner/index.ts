export { runTool, minimalEnv, ToolFailedError } from './runTool';
export type { RunToolOptions, ToolResult, ToolLogger } from './runTool';
export { spawnLaunch } from './launch';
export type { Launch, LaunchEvents, LaunchSpec } from './launch';
export { closeToolLaunchers, ToolLauncher, toolLauncher } from './ToolLauncher';
export type { ToolLauncherOptions } from './ToolLauncher';
export { locateBinary, MissingBinaryError } from './locateBinary';
export type { LocateBinaryOptions } from './locateBinary';
export { OutputBuffer } from './OutputBuffer';
export { ToolSandbox } from './sandbox';
export type {
  SandboxLimits,
  SandboxPaths,
  ToolSandboxOptions,
} from './sandbox';
