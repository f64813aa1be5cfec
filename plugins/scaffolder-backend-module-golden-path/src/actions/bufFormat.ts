import { InputError } from '@backstage/errors';
import path from 'node:path';
import { createTemplateAction } from '../lib/templateAction';
import { count, summarizeDiff } from '../lib/diffSummary';
import { GoldenPathSettings } from '../lib/settings';
import { filesOutput, okOutput, workingDirectoryField } from '../lib/schemas';
import {
  changedFiles,
  runToolStep,
  snapshotFiles,
  workingDirectory,
  workspaceOf,
} from '../lib/toolStep';
import { examples } from './bufFormat.examples';

/** `buf:format`: checks or rewrites proto formatting. */
export function createBufFormatAction(deps: { settings: GoldenPathSettings }) {
  return createTemplateAction({
    id: 'buf:format',
    description:
      'Checks (mode check) or rewrites (mode write) the formatting of protos with buf format',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        workingDirectory: workingDirectoryField,
        mode: z =>
          z
            .enum(['check', 'write'])
            .optional()
            .describe(
              'check: fail when a file is not formatted (default); write: rewrite the files',
            ),
      },
      output: {
        ok: okOutput,
        diff: z => z.string().describe('The formatting changes (check mode)'),
        files: filesOutput,
      },
    },
    async handler(ctx) {
      const cwd = workingDirectory(ctx, ctx.input.workingDirectory);
      const write = ctx.input.mode === 'write';
      const before = snapshotFiles(ctx.workspacePath);
      const result = await runToolStep(ctx, {
        settings: deps.settings,
        actionId: 'buf:format',
        tool: 'buf',
        args: write ? ['format', '-w'] : ['format', '-d', '--exit-code'],
        cwd,
        allowedExitCodes: [100],
      });
      const diff = write ? '' : result.stdout;
      ctx.output('ok', diff.trim() === '');
      ctx.output('diff', diff);
      ctx.output(
        'files',
        changedFiles(before, snapshotFiles(ctx.workspacePath)),
      );
      if (!write && diff.trim()) {
        const root = workspaceOf(ctx).root;
        const where = path.relative(root, cwd) || '.';
        const { dir, files, list } = summarizeDiff(ctx, {
          diff,
          cwd,
          root,
          tool: 'buf format',
        });
        throw new InputError(
          `buf format: ${count(
            files.length,
            'proto',
          )} in ${dir} not formatted (${list}): run buf format -w in ${where} (or this step with mode: write) and commit the result; the diff is in the task log`,
        );
      }
    },
  });
}
