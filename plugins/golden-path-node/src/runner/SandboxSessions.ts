import { CgroupCounters, RunCgroup } from './cgroups';
import { LaunchEvents, LaunchSpec } from './launch';
import { ToolLauncher } from './ToolLauncher';

/** Bounds of {@link SandboxSessions}. */
export interface SandboxSessionLimits {
  /** How long an idle sandbox is kept; default 20 s. */
  idleMs?: number;
  /** Idle sandboxes kept at most, over every workspace; default 8. */
  maxIdle?: number;
  /** Runs one sandbox serves at most; default 200. */
  maxRuns?: number;
  /** Age after which a sandbox serves no new run; default 10 min. */
  maxAgeMs?: number;
}

/** Whole-run limits of each sandbox: a cgroup per sandbox, joined through the launcher. */
export interface SandboxSessionCgroups {
  /** golden-path-launcher, which joins the cgroup and then starts prlimit. */
  launcher: string;
  create(): RunCgroup;
  /** What limit a run reached (whatever its exit code), from the counters before and after it. */
  limitReached(
    before: CgroupCounters,
    after: CgroupCounters,
  ): string | undefined;
}

interface Session {
  key: string;
  launcher: ToolLauncher;
  cgroup?: RunCgroup;
  runs: number;
  born: number;
  idleTimer?: NodeJS.Timeout;
}

/**
 * Sandboxes that serve several runs, one at a time: a template step runs
 * buf, sqlc and atlas one after the other in the same workspace, and
 * creating the namespaces and mounts costs more than many of those runs.
 * Each sandbox holds golden-path-launcher --sandboxed, which starts the runs
 * inside it and, after each, kills every process the run left and empties
 * /tmp. Sandboxes are keyed by exactly what they mount, so two workspaces
 * (two tasks) never share one. A run that is stopped (timeout, cancel) ends
 * its whole sandbox: the pid a run reports is the sandbox's, on this host.
 */
export class SandboxSessions {
  private readonly idle = new Map<string, Session[]>();
  private readonly idleMs: number;
  private readonly maxIdle: number;
  private readonly maxRuns: number;
  private readonly maxAgeMs: number;
  /** Sandboxes being ended (their launcher closing, their cgroup removed). */
  private readonly ending = new Set<Promise<void>>();

  constructor(
    private readonly prlimit: string,
    limits: SandboxSessionLimits = {},
    private readonly cgroups?: SandboxSessionCgroups,
  ) {
    this.idleMs = limits.idleMs ?? 20_000;
    this.maxIdle = limits.maxIdle ?? 8;
    this.maxRuns = limits.maxRuns ?? 200;
    this.maxAgeMs = limits.maxAgeMs ?? 10 * 60_000;
  }

  /** Sandboxes kept idle now. */
  get idleCount(): number {
    let n = 0;
    for (const list of this.idle.values()) n += list.length;
    return n;
  }

  /**
   * Starts `spec` in an idle sandbox of `key`, or in a new one started as
   * `prlimit ...args()`. The events are those of the run, except that the
   * pid is the sandbox's.
   */
  launch(
    key: string,
    args: () => string[],
    spec: LaunchSpec,
    events: LaunchEvents,
  ): void {
    const session = this.take(key) ?? this.create(key, args());
    session.runs++;
    let started = false;
    const before = session.cgroup?.counters();
    // Read after every run, a successful one too: a tool may exit 0 although
    // a process it started was killed by the memory limit, or a fork of it
    // refused by the process limit.
    const limitReached = () =>
      before
        ? this.cgroups!.limitReached(before, session.cgroup!.counters())
        : undefined;
    session.launcher.launch(spec, {
      onStarted: () => {
        started = true;
        events.onStarted(session.launcher.pid!);
      },
      onStdout: events.onStdout,
      onStderr: events.onStderr,
      onClosed: (code, signal, error) => {
        if (error) {
          // The sandbox itself ended: killed with the run (timeout,
          // cancel), or it died. Once started, the run was killed with it.
          const reached = limitReached();
          void this.end(session);
          if (started) events.onClosed(null, 'SIGKILL', undefined, reached);
          else events.onClosed(code, signal, error, reached);
          return;
        }
        const reached = limitReached();
        this.release(session);
        events.onClosed(code, signal, undefined, reached);
      },
    });
  }

  /** Ends every idle sandbox, and waits for those being ended. */
  async closeIdle(): Promise<void> {
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all([...all.map(s => this.end(s)), ...this.ending]);
  }

  private create(key: string, args: string[]): Session {
    // Every process of the sandbox counts against its cgroup's limits: the
    // launcher joins it, then becomes prlimit, then bwrap.
    const cgroup = this.cgroups?.create();
    return {
      key,
      cgroup,
      launcher: new ToolLauncher(
        cgroup ? this.cgroups!.launcher : this.prlimit,
        {
          args: cgroup
            ? [...cgroup.joinArgs(), '--', this.prlimit, ...args]
            : args,
          // Its own process group: killing the group of the pid a run
          // reports ends the sandbox and everything in it.
          detached: true,
          name: 'the sandbox',
          foreignPids: true,
        },
      ),
      runs: 0,
      born: Date.now(),
    };
  }

  private take(key: string): Session | undefined {
    const list = this.idle.get(key);
    while (list?.length) {
      const s = list.pop()!;
      if (!list.length) this.idle.delete(key);
      clearTimeout(s.idleTimer);
      if (s.launcher.alive) return s;
      void this.end(s);
    }
    return undefined;
  }

  private release(s: Session) {
    if (
      !s.launcher.alive ||
      s.runs >= this.maxRuns ||
      Date.now() - s.born >= this.maxAgeMs
    ) {
      void this.end(s);
      return;
    }
    const list = this.idle.get(s.key) ?? [];
    list.push(s);
    this.idle.set(s.key, list);
    s.idleTimer = setTimeout(() => this.expire(s), this.idleMs);
    s.idleTimer.unref();
    while (this.idleCount > this.maxIdle) this.evictOldest();
  }

  private expire(s: Session) {
    const list = this.idle.get(s.key);
    const i = list?.indexOf(s) ?? -1;
    if (i < 0) return;
    list!.splice(i, 1);
    if (!list!.length) this.idle.delete(s.key);
    void this.end(s);
  }

  private evictOldest() {
    let oldest: Session | undefined;
    for (const list of this.idle.values())
      for (const s of list) if (!oldest || s.born < oldest.born) oldest = s;
    if (oldest) {
      clearTimeout(oldest.idleTimer);
      this.expire(oldest);
    }
  }

  private end(s: Session): Promise<void> {
    clearTimeout(s.idleTimer);
    const ended = (async () => {
      await s.launcher.close();
      await s.cgroup?.destroy();
    })();
    this.ending.add(ended);
    return ended.finally(() => this.ending.delete(ended));
  }
}
