import { InputError } from '@backstage/errors';

/**
 * A buf input naming a local path, with its format and options given
 * explicitly: `<absolute path>#format=dir` or `#format=git,ref=…,subdir=…`.
 * In a buf input, `#` starts the options and `,` separates them
 * (`.git#format=git,recurse_submodules=true` makes git fetch the submodule
 * URLs of the workspace), and buf has no way to escape them: a path holding a
 * `#`, or an option value holding a `#` or `,`, is refused, so nothing of the
 * path can become an option. `shown` is the value as the user gave it.
 */
export function bufLocalInput(
  absolutePath: string,
  label: string,
  shown: string,
  options: Record<string, string>,
): string {
  if (absolutePath.includes('#')) {
    throw new InputError(
      `${label} "${shown}" is refused: "#" starts buf input options (format, ref, recurse_submodules); rename the directory or give a path without "#"`,
    );
  }
  for (const [key, value] of Object.entries(options)) {
    if (/[#,]/.test(value)) {
      throw new InputError(
        `${label} "${shown}" is refused: "#" and "," separate buf input options, and its ${key} "${value}" holds one; rename the directory so that its path has neither`,
      );
    }
  }
  return `${absolutePath}#${Object.entries(options)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}
