/**
 * Render harness of Golden Path for Go.
 *
 * @packageDocumentation
 */

import { Command } from 'commander';
import fs from 'node:fs';
import { renderTemplate, RenderError } from './renderTemplate';
import { templateCommand } from './templateCommands';
import { toolsCommand } from './tools/toolsCommand';

export { renderTemplate, RenderError } from './renderTemplate';
export type {
  RenderOptions,
  RenderResult,
  RenderedStep,
} from './renderTemplate';
export { collectTemplateFiles, writeRenderedFiles } from './templateFiles';
export type { TemplateFile } from './templateFiles';

function readJson(file: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RenderError(
      `cannot read ${what} ${file}: ${(e as Error).message}`,
    );
  }
}

/** The `golden-path` command line. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('golden-path');
  program
    .command('render <template>')
    .description(
      'Render a template (a directory holding template.yaml, or a template file) through the dry-run API of a running Backstage backend',
    )
    .requiredOption('--values <file>', 'JSON file with the template parameters')
    .requiredOption('--out <dir>', 'Directory to write the rendered files to')
    .option(
      '--backend <url>',
      'Backend base URL',
      process.env.GOLDEN_PATH_BACKEND_URL ?? 'http://localhost:7007',
    )
    .option(
      '--token <token>',
      'Static external-access token (default: $GOLDEN_PATH_TOKEN)',
    )
    .option('--secrets <file>', 'JSON file with task secrets')
    .option('--force', 'Write into a non-empty output directory')
    .action(async (templateDir: string, opts: Record<string, any>) => {
      try {
        const token = opts.token ?? process.env.GOLDEN_PATH_TOKEN;
        if (!token)
          throw new RenderError(
            'no token: pass --token or set GOLDEN_PATH_TOKEN',
          );
        const result = await renderTemplate({
          templateDir,
          values: readJson(opts.values, 'values'),
          secrets: opts.secrets
            ? (readJson(opts.secrets, 'secrets') as Record<string, string>)
            : undefined,
          backendUrl: opts.backend,
          token,
          outDir: opts.out,
          force: Boolean(opts.force),
        });
        for (const step of result.steps)
          process.stdout.write(
            `${step.status.padEnd(9)} ${step.name} (${step.action})\n`,
          );
        process.stdout.write(
          `rendered ${result.files.length} files into ${opts.out}\n`,
        );
      } catch (e) {
        if (e instanceof RenderError) {
          for (const step of e.steps.filter(s => s.status === 'failed')) {
            for (const line of step.log) process.stderr.write(`  ${line}\n`);
          }
          process.stderr.write(`golden-path render: ${e.message}\n`);
          process.exit(1);
        }
        throw e;
      }
    });
  program.addCommand(templateCommand());
  program.addCommand(toolsCommand());
  await program.parseAsync(argv);
}
