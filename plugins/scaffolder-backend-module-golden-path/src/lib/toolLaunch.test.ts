import { runTool } from '@golden-path/plugin-golden-path-node';
import os from 'node:os';
import path from 'node:path';
import { testSettings, TOOLS_DIR } from '../__testUtils__/context';
import { toolLaunch } from './toolLaunch';

describe('toolLaunch', () => {
  it('starts tools through the installed golden-path-launcher, not by forking the backend', async () => {
    const launch = toolLaunch(testSettings());
    expect(launch).toBeDefined();
    const r = await runTool({
      binary: '/bin/sh',
      args: ['-c', 'cat /proc/$PPID/comm'],
      cwd: os.tmpdir(),
      timeoutMs: 10_000,
      launch,
    });
    expect(r.stdout.trim()).toBe('golden-path-lau'); // comm is cut at 15 characters
  });

  it("falls back to Node's spawn when no launcher is installed", () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(
        toolLaunch(testSettings({ toolsDir: path.join(TOOLS_DIR, 'none') })),
      ).toBeUndefined();
    } finally {
      process.env.PATH = saved;
    }
  });

  it('names a configured launcher that does not exist', () => {
    expect(() =>
      toolLaunch(
        testSettings({
          binaries: { launcher: '/opt/none/golden-path-launcher' },
        }),
      ),
    ).toThrow(
      /golden-path-launcher was not found at \/opt\/none\/golden-path-launcher \(set by goldenPath.tools.launcher\)/,
    );
  });
});
