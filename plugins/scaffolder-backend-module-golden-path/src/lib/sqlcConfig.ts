import { InputError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { checkSqlcConfig } from '@golden-path/plugin-golden-path-node';
import path from 'node:path';
import { GoldenPathSettings } from './settings';
import { confinePath, readConfigFile, workspaceOf } from './toolStep';

const NAMES = ['sqlc.yaml', 'sqlc.yml', 'sqlc.json'];

/** What {@link checkSqlcWorkspace} found. */
export interface SqlcWorkspace {
  /** The output directories of the config (absolute, confined): sqlc writes nowhere else. */
  outDirs: string[];
}

/**
 * Finds and checks the sqlc config of the working directory: no programs
 * beyond the allow-list, and every schema, query and output path inside the
 * workspace.
 */
export function checkSqlcWorkspace(
  ctx: ActionContext<any, any>,
  cwd: string,
  settings: GoldenPathSettings,
): SqlcWorkspace {
  let name: string | undefined;
  let text: string | undefined;
  for (const candidate of NAMES) {
    text = readConfigFile(ctx, cwd, candidate);
    if (text !== undefined) {
      name = candidate;
      break;
    }
  }
  if (!name || text === undefined) {
    throw new InputError(`no sqlc.yaml in ${path.relative(workspaceOf(ctx).root, cwd) || '.'}`);
  }
  const config = checkSqlcConfig(text, settings.allowedPlugins, name);
  const confine = (p: unknown, label: string) =>
    typeof p === 'string' ? confinePath(ctx, cwd, p, `${name} ${label}`) : undefined;
  const outDirs: string[] = [];
  const out = (p: unknown, label: string) => {
    // A missing out is the working directory; a number is a directory name.
    const scalar = typeof p === 'number' || typeof p === 'boolean' ? String(p) : p;
    outDirs.push(confine(scalar, label) ?? cwd);
  };
  const sql = config.sql;
  (Array.isArray(sql) ? sql : []).forEach((entry: any, i: number) => {
    for (const key of ['schema', 'queries']) {
      const v = entry?.[key];
      (Array.isArray(v) ? v : [v]).forEach((p: unknown) => confine(p, `sql[${i}].${key}`));
    }
    // Every generator (gen.go, gen.json, ...) writes to its own out.
    const gen = entry?.gen && typeof entry.gen === 'object' ? entry.gen : {};
    for (const [lang, g] of Object.entries<any>(gen)) out(g?.out, `sql[${i}].gen.${lang}.out`);
    (Array.isArray(entry?.codegen) ? entry.codegen : []).forEach((c: any, j: number) =>
      out(c?.out, `sql[${i}].codegen[${j}].out`),
    );
  });
  return { outDirs };
}
