import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { checkAtlasHcl, resolveWorkspacePath } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { readConfigFile } from './toolStep';

/** Resolves a migration directory (relative to cwd) inside the workspace and checks atlas.hcl. */
export function atlasMigrationDir(ctx: ActionContext<any, any>, cwd: string, dir: string | undefined): string {
  const hcl = readConfigFile(ctx, cwd, 'atlas.hcl');
  if (hcl !== undefined) checkAtlasHcl(hcl);
  const rel = path.relative(ctx.workspacePath, path.resolve(cwd, dir ?? 'migrations'));
  return resolveWorkspacePath(ctx.workspacePath, rel, { label: 'dir', forWrite: true });
}

/** Versions of the migration files of a directory, sorted. */
export function migrationVersions(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.sql'))
    .map(f => f.split('_')[0].replace(/\.sql$/, ''))
    .sort();
}
