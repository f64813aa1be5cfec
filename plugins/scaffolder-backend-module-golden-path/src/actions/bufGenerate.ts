import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import {
  checkBufGenConfig,
  resolveWorkspacePath,
} from '@golden-path/plugin-golden-path-node';
import path from 'node:path';
import { checkBufConfigs } from '../lib/bufConfigs';
import { GoldenPathSettings } from '../lib/settings';
import { filesOutput, workingDirectoryField } from '../lib/schemas';
import {
  changedFiles,
  confinePath,
  readConfigFile,
  runToolStep,
  snapshotFiles,
  workingDirectory,
} from '../lib/toolStep';
import { examples } from './bufGenerate.examples';

/** `buf:generate`: runs buf generate with allow-listed local plugins only. */
export function createBufGenerateAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'buf:generate',
    description:
      'Generates code from protos with buf generate (buf.gen.yaml v2); only allow-listed local plugins run, and every output directory must lie in the workspace',
    examples,
    schema: {
      input: { workingDirectory: workingDirectoryField },
      output: { generatedFiles: filesOutput },
    },
    async handler(ctx) {
      const cwd = workingDirectory(ctx, ctx.input.workingDirectory);
      const genYaml = readConfigFile(ctx, cwd, 'buf.gen.yaml');
      if (genYaml === undefined) {
        throw new InputError(
          `no buf.gen.yaml in ${ctx.input.workingDirectory ?? '.'}`,
        );
      }
      // The checked config is the one read for the outputs (one YAML reader, merge keys applied).
      const genConfig = checkBufGenConfig(
        genYaml,
        deps.settings.allowedPlugins,
      );
      const plugins: any[] = Array.isArray(genConfig.plugins)
        ? genConfig.plugins
        : [];
      for (const [i, plugin] of plugins.entries()) {
        const out = String(plugin?.out ?? '');
        if (!out)
          throw new InputError(`buf.gen.yaml: plugins[${i}].out is missing`);
        resolveWorkspacePath(
          ctx.workspacePath,
          path.relative(ctx.workspacePath, path.resolve(cwd, out)),
          {
            label: `buf.gen.yaml plugins[${i}].out`,
            forWrite: true,
          },
        );
      }
      // Input directories are read by buf: they must lie in the workspace too.
      const inputs: any[] = Array.isArray(genConfig.inputs)
        ? genConfig.inputs
        : [];
      const inputDirs = [cwd];
      for (const [i, input] of inputs.entries()) {
        if (input?.directory === undefined) continue;
        inputDirs.push(
          confinePath(
            ctx,
            cwd,
            String(input.directory),
            `buf.gen.yaml inputs[${i}].directory`,
          ),
        );
      }
      // buf reads the buf.yaml of each input, or one above it.
      checkBufConfigs(ctx, inputDirs, deps.settings.allowedPlugins);
      const before = snapshotFiles(ctx.workspacePath);
      await runToolStep(ctx, {
        settings: deps.settings,
        actionId: 'buf:generate',
        tool: 'buf',
        args: ['generate'],
        cwd,
      });
      const files = changedFiles(before, snapshotFiles(ctx.workspacePath));
      ctx.logger.info(`buf generate wrote ${files.length} file(s)`);
      ctx.output('generatedFiles', files);
    },
  });
}
