import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  alive,
  LAUNCHER,
  processesLeft,
  scratchDir,
  script as writeScript,
} from './__testUtils__/processes';
import { locateBinary } from './locateBinary';
import { runTool, RunToolOptions } from './runTool';
import { SandboxLimits, ToolSandbox } from './sandbox';
import { ToolLauncher } from './ToolLauncher';

const REPO = path.resolve(__dirname, '../../../..');
const limits: SandboxLimits = {
  cpuSeconds: 60,
  memoryBytes: 4 * 2 ** 30,
  fileSizeBytes: 64 * 2 ** 20,
  processes: 4096,
};
const sandbox = new ToolSandbox({
  bwrap: locateBinary('bwrap'),
  prlimit: locateBinary('prlimit'),
  limits,
});
/** The same sandbox, reused by the runs of one workspace (through golden-path-launcher --sandboxed). */
const reused = new ToolSandbox({ ...sandbox.options, launcher: LAUNCHER });
afterAll(() => reused.close());

const outside = scratchDir('gp-sandbox-outside-');
const tools = scratchDir('gp-sandbox-tools-');
const script = (name: string, body: string) => writeScript(tools, name, body);
// A file of the backend's home directory, made by the test (a home may have no dotfiles at all).
const homeFile = path.join(
  os.homedir(),
  `.golden-path-sandbox-test-${process.pid}`,
);
beforeAll(() => fs.writeFileSync(homeFile, 'hunter2'));
afterAll(() => fs.rmSync(homeFile, { force: true }));

const launcher = new ToolLauncher(LAUNCHER);
afterAll(() => launcher.close());

it('can be created on this machine (the test run has the sandbox on)', () => {
  expect(sandbox.probe()).toBeUndefined();
});

describe.each([
  ['Node spawn', undefined, sandbox],
  ['golden-path-launcher', launcher.launch, sandbox],
  ['a reusable sandbox', launcher.launch, reused],
])('a sandboxed tool started by %s', (_name, launch, sb) => {
  const workspace = scratchDir('gp-sandbox-ws-');
  const run = (binary: string, o: Partial<RunToolOptions> = {}) =>
    runTool({
      binary,
      args: [],
      cwd: workspace,
      timeoutMs: 20_000,
      launch,
      sandbox: sb,
      sandboxPaths: { writable: [workspace] },
      ...o,
    });

  it('still does its work: reads and writes its workspace, runs system programs', async () => {
    fs.writeFileSync(path.join(workspace, 'in.txt'), 'orders\n');
    const work = script(
      'work',
      'tr a-z A-Z < in.txt > out.txt && sha256sum out.txt',
    );
    const r = await run(work);
    expect(fs.readFileSync(path.join(workspace, 'out.txt'), 'utf8')).toBe(
      'ORDERS\n',
    );
    expect(r.stdout).toMatch(/^[0-9a-f]{64} {2}out\.txt\n$/);
  });

  it.each([
    ["the backend's app-config", path.join(REPO, 'app-config.yaml')],
    ['/etc/shadow', '/etc/shadow'],
    ["a file of the host's /tmp", path.join(outside, 'secret')],
    ["the backend's home directory", homeFile],
  ])('cannot read %s', async (_what, file) => {
    fs.writeFileSync(path.join(outside, 'secret'), 'hunter2');
    expect(fs.existsSync(file)).toBe(true); // the file is there for the backend
    const cat = script('cat-file', 'cat "$1" && echo READ');
    await expect(run(cat, { args: [file] })).rejects.toThrow(
      /No such file or directory/,
    );
  });

  it('cannot write outside its workspace', async () => {
    const write = script(
      'write-out',
      `echo x > ${outside}/planted 2>/dev/null && echo WROTE-TMP; echo x > /usr/planted 2>/dev/null && echo WROTE-USR; ` +
        `echo x > ${tools}/planted 2>/dev/null && echo WROTE-TOOLS; echo done`,
    );
    const r = await run(write);
    expect(r.stdout).toBe('done\n');
    expect(fs.existsSync(path.join(outside, 'planted'))).toBe(false);
    expect(fs.existsSync(path.join(tools, 'planted'))).toBe(false);
  });

  it('cannot open a TCP connection to a listener on 127.0.0.1', async () => {
    const accepted: net.Socket[] = [];
    const server = net.createServer(s => accepted.push(s));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const connect = script(
        'connect',
        `exec 3<>/dev/tcp/127.0.0.1/${port} && echo CONNECTED`,
      );
      await expect(run(connect)).rejects.toThrow(
        /Connection refused|Network is unreachable|Cannot assign/,
      );
      expect(accepted).toHaveLength(0);
    } finally {
      server.close();
    }
  });

  it("sees neither the backend's environment nor its processes", async () => {
    process.env.GOLDEN_PATH_TEST_SECRET = 'hunter2';
    try {
      const peek = script(
        'peek',
        `env; cat /proc/${process.pid}/environ 2>/dev/null && echo ENVIRON; ls /proc | grep -c '^[0-9]'`,
      );
      const r = await run(peek);
      expect(r.stdout).not.toContain('hunter2');
      expect(r.stdout).not.toContain('ENVIRON');
      // Only the sandbox's own processes: its init, the script and ls/grep.
      expect(Number(r.stdout.trim().split('\n').pop())).toBeLessThan(6);
    } finally {
      delete process.env.GOLDEN_PATH_TEST_SECRET;
    }
  });

  it('takes down a process that left its group with the sandbox', async () => {
    const marker = `gp-escape-${process.pid}-${Date.now()}`;
    const escape = script(
      'escape',
      `setsid sh -c 'exec -a ${marker} sleep 60' </dev/null >/dev/null 2>&1 & echo started`,
    );
    await run(escape);
    expect(await processesLeft(marker)).toBe('');
  }, 60_000);

  it('is killed at the timeout, with everything it started', async () => {
    const marker = `gp-hang-${process.pid}-${Date.now()}`;
    const hang = script(
      'hang',
      `trap '' TERM; (trap '' TERM; exec -a ${marker} sleep 60) & wait`,
    );
    const started = Date.now();
    await expect(
      run(hang, { timeoutMs: 800, killGraceMs: 300 }),
    ).rejects.toThrow(/hang timed out after 800 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await processesLeft(marker)).toBe('');
  }, 60_000);

  it('is stopped by its file size limit', async () => {
    const big = script('big', 'exec head -c 80M /dev/zero > big.bin');
    await expect(run(big)).rejects.toThrow(
      'big went over its file size limit (64 MiB) and was stopped',
    );
    expect(
      fs.statSync(path.join(workspace, 'big.bin')).size,
    ).toBeLessThanOrEqual(limits.fileSizeBytes);
  }, 60_000);

  it('is stopped by its CPU time limit', async () => {
    const tight = new ToolSandbox({
      ...sb.options,
      limits: { ...limits, cpuSeconds: 1 },
    });
    const spin = script('spin', 'while :; do :; done');
    await expect(run(spin, { sandbox: tight })).rejects.toThrow(
      'spin went over its CPU time limit (1 s) and was stopped',
    );
  }, 60_000);

  it('is refused memory over its limit', async () => {
    const small = new ToolSandbox({
      ...sb.options,
      limits: { ...limits, memoryBytes: 256 * 2 ** 20 },
    });
    // bash grows a string to 512 MiB: the allocation fails.
    const hog = script(
      'hog',
      's=$(head -c 536870912 /dev/zero | tr "\\0" x); echo ${#s}',
    );
    await expect(run(hog, { sandbox: small })).rejects.toThrow(
      /memory|Cannot allocate|exit code/i,
    );
  }, 60_000);
});

describe.each([
  ['its own sandbox', sandbox],
  ['a reusable sandbox', reused],
])('bad input: a tool trying to leave its sandbox (%s)', (_name, sb) => {
  const workspace = scratchDir('gp-sandbox-escape-');
  const abstractName = `gp-sandbox-abstract-${process.pid}`;
  let abstract: net.Server;
  beforeAll(async () => {
    fs.symlinkSync('/etc/passwd', path.join(workspace, 'passwd-link'));
    fs.symlinkSync(REPO, path.join(workspace, 'checkout-link'));
    abstract = net.createServer(s => s.end('HOST\n'));
    await new Promise<void>(resolve =>
      abstract.listen(`\0${abstractName}`, resolve),
    );
  });
  afterAll(() => abstract.close());

  // Each attempt prints ESCAPED only if it got through; the step itself may fail or not.
  it.each([
    [
      'reads /etc/passwd through a symlink in its workspace',
      'cat passwd-link && echo ESCAPED',
    ],
    [
      // Only the tools directory (read-only, for the tools and the launcher) exists there.
      'lists the checkout through a symlink in its workspace',
      'ls -A checkout-link/ | grep -v -x .tools | grep -q . && echo ESCAPED',
    ],
    [
      "reads the backend's environment through /proc",
      `cat /proc/${process.pid}/environ && echo ESCAPED`,
    ],
    ['signals the backend', `kill -0 ${process.pid} && echo ESCAPED`],
    [
      'mounts a filesystem',
      'mkdir -p m && mount -t tmpfs none m && echo ESCAPED',
    ],
    ['remounts /usr writable', 'mount -o remount,rw /usr && echo ESCAPED'],
    ['gains root through a setuid program', 'su -c "echo ESCAPED" root'],
    [
      'connects to the PostgreSQL socket of the host',
      'exec 3<>/dev/tcp/127.0.0.1/5432 && echo ESCAPED',
    ],
    [
      'connects over IPv6 loopback',
      'exec 3<>/dev/tcp/::1/5432 && echo ESCAPED',
    ],
    [
      "connects to the host's Unix sockets",
      'ls /var/run/postgresql/ /run/ && echo ESCAPED',
    ],
    [
      'connects to an abstract Unix socket of the host',
      `python3 -c "import socket; s=socket.socket(socket.AF_UNIX); s.connect('\\0${abstractName}'); print('ESCAPED')"`,
    ],
    ['resolves a host name', 'getent hosts localhost && echo ESCAPED'],
    ["reads the kernel's log", 'dmesg | head -1 | grep . && echo ESCAPED'],
    [
      'sees devices of the host',
      'ls /dev/ | grep -E "^(sd|nvme|vd|xvd|mem|kmem)" && echo ESCAPED',
    ],
    [
      'reads another user namespace of the host',
      'cat /proc/1/root/etc/hostname && echo ESCAPED',
    ],
    [
      'writes a file past its size limit',
      'head -c 80M /dev/zero > big.bin; [ $(stat -c %s big.bin) -gt 67108864 ] && echo ESCAPED',
    ],
    [
      'fills its private /tmp (memory) with files under the size limit',
      'for i in 1 2 3 4 5 6 7 8; do head -c 60M /dev/zero > /tmp/f$i || break; done; [ $(du -smx /tmp | cut -f1) -gt 256 ] && echo ESCAPED',
    ],
    [
      'changes the host name of the machine',
      'hostname escaped 2>/dev/null; cat /proc/sys/kernel/hostname',
    ],
  ])('%s', async (_what, attempt) => {
    const r = await runTool({
      binary: '/bin/sh',
      args: ['-c', attempt],
      cwd: workspace,
      timeoutMs: 20_000,
      launch: launcher.launch,
      sandbox: sb,
      sandboxPaths: { writable: [workspace] },
    }).catch(e => e.result);
    expect(r.stdout).not.toContain('ESCAPED');
    expect(r.stdout).not.toContain('HOST');
    expect(os.hostname()).not.toBe('escaped');
  });
});

// RLIMIT_NPROC is not applied by the kernel to root, so this runs the sandbox as an unprivileged user.
it('limits the number of processes of an unprivileged backend user', () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-sandbox-nproc-'));
  fs.chmodSync(ws, 0o777);
  const forker = path.join(ws, 'forker');
  fs.writeFileSync(
    forker,
    '#!/bin/bash\nfor i in $(seq 200); do sleep 5 & done 2>&1 | head -1; echo spawned\n',
    {
      mode: 0o755,
    },
  );
  try {
    const few = new ToolSandbox({
      ...sandbox.options,
      limits: { ...limits, processes: 40 },
    });
    const spec = few.wrap(
      { binary: forker, args: [], cwd: ws, env: { PATH: '/usr/bin:/bin' } },
      { writable: [ws] },
    );
    const asNobody = (s: typeof spec) =>
      spawnSync(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          s.binary,
          ...s.args,
        ],
        {
          cwd: s.cwd,
          env: s.env,
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
    const r = asNobody(spec);
    expect(r.stdout + r.stderr).toMatch(
      /Resource temporarily unavailable|retry: No child processes|fork/,
    );
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

const probeWs = scratchDir('gp-sandbox-probe-');
it('confines a tool started before and after a probe in the same way (probe has no side effects)', async () => {
  const ws = probeWs;
  expect(sandbox.probe()).toBeUndefined();
  const r = await runTool({
    binary: '/bin/sh',
    args: ['-c', 'pwd; ls /'],
    cwd: ws,
    timeoutMs: 10_000,
    sandbox,
    sandboxPaths: { writable: [ws] },
  });
  expect(r.stdout.split('\n')[0]).toBe(ws);
  expect(r.stdout).not.toMatch(/^(etc|home|root|var|work)$/m);
  expect(alive(process.pid)).toBe(true);
});
