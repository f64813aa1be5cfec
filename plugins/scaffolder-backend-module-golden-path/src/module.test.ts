import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { runTool } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  actionContext,
  testSettings,
  TOOLS_DIR,
} from './__testUtils__/context';
import { toolLaunch } from './lib/toolLaunch';
import { scaffolderModuleGoldenPath } from './module';

async function startModule(tools: Record<string, string>, sandbox?: object) {
  const actions: TemplateAction<any, any, any>[] = [];
  const logger = mockServices.logger.mock();
  const backend = await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        { addActions: (...a: any[]) => actions.push(...a) },
      ],
    ],
    features: [
      scaffolderModuleGoldenPath,
      mockServices.rootConfig.factory({
        data: { goldenPath: { tools, ...(sandbox && { sandbox }) } },
      }),
      catalogServiceMock.factory(),
      logger.factory,
    ],
  });
  return { backend, actions, logger };
}

describe('scaffolderModuleGoldenPath', () => {
  it('adds every action and says that tools start through golden-path-launcher', async () => {
    const { backend, actions, logger } = await startModule({ dir: TOOLS_DIR });
    expect(actions.map(a => a.id)).toEqual(
      expect.arrayContaining([
        'buf:lint',
        'sqlc:generate',
        'atlas:migrate:hash',
        'golden-path:catalog:register',
      ]),
    );
    expect(actions).toHaveLength(34);
    expect(logger.info).toHaveBeenCalledWith(
      `Tools start through ${path.join(TOOLS_DIR, 'bin/golden-path-launcher')}`,
    );
    await backend.stop();
  });

  it('ends its golden-path-launcher when the backend stops', async () => {
    const { backend } = await startModule({ dir: TOOLS_DIR });
    const r = await runTool({
      binary: '/bin/sh',
      args: ['-c', 'echo $PPID'],
      cwd: os.tmpdir(),
      timeoutMs: 10_000,
      launch: toolLaunch(testSettings()),
    });
    const launcherPid = Number(r.stdout.trim());
    expect(fs.readFileSync(`/proc/${launcherPid}/comm`, 'utf8').trim()).toBe(
      'golden-path-lau',
    );
    await backend.stop();
    const until = Date.now() + 5_000;
    while (fs.existsSync(`/proc/${launcherPid}`) && Date.now() < until)
      await new Promise(res => setTimeout(res, 20));
    expect(fs.existsSync(`/proc/${launcherPid}`)).toBe(false);
  });

  it('warns, without failing the backend, when the configured launcher does not exist', async () => {
    const { backend, logger } = await startModule({
      dir: TOOLS_DIR,
      launcher: '/opt/none/golden-path-launcher',
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /golden-path-launcher was not found at \/opt\/none\/golden-path-launcher \(set by goldenPath.tools.launcher\)/,
      ),
    );
    await backend.stop();
  });

  it('says at start-up that tools run in the sandbox, with its limits', async () => {
    const { backend, logger } = await startModule({ dir: TOOLS_DIR });
    // info with a cgroup per sandbox; a warning where only rlimits apply
    const said = [...logger.info.mock.calls, ...logger.warn.mock.calls]
      .map(([message]) => String(message))
      .filter(m => m.startsWith('Tools run in a bubblewrap sandbox'));
    expect(said).toEqual([
      expect.stringMatching(
        /^Tools run in a bubblewrap sandbox \(\/.*bwrap\): no network, only the step's workspace writable, one sandbox per workspace, cleared after each run by the sandboxed launcher, limits: 300 s CPU, 1024 MiB per file, 8192 MiB memory (and 4096 processes for the whole sandbox \(limit mode cgroup[12]: a cgroup per sandbox\)$|per process and 4096 processes per user \(limit mode rlimits: )/,
      ),
    ]);
    await backend.stop();
  });

  it('with the sandbox required and impossible, warns at start-up and every tool step fails saying what to change', async () => {
    const { backend, actions, logger } = await startModule(
      { dir: TOOLS_DIR },
      { mode: 'required', bwrap: '/opt/none/bwrap' },
    );
    const reason =
      /tools must run in a sandbox \(goldenPath.sandbox.mode: required\) and none can be created on this host: bwrap was not found at \/opt\/none\/bwrap \(set by goldenPath.sandbox.bwrap\): install it there or fix the config\. Install bubblewrap/;
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(reason));
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-module-'));
    fs.mkdirSync(path.join(ws, 'migrations'));
    fs.writeFileSync(
      path.join(ws, 'migrations/20240101000000_init.sql'),
      'CREATE TABLE t (id int);\n',
    );
    try {
      const hash = actions.find(a => a.id === 'atlas:migrate:hash')!;
      const { ctx } = actionContext(ws, { dir: 'migrations' });
      await expect(hash.handler(ctx)).rejects.toThrow(reason);
      expect(fs.readdirSync(path.join(ws, 'migrations'))).toEqual([
        '20240101000000_init.sql',
      ]);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
      await backend.stop();
    }
  });

  it('with the sandbox off, warns at start-up that tools run unconfined', async () => {
    const { backend, logger } = await startModule(
      { dir: TOOLS_DIR },
      { mode: 'off' },
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Tools run WITHOUT a sandbox \(goldenPath.sandbox.mode: off\)/,
      ),
    );
    await backend.stop();
  });

  it('refuses an unknown sandbox mode at start-up', async () => {
    await expect(
      startModule({ dir: TOOLS_DIR }, { mode: 'sometimes' }),
    ).rejects.toThrow(
      /goldenPath.sandbox.mode: "sometimes" is not one of required, off/,
    );
  });
});
