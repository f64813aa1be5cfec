import { InputError } from '@backstage/errors';
import path from 'node:path';
import { createTemplateAction } from '../lib/templateAction';
import { lastLine } from '../lib/diffSummary';
import { parseSqlcErrors } from '@golden-path/plugin-golden-path-node';
import { GoldenPathSettings } from '../lib/settings';
import {
  failOnViolationsField,
  okOutput,
  violationsOutput,
  workingDirectoryField,
} from '../lib/schemas';
import { checkSqlcWorkspace } from '../lib/sqlcConfig';
import { runToolStep, workingDirectory, workspaceOf } from '../lib/toolStep';
import { reportViolations } from '../lib/violations';
import { examples } from './sqlcVet.examples';

/** `sqlc:vet`: checks the queries against sqlc's rules. */
export function createSqlcVetAction(deps: { settings: GoldenPathSettings }) {
  return createTemplateAction({
    id: 'sqlc:vet',
    description:
      'Checks SQL queries with sqlc vet (compile errors and the rules of sqlc.yaml)',
    examples,
    schema: {
      input: {
        workingDirectory: workingDirectoryField,
        failOnViolations: failOnViolationsField,
      },
      output: { ok: okOutput, violations: violationsOutput },
    },
    async handler(ctx) {
      const cwd = workingDirectory(ctx, ctx.input.workingDirectory);
      checkSqlcWorkspace(ctx, cwd, deps.settings);
      const result = await runToolStep(ctx, {
        settings: deps.settings,
        actionId: 'sqlc:vet',
        tool: 'sqlc',
        args: ['vet'],
        cwd,
        allowedExitCodes: [1],
      });
      const violations = parseSqlcErrors(result.stderr + result.stdout);
      if (result.exitCode === 1 && !violations.length) {
        // No finding of a rule, yet sqlc refused: its config or queries are at fault.
        const text = (result.stderr || result.stdout).trim();
        ctx.logger.warn(`sqlc vet:\n${text}`);
        const where = path.relative(workspaceOf(ctx).root, cwd) || '.';
        throw new InputError(
          `sqlc vet in ${where} failed: ${lastLine(
            text,
          )}; fix what it names in sqlc.yaml or the queries (its whole output is in the task log)`,
        );
      }
      reportViolations(ctx, 'sqlc vet', violations, ctx.input.failOnViolations);
    },
  });
}
