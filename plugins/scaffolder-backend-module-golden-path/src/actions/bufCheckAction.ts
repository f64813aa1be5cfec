import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { createTemplateAction } from '../lib/templateAction';
import { parseBufJsonErrors } from '@golden-path/plugin-golden-path-node';
import { checkBufConfigs } from '../lib/bufConfigs';
import { GoldenPathSettings } from '../lib/settings';
import {
  failOnViolationsField,
  okOutput,
  violationsOutput,
  workingDirectoryField,
} from '../lib/schemas';
import { runToolStep, workingDirectory } from '../lib/toolStep';
import { reportViolations } from '../lib/violations';

/** What differs between the buf actions that report JSON errors as violations. */
export interface BufCheckSpec {
  id: string;
  description: string;
  examples: TemplateExample[];
  /** Arguments after `buf`, ending with the JSON error format flags. */
  args: string[];
  /** The command as named in violation messages, e.g. `buf lint`. */
  label: string;
  /** Whether buf writes its JSON errors to stderr as well as stdout. */
  errorsOnStderr: boolean;
}

/**
 * Builds a buf action that checks the module config, runs buf in the working
 * directory and reports its JSON errors as violations.
 */
export function createBufCheckAction(
  spec: BufCheckSpec,
  deps: { settings: GoldenPathSettings },
) {
  return createTemplateAction({
    id: spec.id,
    description: spec.description,
    examples: spec.examples,
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
      checkBufConfigs(ctx, [cwd], deps.settings.allowedPlugins);
      const result = await runToolStep(ctx, {
        settings: deps.settings,
        actionId: spec.id,
        tool: 'buf',
        args: spec.args,
        cwd,
        allowedExitCodes: [100],
      });
      const output = spec.errorsOnStderr
        ? result.stdout + result.stderr
        : result.stdout;
      reportViolations(
        ctx,
        spec.label,
        parseBufJsonErrors(output),
        ctx.input.failOnViolations,
      );
    },
  });
}
