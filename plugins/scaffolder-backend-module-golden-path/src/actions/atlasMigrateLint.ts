import { createTemplateAction } from '../lib/templateAction';
import {
  parseAtlasLint,
  readFileNoFollow,
  ToolFailedError,
} from '@golden-path/plugin-golden-path-node';
import path from 'node:path';
import { atlasMigrationDir, fileUrl } from '../lib/atlasDir';
import { devDatabaseOptions, withDevDatabase } from '../lib/devDatabase';
import { GoldenPathSettings } from '../lib/settings';
import {
  failOnViolationsField,
  migrationDirField,
  okOutput,
  violationsOutput,
  workingDirectoryField,
} from '../lib/schemas';
import { runToolStep, workingDirectory, workspaceOf } from '../lib/toolStep';
import { reportViolations } from '../lib/violations';
import { examples } from './atlasMigrateLint.examples';

/** `atlas:migrate:lint`: analyses the latest migrations for risky changes. */
export function createAtlasMigrateLintAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'atlas:migrate:lint',
    description:
      'Analyses the latest migrations for destructive or risky changes (atlas migrate lint) on a throwaway dev database',
    examples,
    schema: {
      input: {
        workingDirectory: workingDirectoryField,
        dir: migrationDirField,
        latest: z =>
          z
            .number()
            .int()
            .min(1)
            .max(1000)
            .optional()
            .describe('How many of the latest files to lint (default 1)'),
        failOnViolations: failOnViolationsField,
      },
      output: { ok: okOutput, violations: violationsOutput },
    },
    async handler(ctx) {
      const cwd = workingDirectory(ctx, ctx.input.workingDirectory);
      const dir = atlasMigrationDir(ctx, cwd, ctx.input.dir);
      const output = await withDevDatabase(
        deps.settings.atlasDevDatabase,
        devDatabaseOptions(deps.settings),
        async dev => {
          const args = [
            'migrate',
            'lint',
            '--dir',
            fileUrl(dir),
            '--dev-url',
            dev.url,
          ];
          args.push(
            '--latest',
            String(ctx.input.latest ?? 1),
            '--format',
            '{{ json .Files }}',
          );
          try {
            const r = await runToolStep(ctx, {
              settings: deps.settings,
              actionId: 'atlas:migrate:lint',
              tool: 'atlas',
              args,
              cwd,
              sockets: [dev.socketDir],
            });
            return r.stdout;
          } catch (e) {
            if (
              e instanceof ToolFailedError &&
              e.result.exitCode === 1 &&
              e.result.stdout.includes('[')
            ) {
              return e.result.stdout;
            }
            throw e;
          }
        },
      );
      // The file's text turns atlas's byte offsets into lines: read confined,
      // no symlink followed (atlas itself read it in its sandbox).
      const violations = parseAtlasLint(output, name => {
        try {
          const entry = workspaceOf(ctx).entryAt(dir, path.basename(name), {
            label: name,
            symlinks: 'refuse',
          });
          if (!entry.stats?.isFile()) return undefined;
          return readFileNoFollow(entry.path, name).content.toString('utf8');
        } catch {
          return undefined; // reported without a line
        }
      });
      reportViolations(
        ctx,
        'atlas migrate lint',
        violations,
        ctx.input.failOnViolations,
      );
    },
  });
}
