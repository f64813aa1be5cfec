import fs from 'node:fs';
import path from 'node:path';
import { SandboxCgroups } from './cgroups';
import {
  LAUNCHER,
  scratchDir,
  script as writeScript,
} from './__testUtils__/processes';
import { locateBinary } from './locateBinary';
import { runTool } from './runTool';
import { SandboxLimits, ToolSandbox } from './sandbox';

// Whole-sandbox limits: the rlimits of prlimit are per process, and
// RLIMIT_NPROC does not apply to root at all, so without a cgroup one run
// could start 200 processes under `processes: 50`, or hold 3 x 600 MiB
// under a 1 GiB memory limit.
const limits: SandboxLimits = {
  cpuSeconds: 30,
  memoryBytes: 2 ** 30,
  fileSizeBytes: 64 * 2 ** 20,
  processes: 50,
};
const name = `gp-cgroup-test-${process.pid}`;
const base = {
  bwrap: locateBinary('bwrap'),
  prlimit: locateBinary('prlimit'),
  limits,
  launcher: LAUNCHER,
  cgroup: name,
};
const sandbox = new ToolSandbox({ ...base, idleMs: 60_000 });
// Where the run cgroups go, to check that none is left (detect() finds the
// parents the sandbox made, and removes them on close if it made them).
const found = SandboxCgroups.detect(name);
const parents = found.parentDirs;
const runsLeft = () =>
  parents.flatMap(p =>
    fs.existsSync(p) ? fs.readdirSync(p).filter(n => n.startsWith('run-')) : [],
  );
afterAll(async () => {
  await sandbox.close();
  found.close();
});

const tools = scratchDir('gp-cgroup-tools-');
const workspace = scratchDir('gp-cgroup-ws-');
// Bounded even without a limit: 200 sleeps of 5 s, then the script ends.
const forkBomb = writeScript(
  tools,
  'forkbomb',
  'i=0; while [ $i -lt 200 ]; do sleep 5 & i=$((i+1)); done; echo "started $i"; wait',
);
// Three processes that each hold 600 MiB for 2 s; fails when one was killed.
const hogs = writeScript(
  tools,
  'hogs',
  `for i in 1 2 3; do perl -e '$x = "a"; $x x= 600 << 20; sleep 2' & eval "p$i=$!"; done
   wait $p1 && wait $p2 && wait $p3 && echo 'all held 600 MiB'`,
);
// The same limits reached by processes a tool started, while the tool itself
// ignores what happened to them and exits 0: the run still fails.
const quietForks = writeScript(
  tools,
  'quiet-forks',
  `perl -e 'for (1..80) { my $p = fork; if (defined $p && $p == 0) { sleep 3; exit 0 } } 1 while wait != -1'
   echo 'every fork was asked for'; exit 0`,
);
const quietHogs = writeScript(
  tools,
  'quiet-hogs',
  `for i in 1 2 3; do perl -e '$x = "a"; $x x= 600 << 20; sleep 2' & done
   wait; echo 'the hogs ended, killed or not'; exit 0`,
);
const hello = writeScript(
  tools,
  'hello',
  'echo hello from $(cat /proc/self/cgroup | wc -l) hierarchies',
);

// A run that reaches a socket gets a sandbox of its own; the others reuse one.
const sockets = scratchDir('gp-cgroup-sockets-');
const run = (own: boolean, binary: string, sb = sandbox) =>
  runTool({
    binary,
    args: [],
    cwd: workspace,
    timeoutMs: 30_000,
    sandbox: sb,
    sandboxPaths: { writable: [workspace], sockets: own ? [sockets] : [] },
  });

it('gives each sandbox a cgroup on this host', () => {
  expect(sandbox.limitModeReason).toBeUndefined();
  expect(sandbox.limitMode).toMatch(/^cgroup[12]$/);
  expect(parents.length).toBeGreaterThan(0);
});

describe.each([
  ['a sandbox of its own', true],
  ['a reusable sandbox', false],
])('in %s', (_name, own) => {
  it('runs a normal tool', async () => {
    const r = await run(own, hello);
    expect(r.stdout).toMatch(/^hello from/);
  });

  it('stops a run that starts more processes than the whole sandbox may have', async () => {
    await expect(run(own, forkBomb)).rejects.toThrow(
      "forkbomb was stopped: the sandbox's limit of 50 processes and threads was reached; raise goldenPath.sandbox.limits.processes",
    );
  }, 30_000);

  it('stops a run whose processes together hold more than its memory limit', async () => {
    await expect(run(own, hogs)).rejects.toThrow(
      "hogs was stopped: the sandbox's memory limit of 1 GiB was reached; raise goldenPath.sandbox.limits.memoryBytes",
    );
  }, 30_000);

  it('fails a run whose tool exits 0 after the process limit refused its forks', async () => {
    await expect(run(own, quietForks)).rejects.toThrow(
      "quiet-forks was stopped: the sandbox's limit of 50 processes and threads was reached; raise goldenPath.sandbox.limits.processes",
    );
  }, 30_000);

  it('fails a run whose tool exits 0 after the memory limit killed a process it started', async () => {
    await expect(run(own, quietHogs)).rejects.toThrow(
      "quiet-hogs was stopped: the sandbox's memory limit of 1 GiB was reached; raise goldenPath.sandbox.limits.memoryBytes",
    );
  }, 30_000);

  it('runs normally again after a run reached a limit', async () => {
    await expect(run(own, hello)).resolves.toBeTruthy();
  });
});

it('removes the cgroup of each sandbox once it ended', async () => {
  // Those left are of the reusable sandbox kept idle.
  expect(runsLeft().length).toBeLessThanOrEqual(parents.length);
  await sandbox.close();
  expect(runsLeft()).toEqual([]);
  found.close();
  // The parents go too, once no process uses them (another suite may).
});

describe('where no cgroup can be made', () => {
  it.each([
    ['a directory that is not a cgroup', scratchDir('gp-not-a-cgroup-')],
    ['a cgroup v2 path that is not there', '/sys/fs/cgroup/no/such/cgroup'],
  ])('falls back to per-process limits, saying why: %s', async (_what, dir) => {
    const fallback = new ToolSandbox({ ...base, cgroup: dir });
    expect(fallback.limitMode).toBe('rlimits');
    expect(fallback.limitModeReason).toBeTruthy();
    const r = await run(false, hello, fallback);
    expect(r.stdout).toMatch(/^hello from/);
    await fallback.close();
  });

  it('falls back without golden-path-launcher, which joins the cgroup', () => {
    const plain = new ToolSandbox({ ...base, launcher: undefined });
    expect(plain.limitMode).toBe('rlimits');
    expect(plain.limitModeReason).toMatch(/golden-path-launcher/);
  });
});

it('reads the parent of a name beside the backend on cgroup v2, below it on v1', () => {
  const mountinfo =
    '30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n' +
    '40 23 0:27 / /x/pids rw - cgroup cgroup rw,pids\n' +
    '41 23 0:28 / /x/memory rw - cgroup cgroup rw,memory\n';
  // Nothing is writable at these paths: detect falls back, and says where it tried.
  const v2 = SandboxCgroups.detect('gp', {
    mountinfo: mountinfo.split('\n')[0],
    cgroup: '0::/system.slice/backstage.service\n',
  });
  expect(v2.mode).toBe('rlimits');
  expect(v2.reason).toContain(path.join('/sys/fs/cgroup/system.slice', 'gp'));
});
