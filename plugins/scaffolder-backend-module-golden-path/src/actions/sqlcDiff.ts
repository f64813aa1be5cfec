import { InputError } from '@backstage/errors';
import path from 'node:path';
import { createTemplateAction } from '../lib/templateAction';
import {
  count,
  lastLine,
  summarizeDiff,
  withRelativeNames,
} from '../lib/diffSummary';
import { GoldenPathSettings } from '../lib/settings';
import {
  failOnViolationsField,
  okOutput,
  workingDirectoryField,
} from '../lib/schemas';
import { checkSqlcWorkspace } from '../lib/sqlcConfig';
import { runToolStep, workingDirectory, workspaceOf } from '../lib/toolStep';
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
      const root = workspaceOf(ctx).root;
      const diff = withRelativeNames(
        /^--- /m.test(text) ? text.slice(text.search(/^--- /m)) : '',
        root,
      );
      const where = path.relative(root, cwd) || '.';
      if (result.exitCode === 1 && !diff.trim()) {
        // sqlc could not compare: its config or queries are at fault.
        ctx.logger.warn(`sqlc diff:\n${text.trim()}`);
        throw new InputError(
          `sqlc diff in ${where} failed: ${lastLine(
            text,
          )}; fix what it names in sqlc.yaml or the queries (its whole output is in the task log)`,
        );
      }
      ctx.output('ok', !diff.trim());
      ctx.output('diff', diff);
      if (diff.trim()) {
        const { dir, files, list } = summarizeDiff(ctx, {
          diff,
          cwd: root,
          root,
          tool: 'sqlc diff',
          prefixed: true,
        });
        const message = `sqlc diff: generated code in ${dir} is out of date for ${count(
          files.length,
          'file',
        )} (${list}): run sqlc generate in ${where} (make generate at a monorepo's root) and commit the result; the diff is in the task log`;
        if (ctx.input.failOnViolations === false) ctx.logger.warn(message);
        else throw new InputError(message);
      }
    },
  });
}
