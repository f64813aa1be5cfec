import fs from 'node:fs';
import path from 'node:path';
import {
  aliveAfter,
  LAUNCHER,
  scratchDir,
  script as writeScript,
} from './__testUtils__/processes';
import { locateBinary, MissingBinaryError } from './locateBinary';
import { Launch, spawnLaunch } from './launch';
import { runTool, ToolFailedError } from './runTool';
import { ToolLauncher } from './ToolLauncher';

const dir = scratchDir('gp-runner-');
const script = (name: string, body: string) => writeScript(dir, name, body);

/** Waits for a file a tool writes (by rename, so whole) once it is set up. */
async function waitForFile(file: string): Promise<string> {
  for (let i = 0; i < 200 && !fs.existsSync(file); i++) {
    await new Promise(r => setTimeout(r, 50));
  }
  return fs.readFileSync(file, 'utf8');
}

const launcher = new ToolLauncher(LAUNCHER);
afterAll(() => launcher.close());

// Every behaviour holds for both ways of starting a tool.
describe.each([
  ['Node spawn', undefined],
  ['golden-path-launcher', launcher.launch],
])('runTool started by %s', (_name, launch) => {
  const base = { args: [] as string[], cwd: dir, timeoutMs: 20_000, launch };

  it('passes arguments verbatim, without a shell', async () => {
    const echo = script('echo-args', 'printf "%s\\n" "$@"');
    const r = await runTool({
      ...base,
      binary: echo,
      args: ['$HOME', '; rm -rf /', '`id`'],
    });
    expect(r.stdout).toBe('$HOME\n; rm -rf /\n`id`\n');
  });

  it('gives the tool a minimal environment without the backend secrets', async () => {
    process.env.GOLDEN_PATH_TEST_SECRET = 'hunter2';
    const env = script('print-env', '/usr/bin/env');
    const r = await runTool({
      ...base,
      binary: env,
      env: { GOPROXY: 'http://proxy.invalid' },
    });
    expect(r.stdout).not.toContain('hunter2');
    expect(r.stdout).toContain('GOTOOLCHAIN=local');
    expect(r.stdout).toContain('GOPROXY=http://proxy.invalid');
    delete process.env.GOLDEN_PATH_TEST_SECRET;
  });

  it('fails a non-zero exit with the tool message', async () => {
    const fail = script('fail', 'echo "syntax error near line 3" >&2; exit 3');
    await expect(runTool({ ...base, binary: fail })).rejects.toThrow(
      'fail failed with exit code 3: syntax error near line 3',
    );
  });

  it('bounds the failure message when the tool prints very long lines', async () => {
    const loud = script(
      'loud',
      `for i in $(seq 1 8); do head -c 100000 /dev/zero | tr '\\0' x; echo; done >&2; exit 1`,
    );
    const error: ToolFailedError = await runTool({
      ...base,
      binary: loud,
    }).catch(e => e);
    expect(error).toBeInstanceOf(ToolFailedError);
    expect(error.message).toMatch(
      /^loud failed with exit code 1: (x{500} … \(99500 more characters\)\n){6}x{500} … \(99500 more characters\)$/,
    );
    expect(error.message.length).toBeLessThan(5000);
    // The output itself is kept whole for the step.
    expect(error.result.stderr.length).toBe(800_008);
  });

  it('accepts allowed exit codes', async () => {
    const lint = script('lint', 'echo finding; exit 100');
    await expect(
      runTool({ ...base, binary: lint, allowedExitCodes: [100] }),
    ).resolves.toMatchObject({ exitCode: 100 });
  });

  it('reports an exit by signal', async () => {
    const crash = script('crash', 'kill -SEGV $$');
    await expect(runTool({ ...base, binary: crash })).rejects.toThrow(
      'crash was killed by SIGSEGV',
    );
  });

  it('kills a hanging tool and its children at the timeout, even when they ignore SIGTERM', async () => {
    const pidFile = path.join(dir, 'hang.pid');
    const hang = script(
      'hang',
      `trap '' TERM; (trap '' TERM; sleep 60) & echo $! > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; sleep 60`,
    );
    fs.rmSync(pidFile, { force: true });
    const started = Date.now();
    // 1.5 s: time for the tool to start its child on a loaded machine
    await expect(
      runTool({ ...base, binary: hang, timeoutMs: 1500, killGraceMs: 500 }),
    ).rejects.toThrow('hang timed out after 1500 ms and was killed');
    // the timeout, the grace before SIGKILL, and some slack
    expect(Date.now() - started).toBeLessThan(3_500);
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(await aliveAfter(child)).toBe(false);
  });

  it('ends the step when a process that left the group keeps the output open', async () => {
    const pidFile = path.join(dir, 'escaped.pid');
    fs.rmSync(pidFile, { force: true });
    // The pid is written once the escaped process has its own session, and
    // the step is stopped only then (a timer could fire before the escape on
    // a loaded machine, and the group's kill would take the escaper with it).
    const tool = script(
      'escaper',
      `setsid sleep 60 & pid=$!
      until [ "$(ps -o sid= -p $pid | tr -d ' ')" = "$pid" ]; do sleep 0.05; done
      echo $pid > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; sleep 60`,
    );
    const cancel = new AbortController();
    const run = runTool({
      ...base,
      binary: tool,
      signal: cancel.signal,
      killGraceMs: 300,
    });
    run.catch(() => {}); // awaited below, once the step is stopped
    const escaped = Number(await waitForFile(pidFile));
    const stopped = Date.now();
    cancel.abort();
    try {
      await expect(run).rejects.toThrow(
        /escaper was killed \(the task was cancelled\), but a process it started outside its process group still holds its output open/,
      );
      // SIGTERM, then SIGKILL after the grace, then one more grace for the output
      expect(Date.now() - stopped).toBeLessThan(2_000);
    } finally {
      process.kill(escaped, 'SIGKILL');
    }
  });

  it('kills a tool whose start is reported only after the step gave up on it', async () => {
    const tool = script('late', 'sleep 60');
    let started = 0;
    const slow: Launch = (spec, events) =>
      setTimeout(() => {
        (launch ?? spawnLaunch)(spec, {
          ...events,
          onStarted: pid => {
            started = pid;
            events.onStarted(pid);
          },
        });
      }, 1_500);
    const controller = new AbortController();
    const run = runTool({
      ...base,
      binary: tool,
      signal: controller.signal,
      launch: slow,
      killGraceMs: 200,
    });
    controller.abort();
    await expect(run).rejects.toThrow(
      'late was stopped (the task was cancelled) before it had started',
    );
    // the start comes 1.5 s after the step gave up; then it is killed
    for (let i = 0; i < 100 && !started; i++) {
      await new Promise(r => setTimeout(r, 100));
    }
    expect(started).toBeGreaterThan(0);
    expect(await aliveAfter(started)).toBe(false);
  });

  it('ends the process group within 2 s when the task is cancelled', async () => {
    const pidFile = path.join(dir, 'cancel.pid');
    const tool = script(
      'stubborn',
      `trap '' TERM; (trap '' TERM; sleep 60) & echo $! > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; sleep 60`,
    );
    fs.rmSync(pidFile, { force: true });
    const controller = new AbortController();
    const run = runTool({ ...base, binary: tool, signal: controller.signal });
    run.catch(() => {}); // awaited below, once the task is cancelled
    // cancelled once the tool and its child are up
    const child = Number(await waitForFile(pidFile));
    const cancelled = Date.now();
    controller.abort();
    await expect(run).rejects.toThrow(
      'stubborn was stopped: the task was cancelled',
    );
    expect(Date.now() - cancelled).toBeLessThan(2_000);
    expect(await aliveAfter(child)).toBe(false);
  });

  it('keeps the head and tail of 100 MB of output', async () => {
    const flood = script(
      'flood',
      'head -c 104857600 /dev/zero | tr "\\0" "x"; echo; echo THE-END',
    );
    const r = await runTool({
      ...base,
      binary: flood,
      maxOutputBytes: 64 * 1024,
    });
    expect(r.stdout.length).toBeLessThan(70 * 1024);
    expect(r.stdout).toMatch(/… \d+ bytes cut …/);
    expect(r.stdout.trimEnd().endsWith('THE-END')).toBe(true);
  }, 30_000);

  it('survives invalid UTF-8', async () => {
    const bytes = script('bytes', 'printf "\\xff\\xfe ok\\n"');
    const r = await runTool({ ...base, binary: bytes });
    expect(r.stdout).toContain('ok');
  });

  it('fails a binary that cannot be started with the reason', async () => {
    await expect(
      runTool({ ...base, binary: path.join(dir, 'no-such-tool') }),
    ).rejects.toThrow(
      /no-such-tool could not be started: .*(ENOENT|no such file or directory)/,
    );
    const notExecutable = path.join(dir, 'not-executable');
    fs.writeFileSync(notExecutable, 'data');
    await expect(runTool({ ...base, binary: notExecutable })).rejects.toThrow(
      /not-executable could not be started: .*(EACCES|permission denied)/,
    );
  });

  it('caps the task log per step and says where it was cut, keeping the output for the step', async () => {
    const chatty = script(
      'chatty',
      'for i in $(seq 1 90000); do echo "finding $i"; done; echo "error tail" >&2',
    );
    const info = jest.fn();
    const warn = jest.fn();
    const r = await runTool({
      ...base,
      binary: chatty,
      logger: { info, warn },
    });
    expect(info.mock.calls.length + warn.mock.calls.length).toBeLessThanOrEqual(
      502,
    );
    expect(info).toHaveBeenCalledWith('chatty: finding 1');
    expect(info).not.toHaveBeenCalledWith('chatty: finding 501');
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^chatty: the task log stops here \(500 lines, \d+ bytes logged, the limit per step\)/,
      ),
    );
    expect(warn).toHaveBeenCalledWith(
      'chatty: 89501 more lines of output were not logged',
    );
    // The step still has the output (head and tail) to parse.
    expect(r.stdout).toContain('finding 90000');
    expect(r.stderr).toBe('error tail\n');
  });

  it('caps the task log by bytes too', async () => {
    const wide = script(
      'wide',
      'for i in $(seq 1 40); do head -c 8000 /dev/zero | tr "\\0" x; echo; done',
    );
    const info = jest.fn();
    const warn = jest.fn();
    await runTool({
      ...base,
      binary: wide,
      logger: { info, warn },
      maxLogBytes: 64 * 1024,
    });
    expect(info.mock.calls.length).toBe(8);
    expect(warn.mock.calls[0][0]).toMatch(
      /the task log stops here \(8 lines, 64000 bytes logged/,
    );
  });

  it('does not start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      runTool({ ...base, binary: '/bin/true', signal: controller.signal }),
    ).rejects.toBeInstanceOf(ToolFailedError);
  });
});

describe('locateBinary', () => {
  it('prefers the tools directory, then PATH', () => {
    fs.mkdirSync(path.join(dir, 'tools', 'bin'), { recursive: true });
    const own = path.join(dir, 'tools', 'bin', 'true');
    fs.writeFileSync(own, '#!/bin/sh\n', { mode: 0o755 });
    expect(locateBinary('true', { toolsDir: path.join(dir, 'tools') })).toBe(
      own,
    );
    expect(
      locateBinary('true', {
        toolsDir: path.join(dir, 'none'),
        searchPath: '/usr/bin:/bin',
      }),
    ).toMatch(/\/true$/);
  });

  it('remembers a found binary but searches again once it is gone', () => {
    const tools = path.join(dir, 'tools2');
    fs.mkdirSync(path.join(tools, 'bin'), { recursive: true });
    const own = path.join(tools, 'bin', 'true');
    fs.writeFileSync(own, '#!/bin/sh\n', { mode: 0o755 });
    const options = { toolsDir: tools, searchPath: '/usr/bin:/bin' };
    expect(locateBinary('true', options)).toBe(own);
    expect(locateBinary('true', options)).toBe(own);
    fs.chmodSync(own, 0o644);
    expect(locateBinary('true', options)).toMatch(/^\/(usr\/)?bin\/true$/);
    fs.rmSync(own);
    expect(() =>
      locateBinary('true', { ...options, searchPath: '/nonexistent' }),
    ).toThrow(/true was not found/);
  });

  it('names a missing binary and how to install it', () => {
    expect(() =>
      locateBinary('atlas', {
        toolsDir: '/nonexistent',
        searchPath: '/nonexistent',
      }),
    ).toThrow(
      /atlas was not found .* install it with scripts\/setup.sh .* or set goldenPath.tools.atlas/,
    );
    expect(() => locateBinary('buf', { configuredPath: '/opt/buf' })).toThrow(
      MissingBinaryError,
    );
  });
});
