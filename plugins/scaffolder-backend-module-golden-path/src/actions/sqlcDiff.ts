import { createTemplateAction } from '../lib/templateAction';
import { GoldenPathSettings } from '../lib/settings';
import {
  failOnViolationsField,
  okOutput,
  workingDirectoryField,
} from '../lib/schemas';
import { checkSqlcWorkspace } from '../lib/sqlcConfig';
import { runToolStep, workingDirectory } from '../lib/toolStep';
import { examples } from './sqlcDiff.examples';

/** `sqlc:diff`: checks that the generated code is up to date. */
export function createSqlcDiffAction(deps: { settings: GoldenPathSettings }) {
  return createTemplateAction({
    id: 'sqlc:diff',
    description:
      'Compares the generated Go code with what sqlc would generate now (sqlc diff)',
    examples,
    schema: {
      input: {
        workingDirectory: workingDirectoryField,
        failOnViolations: failOnViolationsField,
      },
      output: {
        ok: okOutput,
        diff: z =>
          z.string().describe('The differences, empty when up to date'),
      },
    },
    async handler(ctx) {
      const cwd = workingDirectory(ctx, ctx.input.workingDirectory);
      checkSqlcWorkspace(ctx, cwd, deps.settings);
      const result = await runToolStep(ctx, {
        settings: deps.settings,
        actionId: 'sqlc:diff',
        tool: 'sqlc',
        args: ['diff'],
        cwd,
        allowedExitCodes: [1],
      });
      // sqlc prints the unified diff on stderr (older releases on stdout).
      const text = `${result.stdout}${result.stderr}`;
      const diff = /^--- /m.test(text) ? text.slice(text.search(/^--- /m)) : '';
      if (result.exitCode === 1 && !diff.trim()) {
        throw new Error(
          `sqlc diff failed: ${result.stderr
            .trim()
            .split('\n')
            .slice(-10)
            .join('\n')}`,
        );
      }
      ctx.output('ok', !diff.trim());
      ctx.output('diff', diff);
      if (diff.trim() && ctx.input.failOnViolations !== false) {
        throw new Error(
          `generated code is out of date; run sqlc generate:\n${diff
            .split('\n')
            .slice(0, 40)
            .join('\n')}`,
        );
      }
    },
  });
}
