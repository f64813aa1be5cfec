import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Launch, LaunchEvents, LaunchSpec, spawnLaunch } from './launch';
import { OutputBuffer } from './OutputBuffer';
import { TaskLog } from './TaskLog';
import { sandboxedExit, SandboxPaths, ToolSandbox } from './sandbox';

/**
 * Receives the tool's output line by line.
 *
 * @public
 */
export interface ToolLogger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Options of {@link runTool}.
 *
 * @public
 */
export interface RunToolOptions {
  /** Absolute path of the binary (see locateBinary). */
  binary: string;
  /** Arguments, passed as an array: never through a shell. */
  args: string[];
  /** Working directory, already confined to the workspace by the caller. */
  cwd: string;
  /** Extra environment, on top of the minimal allow-listed one. */
  env?: Record<string, string>;
  /** Directories put first on PATH (e.g. the tools directory for buf's local plugins). */
  pathDirs?: string[];
  /** Kill the tool after this many milliseconds. */
  timeoutMs: number;
  /** Kills the tool when aborted (the scaffolder's ctx.signal). */
  signal?: AbortSignal;
  logger?: ToolLogger;
  /** Output kept in memory per stream, head and tail; default 1 MiB. */
  maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL; default 1 s. */
  killGraceMs?: number;
  /** Exit codes that are not failures (e.g. 100 for buf lint findings). */
  allowedExitCodes?: number[];
  /** How the tool is started: Node's spawn (default) or a ToolLauncher's `launch`. */
  launch?: Launch;
  /**
   * Runs the tool inside this OS sandbox, which sees the system's programs,
   * the binary's and `pathDirs` directories (read-only) and `sandboxPaths`.
   */
  sandbox?: ToolSandbox;
  /** What the sandboxed tool may write and read besides its own directories; `cwd` must be among them. */
  sandboxPaths?: SandboxPaths;
  /** Lines of output sent to the logger at most (the rest is counted, not logged); default 500. */
  maxLogLines?: number;
  /** Bytes of output sent to the logger at most; default 128 KiB. */
  maxLogBytes?: number;
}

/**
 * What a finished tool left behind.
 *
 * @public
 */
export interface ToolResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * The tool failed: non-zero exit, killed by a signal, timed out or cancelled.
 *
 * @public
 */
export class ToolFailedError extends Error {
  name = 'ToolFailedError';
  constructor(message: string, readonly result: ToolResult) {
    super(message);
  }
}

const SYSTEM_PATH = ['/usr/local/go/bin', '/usr/local/bin', '/usr/bin', '/bin'];

/** A HOME shared by tool runs, holding only tool caches (never secrets). */
let home:
  | { dir: string; cache: string; goBuild: string; goPath: string }
  | undefined;

function toolHome() {
  if (!home) {
    const dir = path.join(
      os.tmpdir(),
      `golden-path-tool-home-${process.getuid?.() ?? 0}`,
    );
    const cache = path.join(dir, '.cache');
    home = {
      dir,
      cache,
      goBuild: path.join(cache, 'go-build'),
      goPath: path.join(dir, 'go'),
    };
  }
  if (!fs.existsSync(home.dir))
    fs.mkdirSync(home.dir, { recursive: true, mode: 0o700 });
  return home;
}

/**
 * The minimal environment every tool runs with: nothing of the backend's own.
 *
 * @public
 */
export function minimalEnv(
  pathDirs: string[],
  extra: Record<string, string> = {},
) {
  const h = toolHome();
  return {
    PATH: [...pathDirs, ...SYSTEM_PATH].join(path.delimiter),
    HOME: h.dir,
    XDG_CACHE_HOME: h.cache,
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    GOTOOLCHAIN: 'local',
    GOFLAGS: '',
    GOCACHE: h.goBuild,
    GOPATH: h.goPath,
    ...extra,
  };
}

/** A SIGKILL in a sandbox after at least its CPU limit of wall time: the hard CPU limit, not a kill by the step. */
function cpuSpent(result: ToolResult, options: RunToolOptions): boolean {
  return result.durationMs >= options.sandbox!.options.limits.cpuSeconds * 1000;
}

/** Characters of a tool's output a failure message carries at most, per line and in all. */
const MAX_MESSAGE_LINE = 500;
const MAX_MESSAGE = 4000;

/**
 * The last `n` lines of a tool's output, for its failure message: each line
 * and the whole bounded (a tool may print one line of megabytes, e.g. a
 * statement of the input it quotes), the cuts marked.
 */
function lastLines(text: string, n: number): string {
  const lines = text
    .trim()
    .split('\n')
    .slice(-n)
    .map(l =>
      l.length > MAX_MESSAGE_LINE
        ? `${l.slice(0, MAX_MESSAGE_LINE)} … (${
            l.length - MAX_MESSAGE_LINE
          } more characters)`
        : l,
    );
  let size = lines.reduce((sum, l) => sum + l.length + 1, 0);
  while (lines.length > 1 && size > MAX_MESSAGE)
    size -= lines.shift()!.length + 1;
  return lines.join('\n');
}

/**
 * Runs a CLI without a shell in its own process group, streaming its output
 * to the logger. On timeout or abort the whole group gets SIGTERM, then
 * SIGKILL after the grace period. Resolves on success; rejects with
 * ToolFailedError otherwise.
 *
 * @public
 */
export function runTool(options: RunToolOptions): Promise<ToolResult> {
  const tool = path.basename(options.binary);
  const limit = options.maxOutputBytes ?? 1024 * 1024;
  const grace = options.killGraceMs ?? 1000;
  const started = Date.now();

  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(
        new ToolFailedError(`${tool} was not started: the task was cancelled`, {
          exitCode: null,
          signal: null,
          stdout: '',
          stderr: '',
          durationMs: 0,
        }),
      );
      return;
    }
    const stdout = new OutputBuffer(limit);
    const stderr = new OutputBuffer(limit);
    let reason: 'timeout' | 'cancelled' | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const taskLog = options.logger
      ? new TaskLog(tool, options.logger, {
          maxLines: options.maxLogLines ?? 500,
          maxBytes: options.maxLogBytes ?? 128 * 1024,
        })
      : undefined;
    const stream = (buf: OutputBuffer, level: 'info' | 'warn') => {
      const log = taskLog?.stream(level);
      return (chunk: Buffer) => {
        buf.push(chunk);
        log?.(chunk);
      };
    };
    let pid: number | undefined;
    let closed = false;
    /** Started as `bwrap … tool` (its exit code stands for the tool's), not through a sandbox's own launcher. */
    let viaBwrap = false;
    let abandon = () => {};
    const stopReason = () =>
      reason === 'timeout'
        ? `timed out after ${options.timeoutMs} ms`
        : 'the task was cancelled';
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (pid && !closed) process.kill(-pid, sig);
      } catch {
        /* the group is gone */
      }
    };
    const stop = (why: 'timeout' | 'cancelled') => {
      if (reason) return;
      reason = why;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => {
        killGroup('SIGKILL');
        // The group is dead; a process that left it may still hold the
        // output open. The step ends anyway, after one more grace period.
        killTimer = setTimeout(() => abandon(), grace);
      }, grace);
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (
      reportedCode: number | null,
      reportedSignal: NodeJS.Signals | null,
      error?: Error,
      abandoned = false,
      limitReached?: string,
    ) => {
      if (closed) return;
      // bwrap reports a tool killed by signal N as exit code 128 + N.
      const sandboxSignal =
        viaBwrap && !reportedSignal ? sandboxedExit(reportedCode) : undefined;
      const exitCode = sandboxSignal ? null : reportedCode;
      const signal = sandboxSignal ?? reportedSignal;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (reason) {
        // The leader is gone; make sure no child of it survives.
        killGroup('SIGKILL');
        if (killTimer) clearTimeout(killTimer);
      }
      closed = true;
      taskLog?.end();
      const result: ToolResult = {
        exitCode,
        signal,
        stdout: stdout.toString(),
        stderr: stderr.toString(),
        durationMs: Date.now() - started,
      };
      if (error) {
        reject(
          new ToolFailedError(
            `${tool} could not be started: ${error.message}`,
            result,
          ),
        );
      } else if (abandoned && !pid) {
        reject(
          new ToolFailedError(
            `${tool} was stopped (${stopReason()}) before it had started`,
            result,
          ),
        );
      } else if (abandoned) {
        reject(
          new ToolFailedError(
            `${tool} was killed (${stopReason()}), ` +
              'but a process it started outside its process group still holds its output open; that process was left running',
            result,
          ),
        );
      } else if (reason === 'timeout') {
        reject(
          new ToolFailedError(
            `${tool} timed out after ${options.timeoutMs} ms and was killed`,
            result,
          ),
        );
      } else if (reason === 'cancelled') {
        reject(
          new ToolFailedError(
            `${tool} was stopped: the task was cancelled`,
            result,
          ),
        );
      } else if (limitReached) {
        reject(
          new ToolFailedError(`${tool} was stopped: ${limitReached}`, result),
        );
      } else if (
        signal === 'SIGXCPU' ||
        (signal === 'SIGKILL' && options.sandbox && cpuSpent(result, options))
      ) {
        reject(
          new ToolFailedError(
            `${tool} went over its CPU time limit (${
              options.sandbox!.options.limits.cpuSeconds
            } s) and was stopped`,
            result,
          ),
        );
      } else if (signal === 'SIGXFSZ' && options.sandbox) {
        const mib = Math.round(
          options.sandbox.options.limits.fileSizeBytes / 2 ** 20,
        );
        reject(
          new ToolFailedError(
            `${tool} went over its file size limit (${mib} MiB) and was stopped`,
            result,
          ),
        );
      } else if (signal) {
        reject(new ToolFailedError(`${tool} was killed by ${signal}`, result));
      } else if (
        exitCode !== 0 &&
        !(options.allowedExitCodes ?? []).includes(exitCode ?? -1)
      ) {
        const message =
          lastLines(result.stderr || result.stdout, 20) || 'no output';
        reject(
          new ToolFailedError(
            `${tool} failed with exit code ${exitCode}: ${message}`,
            result,
          ),
        );
      } else {
        resolve(result);
      }
    };
    abandon = () => finish(null, 'SIGKILL', undefined, true);
    const events: LaunchEvents = {
      onStarted: startedPid => {
        pid = startedPid;
        if (closed) {
          // Started after the step gave up on it: it must not outlive the step.
          try {
            process.kill(-startedPid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        } else if (reason) {
          // Cancelled or timed out before it started: it stops now.
          killGroup('SIGTERM');
        }
      },
      onStdout: stream(stdout, 'info'),
      onStderr: stream(stderr, 'warn'),
      onClosed: (code, sig, error, limitReached) =>
        finish(code, sig, error, false, limitReached),
    };
    const pathDirs = options.pathDirs ?? [path.dirname(options.binary)];
    const spec: LaunchSpec = {
      binary: options.binary,
      args: options.args,
      cwd: options.cwd,
      env: minimalEnv(pathDirs, options.env),
    };
    try {
      let launch = options.launch ?? spawnLaunch;
      if (options.sandbox) {
        const given = options.sandboxPaths ?? { writable: [] };
        const paths = {
          ...given,
          readable: [
            path.dirname(options.binary),
            ...pathDirs,
            ...(given.readable ?? []),
          ],
        };
        const reusable = options.sandbox.reusable(paths);
        if (reusable) launch = reusable;
        else {
          const { sandbox } = options;
          const outer = launch;
          launch = (inner, ev) => sandbox.launchAlone(outer, inner, paths, ev);
          viaBwrap = true;
        }
      }
      launch(spec, events);
    } catch (e) {
      // e.g. a NUL byte in an argument, refused before anything started
      finish(null, null, e as Error);
    }
  });
}
