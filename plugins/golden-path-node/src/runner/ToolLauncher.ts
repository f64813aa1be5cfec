import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import os from 'node:os';
import { Launch, LaunchEvents, LaunchSpec } from './launch';

// Frames (see tools/launcher/protocol.go): kind, run id, payload length, payload.
const HEADER = 9;
const START = 'S'.charCodeAt(0);
const STARTED = 'P'.charCodeAt(0);
const FAILED = 'F'.charCodeAt(0);
const STDOUT = 'O'.charCodeAt(0);
const STDERR = 'E'.charCodeAt(0);
const EXIT = 'X'.charCodeAt(0);
/** The launcher's limit on one start request (maxRequest in protocol.go). */
const MAX_REQUEST = 1 << 20;
/** The largest message a launcher sends: output comes in chunks of 64 KiB. */
const MAX_MESSAGE = 1 << 20;

const signalNames = new Map<number, NodeJS.Signals>(
  Object.entries(os.constants.signals).map(([name, n]) => [
    n,
    name as NodeJS.Signals,
  ]),
);

/**
 * How a {@link ToolLauncher} starts its launcher process.
 *
 * @public
 */
export interface ToolLauncherOptions {
  /** Arguments of `binary` (e.g. a sandbox wrapping the launcher). */
  args?: string[];
  /** In a process group of its own, which a group kill then ends whole. */
  detached?: boolean;
  /** What messages call it; default "the tool launcher <binary>". */
  name?: string;
  /**
   * The pids it reports are of its own PID namespace (a sandbox), meaningless
   * here: never signalled from this process. The namespace ends with the launcher.
   */
  foreignPids?: boolean;
}

/** Every launcher of this process whose process is up, shared or not. */
// eslint-disable-next-line @typescript-eslint/no-use-before-define
const open = new Set<ToolLauncher>();

interface Run {
  events: LaunchEvents;
  pid?: number;
}

function frame(kind: number, id: number, payload: Buffer): Buffer {
  const b = Buffer.allocUnsafe(HEADER + payload.length);
  b[0] = kind;
  b.writeUInt32BE(id, 1);
  b.writeUInt32BE(payload.length, 5);
  payload.copy(b, HEADER);
  return b;
}

/**
 * Starts tools through golden-path-launcher (tools/launcher), a small
 * process started once: Node's own spawn forks the whole backend, which
 * blocks its event loop for a time that grows with its memory
 * (nodejs/node#14917). The launcher starts each tool in a process group of
 * its own and streams back its output and exit; when the backend goes away,
 * it kills the groups still running.
 *
 * @public
 */
export class ToolLauncher {
  private child?: ChildProcessWithoutNullStreams;
  private readonly runs = new Map<number, Run>();
  private nextId = 1;
  private pending: Buffer = Buffer.alloc(0);
  private stderrTail = '';
  private closing = false;
  private exited = false;

  constructor(
    readonly binary: string,
    private readonly options: ToolLauncherOptions = {},
  ) {}

  /** The launcher process's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** False once the launcher process has ended (until a run starts it again). */
  get alive(): boolean {
    return !this.exited;
  }

  private get name(): string {
    return this.options.name ?? `the tool launcher ${this.binary}`;
  }

  /** Starts one program; the events arrive as with a plain spawn of it. */
  readonly launch: Launch = (spec: LaunchSpec, events: LaunchEvents) => {
    const request = Buffer.from(
      JSON.stringify({
        path: spec.binary,
        args: spec.args,
        dir: spec.cwd,
        env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
      }),
    );
    if (request.length > MAX_REQUEST) {
      events.onClosed(
        null,
        null,
        new Error(
          `its arguments and environment take ${request.length} bytes, over the launcher's limit of ${MAX_REQUEST}`,
        ),
      );
      return;
    }
    const child = this.process();
    const id = this.nextId;
    this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1;
    this.runs.set(id, { events });
    if (this.runs.size === 1) this.hold(true);
    child.stdin.write(frame(START, id, request));
  };

  /** Runs in flight. */
  get running(): number {
    return this.runs.size;
  }

  /** Ends the launcher (it kills what still runs) and waits for its exit. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise(resolve => child.once('close', resolve));
    this.closing = true;
    child.stdin.end();
    // A launcher that does not end on its own (stopped, say) is killed.
    const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(kill);
  }

  private process(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(this.binary, this.options.args ?? [], {
      env: {},
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: this.options.detached,
    });
    this.child = child;
    this.exited = false;
    open.add(this);
    this.pending = Buffer.alloc(0);
    this.stderrTail = '';
    this.closing = false;
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    // A write after the launcher died fails here; 'close' reports it.
    child.stdin.on('error', () => {});
    let startError: Error | undefined;
    child.on('error', e => {
      startError = e;
    });
    child.on('close', (code, sig) => {
      if (this.child === child) this.child = undefined;
      this.exited = true;
      open.delete(this);
      const stderr = this.stderrTail.trim();
      let why = `exited unexpectedly (${sig ?? `exit code ${code}`})${
        stderr ? `: ${stderr}` : ''
      }`;
      if (startError) why = `could not be started: ${startError.message}`;
      else if (this.closing) why = 'was closed';
      this.failAll(new Error(`${this.name} ${why}`));
    });
    this.hold(false);
    return child;
  }

  /** Keeps the backend's event loop alive only while runs are in flight. */
  private hold(busy: boolean) {
    const child = this.child;
    if (!child) return;
    for (const handle of [
      child,
      child.stdin,
      child.stdout,
      child.stderr,
    ] as Array<{ ref(): void; unref(): void }>) {
      if (busy) handle.ref();
      else handle.unref();
    }
  }

  private receive(chunk: Buffer) {
    let buf = this.pending.length
      ? Buffer.concat([this.pending, chunk])
      : chunk;
    while (buf.length >= HEADER) {
      const length = buf.readUInt32BE(5);
      if (length > MAX_MESSAGE) {
        this.broken(`sent a message of ${length} bytes`);
        return;
      }
      if (buf.length < HEADER + length) break;
      try {
        this.dispatch(
          buf[0],
          buf.readUInt32BE(1),
          buf.subarray(HEADER, HEADER + length),
        );
      } catch (e) {
        // A malformed message (from a launcher a tool may have tampered with): never the backend's crash.
        this.broken(`sent a malformed message (${(e as Error).message})`);
        return;
      }
      buf = buf.subarray(HEADER + length);
    }
    this.pending = buf.length ? Buffer.from(buf) : Buffer.alloc(0);
  }

  /** The launcher speaks out of protocol: its runs fail and it is ended. */
  private broken(what: string) {
    const child = this.child;
    this.pending = Buffer.alloc(0);
    this.failAll(new Error(`${this.name} ${what}`));
    child?.kill('SIGKILL');
  }

  private dispatch(kind: number, id: number, payload: Buffer) {
    const run = this.runs.get(id);
    if (!run) return;
    switch (kind) {
      case STDOUT:
        run.events.onStdout(payload);
        break;
      case STDERR:
        run.events.onStderr(payload);
        break;
      case STARTED:
        run.pid = JSON.parse(payload.toString('utf8')).pid;
        run.events.onStarted(run.pid!);
        break;
      case FAILED:
        this.finish(id, run, null, null, new Error(payload.toString('utf8')));
        break;
      case EXIT: {
        const { code, signal } = JSON.parse(payload.toString('utf8'));
        const name = signal
          ? signalNames.get(signal) ?? (`SIG${signal}` as NodeJS.Signals)
          : null;
        this.finish(id, run, name ? null : code, name);
        break;
      }
      default:
        this.broken(`sent an unknown message (kind ${kind})`);
    }
  }

  private finish(
    id: number,
    run: Run,
    code: number | null,
    signal: NodeJS.Signals | null,
    error?: Error,
  ) {
    this.runs.delete(id);
    if (this.runs.size === 0) this.hold(false);
    run.events.onClosed(code, signal, error);
  }

  /** The launcher is gone: its tools are orphans, killed with their groups. */
  private failAll(error: Error) {
    for (const [id, run] of [...this.runs]) {
      if (run.pid && !this.options.foreignPids) {
        try {
          process.kill(-run.pid, 'SIGKILL');
        } catch {
          /* the group is gone */
        }
      }
      this.finish(id, run, null, null, error);
    }
  }
}

const launchers = new Map<string, ToolLauncher>();

/**
 * The one launcher of this process for a launcher binary.
 *
 * @public
 */
export function toolLauncher(binary: string): ToolLauncher {
  let launcher = launchers.get(binary);
  if (!launcher) {
    launcher = new ToolLauncher(binary);
    launchers.set(binary, launcher);
  }
  return launcher;
}

/**
 * Closes every launcher of this process, sandboxed ones included (a backend shutdown hook); tools still running are killed.
 *
 * @public
 */
export async function closeToolLaunchers(): Promise<void> {
  await Promise.all([...open].map(l => l.close()));
}
