import fs from 'node:fs';
import path from 'node:path';

/**
 * Where {@link locateBinary} looks for a tool.
 *
 * @public
 */
export interface LocateBinaryOptions {
  /** An explicit path from configuration; when set, nothing else is tried. */
  configuredPath?: string;
  /** The project tools directory; `<toolsDir>/bin/<tool>` is tried first. */
  toolsDir?: string;
  /** The search path, by default `process.env.PATH`. */
  searchPath?: string;
  /** Config key that sets the path, for the error message. */
  configKey?: string;
}

/**
 * A tool binary could not be found.
 *
 * @public
 */
export class MissingBinaryError extends Error {
  name = 'MissingBinaryError';
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Binaries found so far, by tool and options; re-checked on every use. */
const found = new Map<string, string>();

/** The cheap re-check of a found binary: one stat, still a file with an execute bit. */
function stillExecutable(p: string): boolean {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  return !!st && st.isFile() && (st.mode & 0o111) !== 0;
}

/**
 * Finds a tool: the configured path, else the tools directory, else PATH.
 * The path found is remembered for the process; a later call only checks
 * that it is still an executable file (else it searches again).
 *
 * @public
 */
export function locateBinary(
  tool: string,
  options: LocateBinaryOptions = {},
): string {
  const cacheKey = [
    tool,
    options.configuredPath,
    options.toolsDir,
    options.searchPath ?? process.env.PATH,
  ].join('\0');
  const cached = found.get(cacheKey);
  if (cached && stillExecutable(cached)) return cached;
  const binary = searchBinary(tool, options);
  found.set(cacheKey, binary);
  return binary;
}

function searchBinary(tool: string, options: LocateBinaryOptions): string {
  const key = options.configKey ?? `goldenPath.tools.${tool}`;
  if (options.configuredPath) {
    if (isExecutable(options.configuredPath)) return options.configuredPath;
    throw new MissingBinaryError(
      `${tool} was not found at ${options.configuredPath} (set by ${key}): install it there or fix the config`,
    );
  }
  const tried: string[] = [];
  if (options.toolsDir) {
    const candidate = path.join(options.toolsDir, 'bin', tool);
    tried.push(candidate);
    if (isExecutable(candidate)) return candidate;
  }
  for (const dir of (options.searchPath ?? process.env.PATH ?? '').split(
    path.delimiter,
  )) {
    if (!dir) continue;
    const candidate = path.join(dir, tool);
    if (isExecutable(candidate)) return candidate;
  }
  throw new MissingBinaryError(
    `${tool} was not found (looked in ${
      tried.length ? `${tried.join(', ')} and ` : ''
    }PATH): ` +
      `install it with scripts/setup.sh (versions in tools/versions.env) or set ${key} to its path`,
  );
}
