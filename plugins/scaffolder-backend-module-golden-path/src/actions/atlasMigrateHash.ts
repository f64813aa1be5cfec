import { createTemplateAction } from '../lib/templateAction';
import { atlasMigrationDir, fileUrl, migrationVersions } from '../lib/atlasDir';
import { GoldenPathSettings } from '../lib/settings';
import {
  migrationDirField,
  migrationVersionsOutput,
  workingDirectoryField,
} from '../lib/schemas';
import { readConfigFile, runToolStep, workingDirectory } from '../lib/toolStep';
import { examples } from './atlasMigrateHash.examples';

/** `atlas:migrate:hash`: (re)writes atlas.sum of a migration directory. */
export function createAtlasMigrateHashAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'atlas:migrate:hash',
    description:
      'Writes the atlas.sum integrity file of a migration directory (atlas migrate hash)',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        workingDirectory: workingDirectoryField,
        dir: migrationDirField,
      },
      output: {
        versions: migrationVersionsOutput,
        sum: z =>
          z
            .string()
            .describe('The first line of atlas.sum (the directory hash)'),
      },
    },
    async handler(ctx) {
      const cwd = workingDirectory(ctx, ctx.input.workingDirectory);
      const dir = atlasMigrationDir(ctx, cwd, ctx.input.dir);
      // atlas.sum is read back by the backend: confined like every file of the
      // workspace it reads (a symlink to a host file is refused before atlas
      // runs, and again when it is read).
      readConfigFile(ctx, dir, 'atlas.sum');
      const run = runToolStep(ctx, {
        settings: deps.settings,
        actionId: 'atlas:migrate:hash',
        tool: 'atlas',
        args: ['migrate', 'hash', '--dir', fileUrl(dir)],
        cwd,
      });
      // atlas only writes atlas.sum: the migration files are listed while it runs.
      const [, versions] = await Promise.all([
        run,
        Promise.resolve().then(() => migrationVersions(dir)),
      ]);
      ctx.output('versions', versions);
      ctx.output(
        'sum',
        (readConfigFile(ctx, dir, 'atlas.sum') ?? '').split('\n')[0],
      );
    },
  });
}
