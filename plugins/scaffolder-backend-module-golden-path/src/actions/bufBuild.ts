import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  checkBufModuleConfig,
  parseBufJsonErrors,
} from '@golden-path/plugin-golden-path-node';
import { GoldenPathSettings } from '../lib/settings';
import {
  failOnViolationsField,
  okOutput,
  violationsOutput,
  workingDirectoryField,
} from '../lib/schemas';
import { readConfigFile, runToolStep, workingDirectory } from '../lib/toolStep';
import { reportViolations } from '../lib/violations';
import { examples } from './bufBuild.examples';

/** `buf:build`: compiles the buf module, reporting compile errors as violations. */
export function createBufBuildAction(deps: { settings: GoldenPathSettings }) {
  return createTemplateAction({
    id: 'buf:build',
    description:
      'Compiles the protos of a buf module and reports compile errors with file and line',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        workingDirectory: workingDirectoryField,
        failOnViolations: failOnViolationsField,
      },
      output: { ok: okOutput, violations: violationsOutput },
    },
    async handler(ctx) {
      const cwd = workingDirectory(ctx, ctx.input.workingDirectory);
      const bufYaml = readConfigFile(ctx, cwd, 'buf.yaml');
      if (bufYaml !== undefined)
        checkBufModuleConfig(bufYaml, deps.settings.allowedPlugins);
      const result = await runToolStep(ctx, {
        settings: deps.settings,
        actionId: 'buf:build',
        tool: 'buf',
        args: ['build', '--error-format', 'json', '-o', '/dev/null'],
        cwd,
        allowedExitCodes: [100],
      });
      reportViolations(
        ctx,
        'buf build',
        parseBufJsonErrors(result.stdout + result.stderr),
        ctx.input.failOnViolations,
      );
    },
  });
}
