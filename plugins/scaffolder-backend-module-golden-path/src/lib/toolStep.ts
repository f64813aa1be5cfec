import { InputError } from '@backstage/errors';
import {
  isUnder,
  locateBinary,
  readFileNoFollow,
  runTool,
  ToolFailedError,
  ToolResult,
  WorkspaceResolver,
  workspaceResolver,
} from '@golden-path/plugin-golden-path-node';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import path from 'node:path';
import { GoldenPathSettings } from './settings';
import { toolLaunch } from './toolLaunch';
import { toolSandbox } from './toolSandbox';
import { toolSlots } from './toolSlots';

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
  /** Directories of Unix sockets the tool may connect to (the dev database's); it has no network. */
  sockets?: string[];
}

const resolvers = new WeakMap<object, WorkspaceResolver>();

/**
 * The confining resolver of the step's workspace: its real path is looked up
 * once per step (per action context), every path is still checked in full.
 */
export function workspaceOf(ctx: ActionContext<any, any>): WorkspaceResolver {
  let resolver = resolvers.get(ctx);
  if (!resolver) {
    resolver = workspaceResolver(ctx.workspacePath);
    resolvers.set(ctx, resolver);
  }
  return resolver;
}

/** Confines a path given relative to `base` (an already confined directory). */
export function confinePath(
  ctx: ActionContext<any, any>,
  base: string,
  p: string,
  label: string,
  forWrite = false,
) {
  return confinedEntry(ctx, base, p, label, forWrite).path;
}

/** The same, with what is at the path (from the stats the check made). */
function confinedEntry(
  ctx: ActionContext<any, any>,
  base: string,
  p: string,
  label: string,
  forWrite = false,
) {
  return workspaceOf(ctx).entryAt(base, p, { label, forWrite });
}

/** Resolves `input.workingDirectory` inside the workspace; it must be a directory. */
export function workingDirectory(
  ctx: ActionContext<any, any>,
  dir: string | undefined,
): string {
  const entry = workspaceOf(ctx).entry(dir ?? '.', {
    label: 'workingDirectory',
  });
  if (!entry.stats?.isDirectory()) {
    throw new InputError(
      `workingDirectory "${
        dir ?? '.'
      }" is not a directory in the task workspace`,
    );
  }
  return entry.path;
}

/** Reads a config file of the working directory (confined), or undefined when absent. */
export function readConfigFile(
  ctx: ActionContext<any, any>,
  cwd: string,
  name: string,
): string | undefined {
  const entry = confinedEntry(ctx, cwd, name, name);
  if (!entry.stats) return undefined;
  if (!entry.stats.isFile()) throw new InputError(`${name} is not a file`);
  // At its real path (every link on the way judged), no link followed.
  return readFileNoFollow(entry.realPath, name).content.toString('utf8');
}

/** Runs the tool for an action: located binary, minimal env, task log, cancel, timeout. */
export async function runToolStep(
  ctx: ActionContext<any, any>,
  o: ToolStepOptions,
): Promise<ToolResult> {
  const binary = locateBinary(o.tool, {
    configuredPath: o.settings.binaries[o.tool],
    toolsDir: o.settings.toolsDir,
  });
  const pathDirs = [path.dirname(binary)];
  if (o.settings.toolsDir) pathDirs.push(path.join(o.settings.toolsDir, 'bin'));
  const env: Record<string, string> = { ...o.env };
  if (o.settings.goproxy) env.GOPROXY = o.settings.goproxy;
  const sandbox = toolSandbox(o.settings);
  const release = await toolSlot(ctx, o);
  try {
    // runTool spawns the tool before it returns; the log line follows.
    const run = runTool({
      binary,
      args: o.args,
      cwd: o.cwd,
      env,
      pathDirs,
      timeoutMs: o.settings.timeouts[o.actionId] ?? o.settings.defaultTimeoutMs,
      signal: ctx.signal,
      logger: ctx.logger,
      allowedExitCodes: o.allowedExitCodes,
      launch: toolLaunch(o.settings),
      sandbox,
      sandboxPaths: { writable: [workspaceOf(ctx).root], sockets: o.sockets },
    });
    // Passwords of URLs (the dev database's) stay out of the task log.
    const shown = o.args.map(a =>
      a.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@'),
    );
    ctx.logger.info(
      `running ${o.tool} ${shown.join(' ')} in ${
        path.relative(workspaceOf(ctx).root, o.cwd) || '.'
      }`,
    );
    return await run;
  } finally {
    release();
  }
}

/** A slot for one tool run; when all are taken, the wait is said in the task log. */
async function toolSlot(ctx: ActionContext<any, any>, o: ToolStepOptions) {
  const slots = toolSlots(o.settings);
  const now = slots.tryAcquire();
  if (now) return now;
  const started = Date.now();
  ctx.logger.info(
    `waiting for a free tool slot: ${slots.inUse} tool runs in progress on this backend, ` +
      `${slots.waiting} steps waiting before this one (goldenPath.tools.concurrency: ${slots.limit})`,
  );
  const release = await slots.acquire(
    ctx.signal,
    () =>
      new ToolFailedError(
        `${o.tool} was not started: the task was cancelled while it waited for a tool slot`,
        {
          exitCode: null,
          signal: null,
          stdout: '',
          stderr: '',
          durationMs: Date.now() - started,
        },
      ),
  );
  ctx.logger.info(
    `got a tool slot after ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return release;
}

/**
 * Lists files (relative to `root`) with their size and mtime, skipping .git:
 * all of `root`, or only the directories `under` (absolute, inside root).
 */
export function snapshotFiles(
  root: string,
  under: string[] = [root],
): Map<string, string> {
  const out = new Map<string, string>();
  // Names are joined by hand (the walk is on hot paths; path.join is slow).
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const abs = `${dir}${path.sep}${e.name}`;
      const name = rel ? `${rel}${path.sep}${e.name}` : e.name;
      if (e.isDirectory()) walk(abs, name);
      else if (e.isFile()) {
        const st = fs.statSync(abs);
        out.set(name, `${st.size}:${st.mtimeMs}`);
      }
    }
  };
  const dirs = [...new Set(under)];
  for (const dir of dirs) {
    // walked with the directory holding it
    if (dirs.some(d => d !== dir && isUnder(d, dir))) continue;
    if (fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      walk(dir, path.relative(root, dir));
  }
  return out;
}

/** Files new or changed between two snapshots, sorted. */
export function changedFiles(
  before: Map<string, string>,
  after: Map<string, string>,
): string[] {
  return [...after.entries()]
    .filter(([file, sig]) => before.get(file) !== sig)
    .map(([file]) => file)
    .sort();
}
