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
import { examples } from './bufLint.examples';

/** `buf:lint`: lints the buf module in the working directory. */
export function createBufLintAction(deps: { settings: GoldenPathSettings }) {
  return createTemplateAction({
    id: 'buf:lint',
    description:
      'Lints protos with buf (rules from buf.yaml), reporting violations with file, line and rule',
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
        actionId: 'buf:lint',
        tool: 'buf',
        args: ['lint', '--error-format', 'json'],
        cwd,
        allowedExitCodes: [100],
      });
      reportViolations(
        ctx,
        'buf lint',
        parseBufJsonErrors(result.stdout),
        ctx.input.failOnViolations,
      );
    },
  });
}
