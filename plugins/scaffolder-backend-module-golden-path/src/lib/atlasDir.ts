import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { checkAtlasHcl } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import { confinePath, readConfigFile } from './toolStep';

/** Resolves a migration directory (relative to cwd) inside the workspace and checks atlas.hcl. */
export function atlasMigrationDir(ctx: ActionContext<any, any>, cwd: string, dir: string | undefined): string {
  const hcl = readConfigFile(ctx, cwd, 'atlas.hcl');
  if (hcl !== undefined) checkAtlasHcl(hcl);
  return confinePath(ctx, cwd, dir ?? 'migrations', 'dir', true);
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
