export { runTool, minimalEnv, ToolFailedError } from './runTool';
export type { RunToolOptions, ToolResult, ToolLogger } from './runTool';
export { locateBinary, MissingBinaryError } from './locateBinary';
export type { LocateBinaryOptions } from './locateBinary';
export { OutputBuffer } from './OutputBuffer';
