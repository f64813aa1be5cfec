import { InputError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { checkAtlasHcl } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { confinePath, readConfigFile, workspaceOf } from './toolStep';

/**
 * Resolves a migration directory (relative to cwd) inside the workspace and
 * checks atlas.hcl. The directory must exist, unless `create` (migrate diff
 * creates it). The path is taken literally: `%2e%2e` is a name, not `..`.
 */
export function atlasMigrationDir(
  ctx: ActionContext<any, any>,
  cwd: string,
  dir: string | undefined,
  options: { create?: boolean } = {},
): string {
  const root = workspaceOf(ctx).root;
  const hcl = readConfigFile(ctx, cwd, 'atlas.hcl');
  if (hcl !== undefined) {
    checkAtlasHcl(hcl, path.relative(root, path.join(cwd, 'atlas.hcl')));
  }
  const given = dir ?? 'migrations';
  const resolved = confinePath(ctx, cwd, given, 'dir', true);
  if (
    !options.create &&
    !fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory()
  ) {
    throw new InputError(
      `dir "${given}" is not a directory in ${
        path.relative(root, cwd) || '.'
      }: give the migration directory relative to workingDirectory (it is read literally, %-sequences included)`,
    );
  }
  return resolved;
}

/**
 * The `file://` URL atlas is given for a confined absolute path, built with
 * the URL API: `%`, `?`, `#` and spaces are percent-encoded, so the path atlas
 * decodes from the URL is exactly the path that was checked (a `dir` of
 * `%2e%2e/%2e%2e/x` stays a directory of that name in the workspace).
 */
export function fileUrl(absolutePath: string): string {
  return pathToFileURL(absolutePath).href;
}

/** Versions of the migration files of a directory, sorted. */
export function migrationVersions(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .filter(f => f.endsWith('.sql'))
    .map(f => f.split('_')[0].replace(/\.sql$/, ''))
    .sort();
}
