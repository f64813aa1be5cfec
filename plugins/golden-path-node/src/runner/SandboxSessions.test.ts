import fs from 'node:fs';
import path from 'node:path';
import {
  LAUNCHER,
  processesLeft,
  scratchDir,
  script as writeScript,
} from './__testUtils__/processes';
import { locateBinary } from './locateBinary';
import { runTool } from './runTool';
import { SandboxSessions } from './SandboxSessions';
import { SandboxPaths, ToolSandbox } from './sandbox';

const sandbox = new ToolSandbox({
  bwrap: locateBinary('bwrap'),
  prlimit: locateBinary('prlimit'),
  launcher: LAUNCHER,
  limits: {
    cpuSeconds: 60,
    memoryBytes: 4 * 2 ** 30,
    fileSizeBytes: 64 * 2 ** 20,
    processes: 4096,
  },
});
afterAll(() => sandbox.close());

const tools = scratchDir('gp-sessions-tools-');
const script = (name: string, body: string) => writeScript(tools, name, body);

const paths = (ws: string): SandboxPaths => ({
  writable: [ws],
  readable: [tools],
});

/** Runs `binary` in the reusable sandbox of `ws`; resolves with the sandbox's pid and the output. */
function runIn(
  ws: string,
  binary: string,
): Promise<{ pid: number; stdout: string; code: number | null }> {
  const launch = sandbox.reusable(paths(ws))!;
  return new Promise((resolve, reject) => {
    let pid = 0;
    let stdout = '';
    launch(
      { binary, args: [], cwd: ws, env: { PATH: '/usr/bin:/bin' } },
      {
        onStarted: p => (pid = p),
        onStdout: c => (stdout += c),
        onStderr: () => {},
        onClosed: (code, _signal, error) =>
          error ? reject(error) : resolve({ pid, stdout, code }),
      },
    );
  });
}

describe('a reusable sandbox', () => {
  const a = scratchDir('gp-sessions-a-');
  const b = scratchDir('gp-sessions-b-');
  const clear = scratchDir('gp-sessions-clear-');
  const keep = scratchDir('gp-sessions-keep-');
  it('serves the runs of one workspace, and never two workspaces', async () => {
    const hello = script('hello', 'echo hello');
    const first = await runIn(a, hello);
    const second = await runIn(a, hello);
    const other = await runIn(b, hello);
    expect(first.stdout).toBe('hello\n');
    expect(second.pid).toBe(first.pid);
    expect(other.pid).not.toBe(first.pid);
  });

  it('is cleared after each run: no process and no /tmp file of a run reaches the next', async () => {
    const ws = clear;
    const leave = script(
      'leave',
      'setsid sleep 60 </dev/null >/dev/null 2>&1 & (sleep 60 &) ; echo secret > /tmp/left; mkdir -p /tmp/d/e; echo left',
    );
    const look = script(
      'look',
      'ls -A /tmp | grep -v "^gp-" ; pgrep -c sleep; true',
    );
    const r1 = await runIn(ws, leave);
    const r2 = await runIn(ws, look);
    expect(r2.pid).toBe(r1.pid);
    expect(r2.stdout).toBe('0\n');
  });

  it('keeps the workspace it mounts, even under /tmp', async () => {
    const ws = keep;
    expect(ws.startsWith('/tmp/')).toBe(true);
    const write = script('write', 'mkdir -p sub && echo kept > sub/file');
    await runIn(ws, write);
    await runIn(ws, write);
    expect(fs.readFileSync(path.join(ws, 'sub/file'), 'utf8')).toBe('kept\n');
  });
});

describe('bad input: a tool attacking the launcher of its reusable sandbox', () => {
  // The launcher is the sandbox's init (pid 1) and undumpable.
  const ws = scratchDir('gp-sessions-attack-');
  it('can neither read it nor reach its pipes (/proc, pidfd_getfd)', async () => {
    const attack = script(
      'attack',
      `grep -qa -- --sandboxed /proc/1/cmdline && echo found
       echo junk > /proc/1/fd/1 2>/dev/null && echo WROTE
       cat /proc/1/environ 2>/dev/null && echo READ
       readlink /proc/1/fd/0 2>/dev/null && echo LINKED
       python3 -c "import ctypes, os; fd = os.pidfd_open(1); n = ctypes.CDLL(None).syscall(438, fd, 1, 0); print('STOLE' if n >= 0 else '')" 2>/dev/null | grep .
       true`,
    );
    const r = await runIn(ws, attack);
    expect(r.stdout).toBe('found\n');
    // The sandbox still serves the next run.
    const next = await runIn(ws, script('ok', 'echo ok'));
    expect(next).toMatchObject({ pid: r.pid, stdout: 'ok\n', code: 0 });
  });

  it('cannot stop or kill it', async () => {
    const attack = script(
      'signal',
      'kill -STOP 1 2>/dev/null; kill -KILL 1 2>/dev/null; echo tried',
    );
    const r = await runIn(ws, attack);
    expect(r).toMatchObject({ stdout: 'tried\n', code: 0 });
    const next = await runIn(ws, script('ok', 'echo ok'));
    expect(next).toMatchObject({ pid: r.pid, stdout: 'ok\n', code: 0 });
  });
});

describe('a run stopped in a reusable sandbox', () => {
  const ws = scratchDir('gp-sessions-stop-');
  it('ends the sandbox with everything in it; the next run gets a new one', async () => {
    const marker = `gp-sessions-hang-${process.pid}`;
    const before = await runIn(ws, script('first', 'echo first'));
    await expect(
      runTool({
        binary: script('hang', `exec -a ${marker} sleep 30`),
        args: [],
        cwd: ws,
        timeoutMs: 1500,
        killGraceMs: 200,
        sandbox,
        sandboxPaths: paths(ws),
      }),
    ).rejects.toThrow(/timed out after 1500 ms/);
    expect(await processesLeft(marker)).toBe('');
    const after = await runIn(ws, script('after', 'echo after'));
    expect(after.stdout).toBe('after\n');
    expect(after.pid).not.toBe(before.pid);
  }, 30_000);
});

describe("bad input: a reusable sandbox and the host's /tmp", () => {
  const hostTmp = scratchDir('gp-sessions-hosttmp-');
  it('is never used for a run that mounts /tmp or above: that run gets a sandbox of its own', () => {
    for (const dir of ['/tmp', '/tmp/', '/', '/tmp/../tmp'])
      expect(sandbox.reusable({ writable: [dir] })).toBeUndefined();
    expect(
      sandbox.reusable({ writable: [tools], readable: ['/'] }),
    ).toBeUndefined();
    expect(sandbox.reusable({ writable: [tools] })).toBeDefined();
  });

  it('does not empty a /tmp that held files when it started (the launcher checks it too)', async () => {
    fs.writeFileSync(path.join(hostTmp, 'canary'), 'keep');
    const sessions = new SandboxSessions(sandbox.options.prlimit);
    const args = [
      '--',
      sandbox.options.bwrap,
      '--unshare-user',
      '--unshare-pid',
      '--die-with-parent',
      '--dev',
      '/dev',
      '--ro-bind',
      '/usr',
      '/usr',
      '--symlink',
      'usr/bin',
      '/bin',
      '--symlink',
      'usr/lib',
      '/lib',
      '--symlink',
      'usr/lib64',
      '/lib64',
      '--bind',
      hostTmp,
      '/tmp',
      // After /tmp: the launcher may live under /tmp (a clone there).
      '--ro-bind',
      path.dirname(LAUNCHER),
      path.dirname(LAUNCHER),
      '--as-pid-1',
      '--',
      LAUNCHER,
      '--sandboxed',
    ];
    const touch = await new Promise<number | null>((resolve, reject) =>
      sessions.launch(
        'host-tmp',
        () => args,
        {
          binary: '/bin/sh',
          args: ['-c', 'echo new > /tmp/made-by-run'],
          cwd: '/',
          env: { PATH: '/usr/bin:/bin' },
        },
        {
          onStarted: () => {},
          onStdout: () => {},
          onStderr: () => {},
          onClosed: (code, _s, e) => (e ? reject(e) : resolve(code)),
        },
      ),
    );
    await sessions.closeIdle();
    expect(touch).toBe(0);
    // Nothing removed (bwrap may have added the launcher's mount point there).
    expect(fs.readdirSync(hostTmp)).toEqual(
      expect.arrayContaining(['canary', 'made-by-run']),
    );
    expect(fs.readFileSync(path.join(hostTmp, 'canary'), 'utf8')).toBe('keep');
  });
});
