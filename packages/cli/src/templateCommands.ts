import { Command } from 'commander';
import fs from 'node:fs';
import { renderLocally } from './renderLocal';
import { RenderError } from './renderTemplate';
import { syncCatalogProto } from './syncCatalogProto';
import { goModLayout, syncMonorepoGoMod, syncServiceGoMod } from './syncGoMod';
import { validateCatalogFile } from './validateCatalog';

function readValues(file: string): Record<string, unknown> {
  let values: unknown;
  try {
    values = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RenderError(
      `cannot read values ${file}: ${(e as Error).message}`,
    );
  }
  if (!values || typeof values !== 'object' || Array.isArray(values))
    throw new RenderError(
      `values ${file} must hold a JSON object of the template's parameters`,
    );
  return values as Record<string, unknown>;
}

// Prints a RenderError as one line (exit 1); anything else is a bug and throws.
function guarded<A extends unknown[]>(name: string, fn: (...args: A) => void) {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (e) {
      if (
        !(e instanceof RenderError) &&
        !(e instanceof Error && e.name === 'InputError')
      )
        throw e;
      process.stderr.write(`golden-path template ${name}: ${e.message}\n`);
      process.exit(1);
    }
  };
}

/** `golden-path template …`: the commands that maintain this repository's templates. */
export function templateCommand(): Command {
  const template = new Command('template').description(
    'Maintain software templates: render without a backend, regenerate go.mod/go.sum and embedded files',
  );
  template
    .command('render-local <template>')
    .description(
      "Render a template's fetch:template steps without a backend, with the scaffolder's engine (nunjitsu)",
    )
    .requiredOption('--values <file>', 'JSON file with the template parameters')
    .requiredOption(
      '--out <dir>',
      'Directory to render into (existing files are overwritten)',
    )
    .option('--skip <step-id...>', 'fetch:template steps not to run')
    .action(
      guarded('render-local', (dir: string, opts: Record<string, any>) => {
        const steps = renderLocally({
          templateDir: dir,
          values: readValues(opts.values),
          outDir: opts.out,
          skipSteps: opts.skip,
        });
        for (const step of steps)
          process.stdout.write(
            `${step.id}: rendered ${step.files} files from ${step.source}\n`,
          );
        const total = steps.reduce((n, s) => n + s.files, 0);
        process.stdout.write(`rendered ${total} files into ${opts.out}\n`);
      }),
    );
  template
    .command('sync-gomod <template>')
    .description(
      "Regenerate a template's go.mod/go.sum from go mod tidy: the Go monorepo template renders both stages itself; the Go service template takes tidy rendered services",
    )
    .option(
      '--mvp <dir>',
      'Go service template: a rendered mvp service (services/<name>-service) without jobs',
    )
    .option(
      '--async <dir>',
      'Go service template: the same service rendered with stage async',
    )
    .option(
      '--jobs <dir>',
      'Go service template: the mvp service rendered with scheduled jobs',
    )
    .action(
      guarded(
        'sync-gomod',
        (dir: string, opts: Record<string, string | undefined>) => {
          let written: string[];
          if (goModLayout(dir) === 'monorepo') {
            written = syncMonorepoGoMod(dir);
          } else {
            if (!opts.mvp)
              throw new RenderError(
                '--mvp <dir> is required for the Go service template: render services for mvp (and async, jobs), run go mod tidy in them and pass their directories',
              );
            written = syncServiceGoMod(dir, {
              mvp: opts.mvp,
              async: opts.async,
              jobs: opts.jobs,
            });
          }
          for (const file of written) process.stdout.write(`wrote ${file}\n`);
        },
      ),
    );
  template
    .command('sync-catalog-proto <template>')
    .description(
      "Embed the Go service template's proto template in its catalog-info.yaml (the API definition of a locally published service)",
    )
    .option(
      '--check',
      'Only check that the embedded proto template is current (exit 1 if not)',
    )
    .action(
      guarded(
        'sync-catalog-proto',
        (dir: string, opts: { check?: boolean }) => {
          const inSync = syncCatalogProto(dir, { check: opts.check });
          if (opts.check && !inSync)
            throw new RenderError(
              `catalog-info.yaml does not embed the current proto template: run yarn golden-path template sync-catalog-proto ${dir}`,
            );
          process.stdout.write(
            inSync
              ? 'catalog-info.yaml embeds the current proto template\n'
              : 'embedded the proto template into catalog-info.yaml\n',
          );
        },
      ),
    );
  template
    .command('validate-catalog <catalog-info>')
    .description(
      'Validate a rendered catalog-info.yaml with @backstage/catalog-model ($text placeholders resolved relative to it)',
    )
    .option('--proto <file>', 'An inline API definition must equal this file')
    .action(async (file: string, opts: { proto?: string }) => {
      try {
        for (const entity of await validateCatalogFile(file, opts))
          process.stdout.write(`${entity} ok\n`);
      } catch (e) {
        if (!(e instanceof RenderError)) throw e;
        process.stderr.write(
          `golden-path template validate-catalog: ${e.message}\n`,
        );
        process.exit(1);
      }
    });
  return template;
}
