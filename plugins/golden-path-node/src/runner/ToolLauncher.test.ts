import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  alive,
  LAUNCHER,
  scratchDir,
  script as writeScript,
} from './__testUtils__/processes';
import { runTool } from './runTool';
import { ToolLauncher } from './ToolLauncher';

const dir = scratchDir('gp-launcher-');
const script = (name: string, body: string) => writeScript(dir, name, body);

const launcherPid = (l: ToolLauncher) =>
  (l as unknown as { child?: { pid?: number } }).child?.pid;

async function waitFor(check: () => boolean, ms = 3_000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('ToolLauncher', () => {
  it('runs tools side by side, each output kept apart', async () => {
    const launcher = new ToolLauncher(LAUNCHER);
    const tool = script(
      'count',
      'for i in $(seq 1 200); do echo "$1-$i"; done; echo "$1-err" >&2; exit $2',
    );
    const runs = Array.from({ length: 20 }, (_, n) =>
      runTool({
        binary: tool,
        args: [`run${n}`, n % 5 === 0 ? '100' : '0'],
        cwd: dir,
        timeoutMs: 20_000,
        allowedExitCodes: [100],
        launch: launcher.launch,
      }),
    );
    const results = await Promise.all(runs);
    results.forEach((r, n) => {
      expect(r.stdout.split('\n').filter(Boolean)).toEqual(
        Array.from({ length: 200 }, (_, i) => `run${n}-${i + 1}`),
      );
      expect(r.stderr).toBe(`run${n}-err\n`);
      expect(r.exitCode).toBe(n % 5 === 0 ? 100 : 0);
    });
    expect(launcher.running).toBe(0);
    await launcher.close();
  });

  it('starts each tool in a process group of its own, with no signal ignored', async () => {
    const launcher = new ToolLauncher(LAUNCHER);
    const ids = script(
      'ids',
      'ps -o pid=,pgid= -p $$; exec grep SigIgn /proc/self/status',
    );
    const r = await runTool({
      binary: ids,
      args: [],
      cwd: dir,
      timeoutMs: 20_000,
      launch: launcher.launch,
    });
    const [pid, pgid] = r.stdout.trim().split(/\s+/).map(Number);
    expect(pgid).toBe(pid);
    expect(pgid).not.toBe(process.pid);
    // e.g. SIGPIPE, which the launcher itself handles, is at its default in the tool
    expect(r.stdout).toMatch(/SigIgn:\s+0+\n/);
    await launcher.close();
  });

  it('fails the runs of a launcher that dies, kills their tools, and starts a new one for the next run', async () => {
    const launcher = new ToolLauncher(LAUNCHER);
    const pidFile = path.join(dir, 'orphan.pid');
    const tool = script('long', `echo $$ > ${pidFile}; sleep 60`);
    const run = runTool({
      binary: tool,
      args: [],
      cwd: dir,
      timeoutMs: 20_000,
      launch: launcher.launch,
    });
    await waitFor(
      () =>
        fs.existsSync(pidFile) &&
        fs.readFileSync(pidFile, 'utf8').trim() !== '',
    );
    const first = launcherPid(launcher)!;
    process.kill(first, 'SIGKILL');
    await expect(run).rejects.toThrow(
      /long could not be started: the tool launcher .* exited unexpectedly \(SIGKILL\)/,
    );
    await waitFor(() => !alive(Number(fs.readFileSync(pidFile, 'utf8'))));
    const again = await runTool({
      binary: '/bin/echo',
      args: ['back'],
      cwd: dir,
      timeoutMs: 20_000,
      launch: launcher.launch,
    });
    expect(again.stdout).toBe('back\n');
    expect(launcherPid(launcher)).not.toBe(first);
    await launcher.close();
  });

  it('kills the tools still running when the backend goes away (its stdin closes)', async () => {
    const launcher = new ToolLauncher(LAUNCHER);
    const pidFile = path.join(dir, 'left.pid');
    const tool = script(
      'left',
      `trap '' TERM; (trap '' TERM; sleep 60) & echo $! > ${pidFile}; sleep 60`,
    );
    const run = runTool({
      binary: tool,
      args: [],
      cwd: dir,
      timeoutMs: 20_000,
      launch: launcher.launch,
    });
    await waitFor(
      () =>
        fs.existsSync(pidFile) &&
        fs.readFileSync(pidFile, 'utf8').trim() !== '',
    );
    await launcher.close();
    await expect(run).rejects.toThrow(/the tool launcher .* was closed/);
    await waitFor(() => !alive(Number(fs.readFileSync(pidFile, 'utf8'))));
  });

  it('refuses a start request over its limit without disturbing the runs in flight', async () => {
    const launcher = new ToolLauncher(LAUNCHER);
    const long = runTool({
      binary: '/bin/sh',
      args: ['-c', 'sleep 0.3; echo done'],
      cwd: dir,
      timeoutMs: 20_000,
      launch: launcher.launch,
    });
    await expect(
      runTool({
        binary: '/bin/echo',
        args: ['x'.repeat(2 << 20)],
        cwd: dir,
        timeoutMs: 20_000,
        launch: launcher.launch,
      }),
    ).rejects.toThrow(
      /echo could not be started: its arguments and environment take \d+ bytes, over the launcher's limit of 1048576/,
    );
    expect((await long).stdout).toBe('done\n');
    await launcher.close();
  });

  it('kills the tools when the backend itself is killed, a chatty one included', async () => {
    // A stand-in backend (plain Node, the launcher's own protocol) that starts two tools and is
    // then killed with SIGKILL: the launcher sees its stdin end or its stdout break.
    const backend = `
      const { spawn } = require('node:child_process');
      const l = spawn(${JSON.stringify(
        LAUNCHER,
      )}, [], { stdio: ['pipe', 'pipe', 'inherit'] });
      l.stdout.resume();
      const start = (id, script) => {
        const p = Buffer.from(JSON.stringify({ path: '/bin/sh', args: ['-c', script], dir: ${JSON.stringify(
          dir,
        )}, env: [] }));
        const b = Buffer.alloc(9 + p.length);
        b[0] = 83; b.writeUInt32BE(id, 1); b.writeUInt32BE(p.length, 5); p.copy(b, 9);
        l.stdin.write(b);
      };
      start(1, 'echo $$ > chatty.pid; while :; do echo chatter; done');
      start(2, 'echo $$ > quiet.pid; sleep 60');
      setInterval(() => {}, 1000);
    `;
    for (const f of ['chatty.pid', 'quiet.pid'])
      fs.rmSync(path.join(dir, f), { force: true });
    const child = spawn(process.execPath, ['-e', backend], { stdio: 'ignore' });
    const pidOf = (f: string) =>
      Number(fs.readFileSync(path.join(dir, f), 'utf8'));
    await waitFor(() =>
      ['chatty.pid', 'quiet.pid'].every(
        f => fs.existsSync(path.join(dir, f)) && pidOf(f) > 0,
      ),
    );
    const tools = [pidOf('chatty.pid'), pidOf('quiet.pid')];
    expect(tools.every(alive)).toBe(true);
    child.kill('SIGKILL');
    await waitFor(() => !tools.some(alive));
  });

  it('names a launcher binary that cannot be started', async () => {
    const launcher = new ToolLauncher(path.join(dir, 'no-launcher'));
    await expect(
      runTool({
        binary: '/bin/true',
        args: [],
        cwd: dir,
        timeoutMs: 20_000,
        launch: launcher.launch,
      }),
    ).rejects.toThrow(
      /the tool launcher .*no-launcher could not be started: spawn .* ENOENT/,
    );
  });

  it('refuses to be run by hand', () => {
    const r = require('node:child_process').spawnSync(LAUNCHER, ['--help'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('takes no arguments');
  });
});

// A launcher inside a sandbox shares it with the tools it runs: what it
// sends is read as untrusted.
describe('bad input: a launcher that speaks out of protocol', () => {
  it.each([
    [
      'a started message that is not JSON',
      'not-json',
      String.raw`printf 'P\000\000\000\001\000\000\000\003xyz'`,
      /the sandbox sent a malformed message/,
    ],
    [
      'a message of 2 GiB',
      'huge',
      String.raw`printf 'O\000\000\000\001\177\377\377\377'`,
      /the sandbox sent a message of 2147483647 bytes/,
    ],
    [
      'a message of an unknown kind',
      'unknown-kind',
      String.raw`printf 'Z\000\000\000\001\000\000\000\000'`,
      /the sandbox sent an unknown message \(kind 90\)/,
    ],
  ])(
    '%s fails the run and ends the launcher, not the backend',
    async (_what, name, send, message) => {
      const liar = script(`liar-${name}`, `${send}; exec sleep 30`);
      const launcher = new ToolLauncher(liar, { name: 'the sandbox' });
      await expect(
        runTool({
          binary: '/bin/true',
          args: [],
          cwd: dir,
          timeoutMs: 20_000,
          launch: launcher.launch,
        }),
      ).rejects.toThrow(message);
      await waitFor(() => launcher.pid === undefined);
      expect(launcher.alive).toBe(false);
    },
  );
});
