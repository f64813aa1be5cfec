import { InputError } from '@backstage/errors';
import {
  locateBinary,
  resolveWorkspacePath,
  runTool,
  ToolResult,
} from '@golden-path/plugin-golden-path-node';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import path from 'node:path';
import { GoldenPathSettings } from './settings';

type Tool = 'buf' | 'sqlc' | 'atlas';

/** Everything an action needs to run one of the CLIs. */
export interface ToolStepOptions {
  settings: GoldenPathSettings;
  actionId: string;
  tool: Tool;
  args: string[];
  cwd: string;
  allowedExitCodes?: number[];
  env?: Record<string, string>;
}

/** Resolves `input.workingDirectory` inside the workspace; it must be a directory. */
export function workingDirectory(ctx: ActionContext<any, any>, dir: string | undefined): string {
  const abs = resolveWorkspacePath(ctx.workspacePath, dir ?? '.', { label: 'workingDirectory' });
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new InputError(`workingDirectory "${dir ?? '.'}" is not a directory in the task workspace`);
  }
  return abs;
}

/** Reads a config file of the working directory (confined), or undefined when absent. */
export function readConfigFile(ctx: ActionContext<any, any>, cwd: string, name: string): string | undefined {
  const rel = path.relative(ctx.workspacePath, path.join(cwd, name));
  const abs = resolveWorkspacePath(ctx.workspacePath, rel, { label: name });
  return fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : undefined;
}

/** Runs the tool for an action: located binary, minimal env, task log, cancel, timeout. */
export async function runToolStep(ctx: ActionContext<any, any>, o: ToolStepOptions): Promise<ToolResult> {
  const binary = locateBinary(o.tool, {
    configuredPath: o.settings.binaries[o.tool],
    toolsDir: o.settings.toolsDir,
  });
  const pathDirs = [path.dirname(binary)];
  if (o.settings.toolsDir) pathDirs.push(path.join(o.settings.toolsDir, 'bin'));
  const env: Record<string, string> = { ...o.env };
  if (o.settings.goproxy) env.GOPROXY = o.settings.goproxy;
  ctx.logger.info(`running ${o.tool} ${o.args.join(' ')} in ${path.relative(ctx.workspacePath, o.cwd) || '.'}`);
  return runTool({
    binary,
    args: o.args,
    cwd: o.cwd,
    env,
    pathDirs,
    timeoutMs: o.settings.timeouts[o.actionId] ?? o.settings.defaultTimeoutMs,
    signal: ctx.signal,
    logger: ctx.logger,
    allowedExitCodes: o.allowedExitCodes,
  });
}

/** Lists files (relative to `root`) with their size and mtime, skipping .git. */
export function snapshotFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) {
        const st = fs.statSync(abs);
        out.set(path.relative(root, abs), `${st.size}:${st.mtimeMs}`);
      }
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out;
}

/** Files new or changed between two snapshots, sorted. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.entries()]
    .filter(([file, sig]) => before.get(file) !== sig)
    .map(([file]) => file)
    .sort();
}
