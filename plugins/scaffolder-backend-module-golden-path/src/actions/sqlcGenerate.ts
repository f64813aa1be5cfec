import { createTemplateAction } from '../lib/templateAction';
import {
  parseSqlcErrors,
  ToolFailedError,
} from '@golden-path/plugin-golden-path-node';
import { GoldenPathSettings } from '../lib/settings';
import {
  filesOutput,
  violationsOutput,
  workingDirectoryField,
} from '../lib/schemas';
import { checkSqlcWorkspace } from '../lib/sqlcConfig';
import {
  changedFiles,
  runToolStep,
  snapshotFiles,
  workingDirectory,
  workspaceOf,
} from '../lib/toolStep';
import { examples } from './sqlcGenerate.examples';

/** `sqlc:generate`: generates Go code from the queries. */
export function createSqlcGenerateAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'sqlc:generate',
    description:
      'Generates type-safe Go code from SQL queries with sqlc generate; errors come with file, line and column',
    examples,
    schema: {
      input: { workingDirectory: workingDirectoryField },
      output: { generatedFiles: filesOutput, violations: violationsOutput },
    },
    async handler(ctx) {
      const cwd = workingDirectory(ctx, ctx.input.workingDirectory);
      const { outDirs } = checkSqlcWorkspace(ctx, cwd, deps.settings);
      // sqlc writes only to the configured outputs: they are all that is listed.
      const root = workspaceOf(ctx).root;
      const before = snapshotFiles(root, outDirs);
      try {
        await runToolStep(ctx, {
          settings: deps.settings,
          actionId: 'sqlc:generate',
          tool: 'sqlc',
          args: ['generate'],
          cwd,
        });
      } catch (e) {
        if (e instanceof ToolFailedError)
          ctx.output(
            'violations',
            parseSqlcErrors(e.result.stderr + e.result.stdout),
          );
        throw e;
      }
      ctx.output('violations', []);
      ctx.output(
        'generatedFiles',
        changedFiles(before, snapshotFiles(root, outDirs)),
      );
    },
  });
}
