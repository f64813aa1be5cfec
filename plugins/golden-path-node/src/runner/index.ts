export { runTool, minimalEnv, ToolFailedError } from './runTool';
export type { RunToolOptions, ToolResult, ToolLogger } from './runTool';
export type { Launch, LaunchEvents, LaunchSpec } from './launch';
export { closeToolLaunchers, toolLauncher } from './ToolLauncher';
export type { ToolLauncher, ToolLauncherOptions } from './ToolLauncher';
export { locateBinary, MissingBinaryError } from './locateBinary';
export type { LocateBinaryOptions } from './locateBinary';
export { ToolSandbox } from './sandbox';
export type {
  SandboxLimits,
  SandboxPaths,
  ToolSandboxOptions,
} from './sandbox';
export type { CgroupCounters, SandboxLimitMode } from './cgroups';
