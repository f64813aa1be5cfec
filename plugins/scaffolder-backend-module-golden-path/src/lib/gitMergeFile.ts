import {
  locateBinary,
  runTool,
  ToolFailedError,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GoldenPathSettings } from './settings';
import { toolLaunch } from './toolLaunch';
import { toolSandbox } from './toolSandbox';

/** The outcome of one three-way merge. */
export interface MergeResult {
  /** The merged text; with conflict markers when conflicts > 0. */
  content: Buffer;
  conflicts: number;
}

/** Options of {@link gitMergeFile}. */
export interface GitMergeFileOptions {
  settings: GoldenPathSettings;
  /** Labels of the three sides in conflict markers. */
  labels: [current: string, base: string, next: string];
  signal?: AbortSignal;
}

const MAX_MERGED_BYTES = 32 * 1024 * 1024;

/**
 * Merges the change from `base` to `next` into `current` (absolute paths of
 * three files) with `git merge-file -p`, which prints the result and exits
 * with the number of conflicts. git runs without a shell in an empty
 * directory of its own, with no system or global config and no repository
 * discovery, so nothing of the workspace or the backend configures it.
 */
export async function gitMergeFile(
  current: string,
  base: string,
  next: string,
  options: GitMergeFileOptions,
): Promise<MergeResult> {
  const binary = locateBinary('git', {
    configuredPath: options.settings.binaries.git,
    configKey: 'goldenPath.tools.git',
  });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-merge-'));
  try {
    const [l1, l2, l3] = options.labels;
    const result = await runTool({
      binary,
      args: [
        'merge-file',
        '-p',
        '-L',
        l1,
        '-L',
        l2,
        '-L',
        l3,
        current,
        base,
        next,
      ],
      cwd,
      env: {
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CEILING_DIRECTORIES: path.dirname(cwd),
        GIT_TERMINAL_PROMPT: '0',
      },
      pathDirs: [path.dirname(binary)],
      timeoutMs:
        options.settings.timeouts['golden-path:template:merge'] ??
        options.settings.defaultTimeoutMs,
      signal: options.signal,
      maxOutputBytes: MAX_MERGED_BYTES,
      // git merge-file exits with the number of conflicts (capped at 127); errors are 255.
      allowedExitCodes: Array.from({ length: 127 }, (_, i) => i + 1),
      launch: toolLaunch(options.settings),
      sandbox: toolSandbox(options.settings),
      sandboxPaths: {
        writable: [cwd],
        readable: [...new Set([current, base, next].map(f => path.dirname(f)))],
      },
    });
    return {
      content: Buffer.from(result.stdout, 'utf8'),
      conflicts: result.exitCode ?? 0,
    };
  } catch (e) {
    if (e instanceof ToolFailedError) {
      throw new Error(
        `git merge-file could not merge ${options.labels[0]}: ${e.message}`,
      );
    }
    throw e;
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}
