import { createTemplateAction } from '../lib/templateAction';
import { ToolFailedError } from '@golden-path/plugin-golden-path-node';
import { atlasMigrationDir, fileUrl, migrationVersions } from '../lib/atlasDir';
import { GoldenPathSettings } from '../lib/settings';
import {
  failOnViolationsField,
  migrationDirField,
  migrationVersionsOutput,
  okOutput,
  violationsOutput,
  workingDirectoryField,
} from '../lib/schemas';
import { runToolStep, workingDirectory } from '../lib/toolStep';
import { reportViolations } from '../lib/violations';
import { examples } from './atlasMigrateValidate.examples';

/** `atlas:migrate:validate`: checks a migration directory against its atlas.sum. */
export function createAtlasMigrateValidateAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'atlas:migrate:validate',
    description:
      'Checks the integrity of a migration directory against atlas.sum (atlas migrate validate)',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        workingDirectory: workingDirectoryField,
        dir: migrationDirField,
        failOnViolations: failOnViolationsField,
      },
      output: {
        ok: okOutput,
        violations: violationsOutput,
        versions: migrationVersionsOutput,
      },
    },
    async handler(ctx) {
      const cwd = workingDirectory(ctx, ctx.input.workingDirectory);
      const dir = atlasMigrationDir(ctx, cwd, ctx.input.dir);
      ctx.output('versions', migrationVersions(dir));
      const violations = [];
      try {
        await runToolStep(ctx, {
          settings: deps.settings,
          actionId: 'atlas:migrate:validate',
          tool: 'atlas',
          args: ['migrate', 'validate', '--dir', fileUrl(dir)],
          cwd,
        });
      } catch (e) {
        if (!(e instanceof ToolFailedError) || e.result.exitCode !== 1) throw e;
        // atlas prints the explanation (which file was edited, added or removed) on
        // stdout and the error itself on stderr: keep both, one line.
        const message = `${e.result.stdout}\n${e.result.stderr}`
          .split('\n')
          .map(l => l.trim())
          .filter(Boolean)
          .join(' ');
        violations.push({
          path: ctx.input.dir ?? 'migrations',
          line: 0,
          column: 0,
          rule: 'checksum',
          message,
        });
      }
      reportViolations(
        ctx,
        'atlas migrate validate',
        violations,
        ctx.input.failOnViolations,
      );
    },
  });
}
