import { spawn } from 'node:child_process';

/**
 * One program to start: no shell, its own process group.
 *
 * @public
 */
export interface LaunchSpec {
  binary: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * What a started program reports, in this order: started, output, closed.
 *
 * @public
 */
export interface LaunchEvents {
  /** The program runs as `pid`, which is also its process group. */
  onStarted(pid: number): void;
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  /**
   * The program exited and both streams ended; `error` when it could not be
   * started or its launcher failed; `limitReached` when its sandbox reached
   * a whole-run limit during the run, whatever the exit code (a tool may exit
   * 0 after a process it started was killed or refused): one line, e.g.
   * "the sandbox's memory limit of 1 GiB was reached; raise …".
   */
  onClosed(
    exitCode: number | null,
    signal: NodeJS.Signals | null,
    error?: Error,
    limitReached?: string,
  ): void;
}

/**
 * Starts programs: a plain spawn by default, or through the shared launcher (ToolLauncher).
 *
 * @public
 */
export type Launch = (spec: LaunchSpec, events: LaunchEvents) => void;

/**
 * Starts the program with Node's own spawn, in a session of its own
 * (`detached`), which gives it its own process group. The fork blocks this
 * process's event loop for a time that grows with its memory.
 */
export const spawnLaunch: Launch = (spec, events) => {
  const child = spawn(spec.binary, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    shell: false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid) events.onStarted(child.pid);
  child.stdout.on('data', events.onStdout);
  child.stderr.on('data', events.onStderr);
  let errored: Error | undefined;
  child.on('error', e => {
    errored = e;
  });
  child.on('close', (code, sig) => events.onClosed(code, sig, errored));
};
