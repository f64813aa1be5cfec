/** `golden-path tools install` cannot go on; the message says what, where and how to fix it. */
export class ToolsInstallError extends Error {
  name = 'ToolsInstallError';
}
