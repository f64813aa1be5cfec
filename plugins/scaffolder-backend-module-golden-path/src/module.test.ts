import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint, TemplateAction } from '@backstage/plugin-scaffolder-node';
import { runTool } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testSettings, TOOLS_DIR } from './__testUtils__/context';
import { toolLaunch } from './lib/toolLaunch';
import { scaffolderModuleGoldenPath } from './module';

async function startModule(tools: Record<string, string>) {
  const actions: TemplateAction<any, any, any>[] = [];
  const logger = mockServices.logger.mock();
  const backend = await startTestBackend({
    extensionPoints: [[scaffolderActionsExtensionPoint, { addActions: (...a: any[]) => actions.push(...a) }]],
    features: [
      scaffolderModuleGoldenPath,
      mockServices.rootConfig.factory({ data: { goldenPath: { tools } } }),
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
      expect.arrayContaining(['buf:lint', 'sqlc:generate', 'atlas:migrate:hash', 'golden-path:catalog:register']),
    );
    expect(actions).toHaveLength(23);
    expect(logger.info).toHaveBeenCalledWith(`Tools start through ${path.join(TOOLS_DIR, 'bin/golden-path-launcher')}`);
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
    expect(fs.readFileSync(`/proc/${launcherPid}/comm`, 'utf8').trim()).toBe('golden-path-lau');
    await backend.stop();
    const until = Date.now() + 5_000;
    while (fs.existsSync(`/proc/${launcherPid}`) && Date.now() < until) await new Promise(res => setTimeout(res, 20));
    expect(fs.existsSync(`/proc/${launcherPid}`)).toBe(false);
  });

  it('warns, without failing the backend, when the configured launcher does not exist', async () => {
    const { backend, logger } = await startModule({ dir: TOOLS_DIR, launcher: '/opt/none/golden-path-launcher' });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/golden-path-launcher was not found at \/opt\/none\/golden-path-launcher \(set by goldenPath.tools.launcher\)/),
    );
    await backend.stop();
  });
});
