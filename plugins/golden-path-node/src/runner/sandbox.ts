import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isUnder } from '../workspace/confinePath';
import {
  CgroupCounters,
  RunCgroup,
  SandboxCgroups,
  SandboxLimitMode,
} from './cgroups';
import { Launch, LaunchEvents, LaunchSpec } from './launch';
import { SandboxSessions } from './SandboxSessions';

/**
 * Resource limits of one sandboxed tool run: rlimits of every process
 * (applied by `prlimit`) and, where cgroups can be made, limits of the whole
 * sandbox (its cgroup's).
 *
 * @public
 */
export interface SandboxLimits {
  /** CPU time in seconds (RLIMIT_CPU). */
  cpuSeconds: number;
  /** Memory of the whole sandbox (cgroup memory.max, no swap), and address space of each process (RLIMIT_AS), in bytes. */
  memoryBytes: number;
  /** Largest file the tool may write, in bytes (RLIMIT_FSIZE). */
  fileSizeBytes: number;
  /**
   * Processes and threads of the whole sandbox (cgroup pids.max); without
   * cgroups, of the backend's user (RLIMIT_NPROC, which the kernel does not apply to root).
   */
  processes: number;
}

/**
 * What a sandboxed run may see besides the system's programs and libraries.
 *
 * @public
 */
export interface SandboxPaths {
  /** Directories the tool may write (the step's workspace). */
  writable: string[];
  /** Directories the tool may read (its binaries, inputs outside the workspace). */
  readable?: string[];
  /** Directories of Unix sockets the tool may connect to (e.g. PostgreSQL's socket directory). */
  sockets?: string[];
}

/**
 * What ended a sandboxed run, from bubblewrap's exit code: bwrap exits with
 * 128 + N when the tool was killed by signal N.
 */
export function sandboxedExit(
  exitCode: number | null,
): NodeJS.Signals | undefined {
  if (exitCode === null || exitCode <= 128 || exitCode > 128 + 64)
    return undefined;
  return (
    (Object.entries(os.constants.signals).find(
      ([, n]) => n === exitCode - 128,
    )?.[0] as NodeJS.Signals) ?? undefined
  );
}

/**
 * Where the sandbox's programs are.
 *
 * @public
 */
export interface ToolSandboxOptions {
  /** Path of bubblewrap (`bwrap`). */
  bwrap: string;
  /** Path of util-linux `prlimit`. */
  prlimit: string;
  limits: SandboxLimits;
  /**
   * Path of golden-path-launcher. With it, the runs of one workspace reuse a
   * sandbox (its launcher serves them one at a time and clears the sandbox
   * after each); without it, every run gets a sandbox of its own.
   */
  launcher?: string;
  /** How long an idle reusable sandbox is kept; default 20 s. */
  idleMs?: number;
  /**
   * The cgroup under which each sandbox gets a cgroup of its own, with the
   * processes and memory limits of the whole sandbox: a name (default
   * `golden-path`), made beside the backend's cgroup (cgroup v2; below it
   * when that is the root) or below it (cgroup v1); or the absolute path of
   * a cgroup v2 directory, e.g. one delegated to the backend's user; or
   * `off`. Needs `launcher`, which joins the cgroup. When no cgroup can be
   * made, only the per-process rlimits apply (see limitMode).
   */
  cgroup?: string;
}

function formatBytes(n: number): string {
  if (n % 2 ** 30 === 0) return `${n / 2 ** 30} GiB`;
  return `${Math.round(n / 2 ** 20)} MiB`;
}

/** System directories every tool may read; nothing else of the host is visible. */
const SYSTEM_DIRS = [
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
];

/** The bwrap arguments that make the system directories visible, read-only (computed once). */
let systemArgs: string[] | undefined;

function systemMountArgs(): string[] {
  if (systemArgs) return systemArgs;
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    const st = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (!st) continue;
    // A merged-/usr system links /bin to usr/bin: keep the link, not a second mount.
    if (st.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(dir), dir);
    else if (st.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  systemArgs = args;
  return args;
}

/** Names that hold secrets (the tools dir's dev-token, keys): never mounted, nor a directory holding one. */
const SECRET_NAME =
  /token|secret|passw|credential|\.pem$|\.key$|^\.env|^id_|\.netrc$|\.npmrc$|kubeconfig/i;

/** A regular, executable file: a program a tool directory's link may lead to. */
function isProgram(file: string): boolean {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return !!st?.isFile() && (st.mode & 0o111) !== 0;
}

/**
 * A package's directory of programs (e.g. buf-pkg/bin): nothing but
 * executable regular files, none named like a secret. Mounting it gives a
 * tool its siblings and nothing else; a directory with more (subdirectories,
 * data, a token) is never mounted whole.
 */
function isProgramDir(dir: string): boolean {
  if (dir === path.parse(dir).root) return false;
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .every(
        e =>
          e.isFile() &&
          !SECRET_NAME.test(e.name) &&
          isProgram(path.join(dir, e.name)),
      );
  } catch {
    return false;
  }
}

/**
 * `dir` and what its symlinks that point elsewhere need mounted (e.g.
 * .tools/bin/buf → ../buf-pkg/bin/buf): the target program's directory when
 * it is a package's programs only (a tool may run its siblings), else the
 * target file alone. Never a directory holding `dir` (the tools dir, whose
 * dev-token is the backend's static token, or anything above it), and
 * nothing at all for a link to a non-program (a directory, a token).
 */
function withLinkTargets(dir: string): string[] {
  const out = [dir];
  let entries: fs.Dirent[];
  let realDir: string;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
    realDir = fs.realpathSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!e.isSymbolicLink()) continue;
    let target: string;
    try {
      target = fs.realpathSync(path.join(dir, e.name));
    } catch {
      continue; // dangling: nothing to mount
    }
    if (!isProgram(target) || SECRET_NAME.test(path.basename(target))) continue;
    // The system's programs are visible already.
    if (SYSTEM_DIRS.some(s => isUnder(s, target))) continue;
    const parent = path.dirname(target);
    out.push(
      !isUnder(parent, realDir) && isProgramDir(parent) ? parent : target,
    );
  }
  return out;
}

/**
 * Runs tools in an OS sandbox built with bubblewrap: new user, PID, IPC, UTS
 * and network namespaces (no network at all, not even the host's loopback),
 * a root that holds only the system's programs and libraries (read-only),
 * the tool's own directories (read-only), the step's workspace (writable), a
 * private `/tmp`, `/dev` and `/proc`, no capabilities, rlimits on CPU
 * time, memory, file size and processes, and, where cgroups can be made
 * (limitMode), a cgroup per sandbox that bounds the processes and memory of
 * the whole sandbox. The tool dies with the sandbox, and the sandbox with
 * whoever started it.
 *
 * @public
 */
export class ToolSandbox {
  /** Directory listings of tool directories, with their symlink targets (stable for a backend's life). */
  private readonly readableCache = new Map<string, string[]>();
  private readonly sessions: SandboxSessions;
  private readonly cgroups?: SandboxCgroups;
  /** How the whole run's processes and memory are bounded. */
  readonly limitMode: SandboxLimitMode;
  /** Why only per-process limits apply (limitMode `rlimits`). */
  readonly limitModeReason?: string;

  constructor(readonly options: ToolSandboxOptions) {
    const { launcher } = options;
    if (!launcher) {
      this.limitMode = 'rlimits';
      this.limitModeReason =
        'golden-path-launcher, which makes the sandbox join its cgroup, was not found';
    } else if (options.cgroup === 'off') {
      this.limitMode = 'rlimits';
      this.limitModeReason = 'goldenPath.sandbox.cgroup is off';
    } else {
      const cgroups = SandboxCgroups.detect(options.cgroup);
      this.limitMode = cgroups.mode;
      this.limitModeReason = cgroups.reason;
      if (cgroups.mode !== 'rlimits') this.cgroups = cgroups;
    }
    const { cgroups } = this;
    this.sessions = new SandboxSessions(
      options.prlimit,
      { idleMs: options.idleMs },
      cgroups && launcher
        ? {
            launcher,
            create: () => cgroups.create(options.limits),
            limitReached: (before, after) => this.limitReached(before, after),
          }
        : undefined,
    );
  }

  /**
   * Which whole-run limit the sandbox reached between two readings of its
   * cgroup's counters, as one line with what to change; undefined when none.
   */
  limitReached(
    before: CgroupCounters,
    after: CgroupCounters,
  ): string | undefined {
    const { limits } = this.options;
    if (after.oomKills > before.oomKills)
      return (
        `the sandbox's memory limit of ${formatBytes(
          limits.memoryBytes,
        )} was reached; ` +
        'raise goldenPath.sandbox.limits.memoryBytes, or give the step less to do at once'
      );
    if (after.pidsMax > before.pidsMax)
      return (
        `the sandbox's limit of ${limits.processes} processes and threads was reached; ` +
        'raise goldenPath.sandbox.limits.processes, or check what the template makes the tool start'
      );
    return undefined;
  }

  /**
   * Starts `spec` through `launch` in a sandbox of its own, made for it
   * (with a cgroup of its own when limitMode is a cgroup one, removed once
   * the sandbox ended). The exit code it reports is bwrap's (see sandboxedExit).
   */
  launchAlone(
    launch: Launch,
    spec: LaunchSpec,
    paths: SandboxPaths,
    events: LaunchEvents,
  ): void {
    let cgroup: RunCgroup | undefined;
    let wrapped = this.wrap(spec, paths);
    if (this.cgroups) {
      cgroup = this.cgroups.create(this.options.limits);
      wrapped = {
        ...wrapped,
        binary: this.options.launcher!,
        args: [...cgroup.joinArgs(), '--', wrapped.binary, ...wrapped.args],
      };
    }
    if (!cgroup) {
      launch(wrapped, events);
      return;
    }
    const run = cgroup;
    const before = run.counters();
    try {
      launch(wrapped, {
        ...events,
        onClosed: (code, signal, error) => {
          // Read after every run, a successful one too: a tool may exit 0
          // although a process it started was killed by the memory limit,
          // or a fork of it refused by the process limit.
          const reached = this.limitReached(before, run.counters());
          void run
            .destroy()
            .then(() => events.onClosed(code, signal, error, reached));
        },
      });
    } catch (e) {
      run.destroySync();
      throw e;
    }
  }

  /**
   * Checks that a sandbox can be created on this host by running `true` in
   * one; returns why not (one line), or undefined when it works.
   */
  probe(): string | undefined {
    const probeDir = fs.realpathSync(path.dirname(this.options.bwrap));
    const spec = this.wrap(
      {
        binary: '/bin/true',
        args: [],
        cwd: probeDir,
        env: { PATH: '/usr/bin:/bin' },
      },
      {
        writable: [],
        readable: [probeDir],
      },
    );
    const r = spawnSync(spec.binary, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      encoding: 'utf8',
      timeout: 10_000,
    });
    if (r.error)
      return `${spec.binary} could not be started: ${r.error.message}`;
    if (r.status === 0) return undefined;
    const why =
      (r.stderr || r.stdout).trim().split('\n').pop() ||
      `exit code ${r.status ?? r.signal}`;
    return `bubblewrap cannot create a sandbox here: ${why}`;
  }

  /** The launch spec that runs `spec` in a sandbox of its own, created for it. */
  wrap(spec: LaunchSpec, paths: SandboxPaths): LaunchSpec {
    const args = [
      ...this.limitArgs(),
      '--',
      this.options.bwrap,
      ...this.bwrapArgs(paths),
      '--chdir',
      spec.cwd,
      '--',
      spec.binary,
      ...spec.args,
    ];
    return { binary: this.options.prlimit, args, cwd: spec.cwd, env: spec.env };
  }

  /**
   * How to start a run in a reusable sandbox (see SandboxSessions),
   * or undefined when the run needs a sandbox of its own: no launcher is
   * configured, or it reaches a socket made for that run only.
   */
  reusable(paths: SandboxPaths): Launch | undefined {
    const { launcher } = this.options;
    if (!launcher || paths.sockets?.length) return undefined;
    const readable = [path.dirname(launcher), ...(paths.readable ?? [])];
    // The launcher empties the sandbox's /tmp after each run: never when a
    // mount would put the host's /tmp (or more) there.
    if (
      [...readable, ...paths.writable].some(dir =>
        isUnder(path.resolve(dir), '/tmp'),
      )
    )
      return undefined;
    const bwrapArgs = this.bwrapArgs({ ...paths, readable });
    return (spec, events) =>
      this.sessions.launch(
        bwrapArgs.join('\0'),
        () => [
          ...this.limitArgs(),
          '--',
          this.options.bwrap,
          ...bwrapArgs,
          // The launcher is the namespace's init: no tool can signal it,
          // and the processes a run leaves are reparented to it, to be killed.
          '--as-pid-1',
          '--chdir',
          '/',
          '--',
          launcher,
          '--sandboxed',
        ],
        spec,
        events,
      );
  }

  /** Ends the reusable sandboxes that are idle (a backend shutdown closes the rest with their launchers). */
  async close(): Promise<void> {
    await this.sessions.closeIdle();
    this.cgroups?.close();
  }

  /** prlimit's arguments: the limits of every process in the sandbox. */
  private limitArgs(): string[] {
    const { limits } = this.options;
    return [
      // SIGXCPU at the limit, SIGKILL a second later if it is ignored.
      `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
      `--as=${limits.memoryBytes}`,
      `--fsize=${limits.fileSizeBytes}`,
      `--nproc=${limits.processes}`,
    ];
  }

  /** bwrap's arguments up to the command: namespaces and what is mounted. */
  private bwrapArgs(paths: SandboxPaths): string[] {
    const args = [
      '--unshare-user',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--unshare-net',
      '--unshare-cgroup-try',
      '--die-with-parent',
      // A session of its own: no access to a controlling terminal (TIOCSTI).
      '--new-session',
      '--cap-drop',
      'ALL',
      ...systemMountArgs(),
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      // tmpfs is memory: bounded, or files under the file-size limit could still fill it.
      '--size',
      String(this.options.limits.fileSizeBytes * 4),
      '--tmpfs',
      '/tmp',
    ];
    const mounted: string[] = [];
    const mount = (flag: string, dir: string, target = dir) => {
      if (mounted.some(m => isUnder(m, target)) && flag === '--ro-bind') return;
      args.push(flag, dir, target);
      mounted.push(target);
    };
    for (const dir of new Set(paths.readable ?? [])) {
      if (SYSTEM_DIRS.some(s => isUnder(s, dir))) continue;
      let dirs = this.readableCache.get(dir);
      if (!dirs) {
        dirs = withLinkTargets(dir).filter(d => fs.existsSync(d));
        this.readableCache.set(dir, dirs);
      }
      for (const d of dirs) mount('--ro-bind', d);
    }
    for (const dir of paths.sockets ?? []) {
      // /var/run/postgresql is usually a link into /run: mount the real directory at the named path.
      mount('--ro-bind', fs.realpathSync(dir), dir);
    }
    for (const dir of paths.writable) mount('--bind', dir);
    return args;
  }
}
