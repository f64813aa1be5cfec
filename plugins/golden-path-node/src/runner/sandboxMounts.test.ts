import fs from 'node:fs';
import path from 'node:path';
import { LAUNCHER, scratchDir } from './__testUtils__/processes';
import { locateBinary } from './locateBinary';
import { runTool } from './runTool';
import { ToolSandbox } from './sandbox';
import { ToolLauncher } from './ToolLauncher';

const limits = {
  cpuSeconds: 60,
  memoryBytes: 4 * 2 ** 30,
  fileSizeBytes: 64 * 2 ** 20,
  processes: 4096,
};

/**
 * A tools directory laid out as scripts/setup.sh makes .tools: bin/ with
 * links into a package (buf-pkg/bin), and beside bin the backend's
 * dev-token. The links below are what a bad install (or anyone who can
 * write bin/) could add: one to a program of the tools dir itself, one to
 * the token, one to the tools dir.
 */
function toolsDir() {
  const tools = scratchDir('gp-sandbox-mounts-');
  const exe = (rel: string, body: string) => {
    fs.mkdirSync(path.dirname(path.join(tools, rel)), { recursive: true });
    fs.writeFileSync(path.join(tools, rel), `#!/bin/sh\n${body}\n`, {
      mode: 0o755,
    });
  };
  fs.writeFileSync(path.join(tools, 'dev-token'), 'hunter2-token\n');
  exe('helper', 'echo HELPER');
  exe('pkg/bin/pkgtool', 'exec "$(dirname "$(readlink -f "$0")")/pkgsibling"');
  exe('pkg/bin/pkgsibling', 'echo SIBLING');
  fs.writeFileSync(path.join(tools, 'pkg/README.md'), 'package readme\n');
  fs.mkdirSync(path.join(tools, 'bin'));
  for (const [link, to] of [
    ['helper', '../helper'],
    ['pkgtool', '../pkg/bin/pkgtool'],
    ['token', '../dev-token'],
    ['all', '..'],
  ])
    fs.symlinkSync(to, path.join(tools, 'bin', link));
  return tools;
}

const base = {
  bwrap: locateBinary('bwrap'),
  prlimit: locateBinary('prlimit'),
  limits,
};
const launcher = new ToolLauncher(LAUNCHER);
const reused = new ToolSandbox({ ...base, launcher: LAUNCHER });
afterAll(async () => {
  await reused.close();
  launcher.close();
});

describe.each([
  ['its own sandbox', () => new ToolSandbox(base)],
  ['a reusable sandbox', () => reused],
])('bad input: links of a tools directory (%s)', (_name, make) => {
  const tools = toolsDir();
  const workspace = scratchDir('gp-sandbox-mounts-ws-');
  const run = (script: string) =>
    runTool({
      binary: '/bin/sh',
      args: ['-c', script],
      cwd: workspace,
      timeoutMs: 20_000,
      launch: launcher.launch,
      sandbox: make(),
      sandboxPaths: { writable: [workspace], readable: [`${tools}/bin`] },
    }).catch(e => e.result);

  it("mounts a link's program, and its package's programs, nothing more", async () => {
    const r = await run(`"${tools}/bin/helper"; "${tools}/bin/pkgtool"`);
    expect(r.stdout).toBe('HELPER\nSIBLING\n');
  });

  // Before: the directory of every link's target was mounted, so a link to
  // a program of the tools dir (or to the token, or the tools dir) mounted
  // the tools dir, dev-token and all.
  it.each([
    ['the dev-token beside bin', `cat "${'$T'}/dev-token"`],
    ['the dev-token through its link', `cat "${'$T'}/bin/token"`],
    [
      // (bwrap makes the directories a mounted file needs, empty)
      'the tools dir through its link',
      `ls -A "${'$T'}/bin/all/" | grep -x -e dev-token -e README.md`,
    ],
    ["a package's other files", `cat "${'$T'}/pkg/README.md"`],
  ])('does not show %s', async (_what, attempt) => {
    const r = await run(`T="${tools}"; ${attempt} && echo ESCAPED`);
    expect(r.stdout).not.toContain('ESCAPED');
    expect(r.stdout).not.toContain('hunter2');
  });
});
