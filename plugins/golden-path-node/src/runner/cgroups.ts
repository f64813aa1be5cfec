import fs from 'node:fs';
import path from 'node:path';

/**
 * How the sandbox bounds a whole run's processes and memory:
 * `cgroup2`/`cgroup1`, one cgroup per sandbox with pids and memory limits;
 * `rlimits`, only the per-process rlimits of prlimit (which one run can
 * multiply by starting many processes, and RLIMIT_NPROC not at all for root).
 *
 * @public
 */
export type SandboxLimitMode = 'cgroup2' | 'cgroup1' | 'rlimits';

/** Whole-run limits written into a run's cgroup. */
export interface CgroupLimits {
  memoryBytes: number;
  processes: number;
}

/**
 * The limit events a sandbox's cgroup has counted so far.
 *
 * @public
 */
export interface CgroupCounters {
  /** Processes killed because the memory limit was reached. */
  oomKills: number;
  /** Forks refused because the process limit was reached. */
  pidsMax: number;
}

const CGROUP2_MAGIC = 0x63677270;

interface Mount {
  root: string;
  point: string;
  type: string;
  superOpts: string[];
}

function parseMounts(mountinfo: string): Mount[] {
  const out: Mount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const f = left.split(' ');
    const r = right.split(' ');
    out.push({
      root: unescape(f[3]),
      point: unescape(f[4]),
      type: r[0],
      superOpts: (r[2] ?? '').split(','),
    });
  }
  return out;
}

/** mountinfo escapes spaces and the like as \ooo. */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o) =>
    String.fromCharCode(parseInt(o, 8)),
  );
}

/** Own cgroup per hierarchy: '' for v2, else each controller name. */
function parseOwn(procCgroup: string): Map<string, string> {
  const own = new Map<string, string>();
  for (const line of procCgroup.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === '') own.set('', m[2]);
    else for (const c of m[1].split(',')) own.set(c, m[2]);
  }
  return own;
}

/** The directory of cgroup `cg` in a hierarchy mounted at `m`. */
function dirOf(m: Mount, cg: string): string | undefined {
  const rel = path.posix.relative(m.root, cg);
  if (rel.startsWith('..')) return undefined;
  return path.join(m.point, rel);
}

function readNumber(file: string, key: string): number {
  try {
    const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(
      fs.readFileSync(file, 'utf8'),
    );
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function write(file: string, value: string) {
  fs.writeFileSync(file, value);
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

let serial = 0;

/** Parents this process made: removed when it exits, if no run cgroup is left in them. */
const madeHere = new Set<string>();

/** Run cgroups of this process not removed yet: removed when it exits. */
// eslint-disable-next-line @typescript-eslint/no-use-before-define
const live = new Set<RunCgroup>();

let exitHook = false;
function onExit() {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    const pause = new Int32Array(new SharedArrayBuffer(4));
    // The sandboxes still up (idle ones) die with their launchers: wait a little for them.
    for (let i = 0; i < 50 && live.size; i++) {
      for (const run of [...live]) run.destroySync();
      if (live.size) Atomics.wait(pause, 0, 0, 10);
    }
    for (const d of madeHere) {
      try {
        fs.rmdirSync(d);
      } catch {
        /* in use by another process's runs */
      }
    }
  });
}

function removeOnExit(dir: string) {
  onExit();
  madeHere.add(dir);
}

/**
 * The cgroup of one sandbox (cgroup v2: one directory; v1: one in the pids
 * hierarchy and one in the memory hierarchy), which the sandbox joins before
 * anything in it runs (`golden-path-launcher --join-cgroup=DIR... -- …`).
 */
export class RunCgroup {
  private removed = false;

  constructor(readonly version: 1 | 2, readonly dirs: string[]) {}

  /** The launcher arguments that make the sandbox start inside this cgroup. */
  joinArgs(): string[] {
    return this.dirs.map(d => `--join-cgroup=${d}`);
  }

  counters(): CgroupCounters {
    if (this.version === 2) {
      const [dir] = this.dirs;
      return {
        oomKills: readNumber(path.join(dir, 'memory.events'), 'oom_kill'),
        pidsMax: readNumber(path.join(dir, 'pids.events'), 'max'),
      };
    }
    const [pids, memory] = this.dirs;
    return {
      oomKills: readNumber(path.join(memory, 'memory.oom_control'), 'oom_kill'),
      pidsMax: readNumber(path.join(pids, 'pids.events'), 'max'),
    };
  }

  /**
   * Kills every process still in the cgroup and removes it; resolves once
   * it is gone (or after about 5 s, leaving it to the next start's sweep).
   */
  async destroy(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    for (let i = 0; i < 250; i++) {
      this.killAll();
      const left = this.dirs.filter(d => {
        try {
          fs.rmdirSync(d);
          return false;
        } catch (e) {
          return (e as NodeJS.ErrnoException).code !== 'ENOENT';
        }
      });
      if (!left.length) {
        live.delete(this);
        return;
      }
      await sleep(20);
    }
  }

  /** Kills what is in the cgroup and tries once to remove it (it stays while a process is still dying). */
  destroySync(): void {
    this.removed = true;
    this.killAll();
    let left = false;
    for (const d of this.dirs) {
      try {
        fs.rmdirSync(d);
      } catch (e) {
        left ||= (e as NodeJS.ErrnoException).code !== 'ENOENT';
      }
    }
    if (!left) live.delete(this);
  }

  private killAll() {
    for (const dir of this.dirs) {
      try {
        if (
          this.version === 2 &&
          fs.existsSync(path.join(dir, 'cgroup.kill'))
        ) {
          write(path.join(dir, 'cgroup.kill'), '1');
          continue;
        }
        for (const pid of fs
          .readFileSync(path.join(dir, 'cgroup.procs'), 'utf8')
          .split('\n')
          .filter(Boolean)) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      } catch {
        /* removed */
      }
    }
  }
}

/**
 * Where the sandboxes' cgroups are made, and whether they can be.
 * `setting` is a name (default `golden-path`) for a parent cgroup made
 * beside the backend's own cgroup (v2: a cgroup that holds processes cannot
 * give controllers to child cgroups, the "no internal processes" rule;
 * the root cgroup is exempt, so there it is made below) or below it (v1),
 * or the absolute path of a cgroup v2 directory (e.g. one delegated to the
 * backend's user), or `off`.
 */
export class SandboxCgroups {
  private constructor(
    readonly mode: SandboxLimitMode,
    /** Why the whole-run limits are not available (mode `rlimits`). */
    readonly reason: string | undefined,
    private readonly parents: string[],
    private readonly created: string[],
  ) {}

  /** The parent cgroup directories (one per hierarchy). */
  get parentDirs(): string[] {
    return [...this.parents];
  }

  static detect(
    setting = 'golden-path',
    proc: { cgroup?: string; mountinfo?: string } = {},
  ): SandboxCgroups {
    const fallback = (reason: string) =>
      new SandboxCgroups('rlimits', reason, [], []);
    if (setting === 'off') return fallback('disabled by configuration');
    let mounts: Mount[];
    let own: Map<string, string>;
    try {
      mounts = parseMounts(
        proc.mountinfo ?? fs.readFileSync('/proc/self/mountinfo', 'utf8'),
      );
      own = parseOwn(
        proc.cgroup ?? fs.readFileSync('/proc/self/cgroup', 'utf8'),
      );
    } catch (e) {
      return fallback(
        `cannot read this process's cgroups: ${(e as Error).message}`,
      );
    }
    const reasons: string[] = [];
    // cgroup v2
    if (path.isAbsolute(setting)) {
      try {
        const dir = path.resolve(setting);
        let type: number;
        try {
          type = fs.statfsSync(dir).type;
        } catch {
          type = fs.statfsSync(path.dirname(dir)).type;
        }
        if (type !== CGROUP2_MAGIC)
          return fallback(`${dir} is not a cgroup v2 directory`);
        return SandboxCgroups.prepare(2, [dir]);
      } catch (e) {
        return fallback((e as Error).message);
      }
    }
    if (setting.includes('/') || setting === '..' || setting === '.')
      return fallback(
        `"${setting}" is neither a cgroup name nor an absolute path`,
      );
    const m2 = mounts.find(m => m.type === 'cgroup2');
    const own2 = own.get('');
    const ownDir2 = m2 && own2 !== undefined ? dirOf(m2, own2) : undefined;
    if (m2 && ownDir2) {
      const parentDir =
        own2 === '/' || ownDir2 === m2.point
          ? path.join(ownDir2, setting)
          : path.join(path.dirname(ownDir2), setting);
      const s = SandboxCgroups.prepare(2, [parentDir]);
      if (s.mode !== 'rlimits') return s;
      reasons.push(s.reason!);
    }
    // cgroup v1 (or the hybrid layout, where pids and memory stay on v1)
    const v1 = ['pids', 'memory'].map(c => {
      const m = mounts.find(
        x => x.type === 'cgroup' && x.superOpts.includes(c),
      );
      const cg = own.get(c);
      return m && cg !== undefined ? dirOf(m, cg) : undefined;
    });
    if (v1.every(Boolean)) {
      const s = SandboxCgroups.prepare(
        1,
        v1.map(d => path.join(d!, setting)),
      );
      if (s.mode !== 'rlimits') return s;
      reasons.push(s.reason!);
    } else if (!m2) reasons.push('no cgroup hierarchy is mounted');
    return fallback(reasons.join('; '));
  }

  /** Makes the parents (if missing), gives them the controllers, and tries one run cgroup. */
  private static prepare(version: 1 | 2, parents: string[]): SandboxCgroups {
    const created: string[] = [];
    const undo = () => {
      for (const d of created.reverse()) {
        try {
          fs.rmdirSync(d);
        } catch {
          /* in use */
        }
      }
    };
    try {
      for (const dir of parents) {
        if (!fs.existsSync(dir)) {
          fs.mkdirSync(dir);
          created.push(dir);
          removeOnExit(dir);
        }
        if (version === 2) {
          const offered = fs
            .readFileSync(path.join(dir, 'cgroup.controllers'), 'utf8')
            .split(/\s+/);
          const missing = ['memory', 'pids'].filter(c => !offered.includes(c));
          if (missing.length)
            throw new Error(
              `the cgroup v2 directory ${dir} is not offered the ${missing.join(
                ' and ',
              )} controller${missing.length > 1 ? 's' : ''} by its parent`,
            );
          try {
            write(path.join(dir, 'cgroup.subtree_control'), '+memory +pids');
          } catch (e) {
            throw new Error(
              `cannot enable the memory and pids controllers below ${dir}: ${
                (e as Error).message
              }${
                (e as NodeJS.ErrnoException).code === 'EBUSY'
                  ? ' (it holds processes: a cgroup with processes cannot give controllers to child cgroups)'
                  : ''
              }`,
            );
          }
        }
      }
      const s = new SandboxCgroups(
        version === 2 ? 'cgroup2' : 'cgroup1',
        undefined,
        parents,
        created,
      );
      s.sweep();
      const trial = s.create({ memoryBytes: 64 * 2 ** 20, processes: 8 });
      trial.destroySync();
      return s;
    } catch (e) {
      undo();
      return new SandboxCgroups('rlimits', (e as Error).message, [], []);
    }
  }

  /** Makes the cgroup of one sandbox, with its limits. */
  create(limits: CgroupLimits): RunCgroup {
    if (this.mode === 'rlimits')
      throw new Error('cgroups are not available here');
    const name = `run-${process.pid}-${++serial}-${Date.now().toString(36)}`;
    const dirs = this.parents.map(p => path.join(p, name));
    const run = new RunCgroup(this.mode === 'cgroup2' ? 2 : 1, dirs);
    live.add(run);
    onExit();
    try {
      for (const d of dirs) fs.mkdirSync(d);
      if (this.mode === 'cgroup2') {
        const [d] = dirs;
        write(path.join(d, 'pids.max'), String(limits.processes));
        write(path.join(d, 'memory.max'), String(limits.memoryBytes));
        if (fs.existsSync(path.join(d, 'memory.swap.max')))
          write(path.join(d, 'memory.swap.max'), '0');
        // An OOM kill ends the whole sandbox, not one process of it.
        if (fs.existsSync(path.join(d, 'memory.oom.group')))
          write(path.join(d, 'memory.oom.group'), '1');
      } else {
        const [pids, memory] = dirs;
        write(path.join(pids, 'pids.max'), String(limits.processes));
        write(
          path.join(memory, 'memory.limit_in_bytes'),
          String(limits.memoryBytes),
        );
        // No swap either (present when swap accounting is on).
        if (fs.existsSync(path.join(memory, 'memory.memsw.limit_in_bytes')))
          write(
            path.join(memory, 'memory.memsw.limit_in_bytes'),
            String(limits.memoryBytes),
          );
      }
    } catch (e) {
      run.destroySync();
      throw e;
    }
    return run;
  }

  /**
   * Removes the parents this process made, when no run uses them any more
   * (another backend process may share them: then they stay).
   */
  close(): void {
    for (const d of this.created) {
      try {
        fs.rmdirSync(d);
      } catch {
        /* in use */
      }
    }
  }

  /** Removes run cgroups that backends left behind (killed before cleaning up) and that are empty. */
  private sweep() {
    for (const parent of this.parents) {
      let names: string[];
      try {
        names = fs.readdirSync(parent).filter(n => n.startsWith('run-'));
      } catch {
        continue;
      }
      for (const n of names) {
        const pid = Number(n.split('-')[1]);
        if (pid === process.pid) continue;
        try {
          process.kill(pid, 0);
          continue; // its backend is alive: its own
        } catch {
          /* gone */
        }
        try {
          fs.rmdirSync(path.join(parent, n));
        } catch {
          /* not empty: left alone */
        }
      }
    }
  }
}
