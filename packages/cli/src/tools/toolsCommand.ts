import { Command } from 'commander';
import path from 'node:path';
import { installTools } from './installTools';
import { ToolsInstallError } from './ToolsInstallError';

/** `golden-path tools install --dir <dir>`: the pinned CLIs for a backend host or image. */
export function toolsCommand(): Command {
  const tools = new Command('tools').description(
    'The pinned CLIs the scaffolder actions run (buf, sqlc, protoc plugins, atlas, golden-path-launcher)',
  );
  tools
    .command('install')
    .description(
      'Install the pinned tools into <dir>/bin (needs Go and npm); a second run only checks versions. Point goldenPath.tools.dir at <dir>.',
    )
    .requiredOption('--dir <dir>', 'tools directory (created when missing)')
    .action((opts: { dir: string }) => {
      try {
        installTools({
          dir: opts.dir,
          log: line => process.stdout.write(`${line}\n`),
        });
        process.stdout.write(
          `tools ready in ${path.resolve(
            opts.dir,
          )}/bin: set goldenPath.tools.dir to ${path.resolve(opts.dir)}\n`,
        );
      } catch (e) {
        if (e instanceof ToolsInstallError) {
          process.stderr.write(`golden-path tools install: ${e.message}\n`);
          process.exit(1);
        }
        throw e;
      }
    });
  return tools;
}
