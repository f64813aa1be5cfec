import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import { resolveWorkspacePath } from '@golden-path/plugin-golden-path-node';
import path from 'node:path';
import { atlasMigrationDir, fileUrl, migrationVersions } from '../lib/atlasDir';
import { devDatabaseOptions, withDevDatabase } from '../lib/devDatabase';
import { GoldenPathSettings } from '../lib/settings';
import {
  filesOutput,
  migrationDirField,
  workingDirectoryField,
} from '../lib/schemas';
import {
  changedFiles,
  runToolStep,
  snapshotFiles,
  workingDirectory,
} from '../lib/toolStep';
import { examples } from './atlasMigrateDiff.examples';

const NAME = /^[a-z0-9][a-z0-9_]{0,62}$/;

/** `atlas:migrate:diff`: plans a new migration from the desired schema. */
export function createAtlasMigrateDiffAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'atlas:migrate:diff',
    description:
      'Writes a new migration that moves the migration directory to the desired schema (atlas migrate diff), using a throwaway dev database that is dropped afterwards',
    examples,
    schema: {
      input: {
        workingDirectory: workingDirectoryField,
        dir: migrationDirField,
        to: z =>
          z
            .string()
            .describe(
              'Desired schema SQL file, relative to workingDirectory (e.g. schema/schema.sql)',
            ),
        name: z =>
          z
            .string()
            .describe(
              'Migration name: lowercase letters, digits and underscores (e.g. init)',
            ),
      },
      output: {
        versions: z =>
          z.array(z.string()).describe('Versions created by this step'),
        files: filesOutput,
      },
    },
    async handler(ctx) {
      const { name, to } = ctx.input;
      if (!NAME.test(name)) {
        throw new InputError(
          `name "${name}" must be lowercase letters, digits and underscores, like add_orders`,
        );
      }
      const cwd = workingDirectory(ctx, ctx.input.workingDirectory);
      const dir = atlasMigrationDir(ctx, cwd, ctx.input.dir, { create: true });
      const schema = resolveWorkspacePath(
        ctx.workspacePath,
        path.relative(ctx.workspacePath, path.resolve(cwd, to)),
        {
          label: 'to',
        },
      );
      const before = new Set(migrationVersions(dir));
      const snapshot = snapshotFiles(ctx.workspacePath);
      await withDevDatabase(
        deps.settings.atlasDevDatabase,
        devDatabaseOptions(deps.settings),
        dev =>
          runToolStep(ctx, {
            settings: deps.settings,
            actionId: 'atlas:migrate:diff',
            tool: 'atlas',
            args: [
              'migrate',
              'diff',
              name,
              '--dir',
              fileUrl(dir),
              '--to',
              fileUrl(schema),
              '--dev-url',
              dev.url,
            ],
            cwd,
            sockets: [dev.socketDir],
          }),
      );
      ctx.output(
        'versions',
        migrationVersions(dir).filter(v => !before.has(v)),
      );
      ctx.output(
        'files',
        changedFiles(snapshot, snapshotFiles(ctx.workspacePath)),
      );
    },
  });
}
