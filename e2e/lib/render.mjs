// The render harness of packages/cli run as the suites run it: a template's
// dry-run on the suites' backend, with its exit code and output.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BACKEND_URL, ROOT } from './processes.mjs';

const run = promisify(execFile);
const CLI = join(ROOT, 'packages/cli/bin/golden-path');

/** `golden-path render <template> --values <valuesFile> --out <out>`: `{ code, stdout, stderr }`, never a throw. */
export async function renderTemplate(template, valuesFile, out) {
  try {
    const r = await run(
      process.execPath,
      [
        CLI,
        'render',
        template,
        '--values',
        valuesFile,
        '--out',
        out,
        '--backend',
        BACKEND_URL,
      ],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return { code: 0, ...r };
  } catch (e) {
    return {
      code: e.code ?? 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? String(e),
    };
  }
}

/** {@link renderTemplate} with these values, written first to `<out>.json`. */
export async function renderValues(template, values, out) {
  const file = `${out}.json`;
  writeFileSync(file, JSON.stringify(values));
  return renderTemplate(template, file, out);
}
