import { InputError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  checkSqlcConfig,
  locateBinary,
  minimalEnv,
  resolveSqlcProcessPlugins,
  SqlcPluginPolicy,
} from '@golden-path/plugin-golden-path-node';
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
 * `goldenPath.tools.sqlcProcessPlugins`: the programs a sqlc `process` plugin
 * may run (names in `<tools dir>/bin`, or absolute paths). Apart from buf's
 * `allowedPlugins`: there a name is all buf looks up, here the program is what
 * counts. None by default (the templates use sqlc's built-in Go generator).
 */
export type SqlcSettings = GoldenPathSettings & {
  sqlcProcessPlugins?: string[];
};

/** The policy of the sqlc config check: allowed programs, and the PATH sqlc runs with (as runToolStep gives it). */
export function sqlcPluginPolicy(settings: SqlcSettings): SqlcPluginPolicy {
  const binary = locateBinary('sqlc', {
    configuredPath: settings.binaries.sqlc,
    toolsDir: settings.toolsDir,
  });
  const pathDirs = [path.dirname(binary)];
  if (settings.toolsDir) pathDirs.push(path.join(settings.toolsDir, 'bin'));
  return {
    processCommands: resolveSqlcProcessPlugins(
      settings.sqlcProcessPlugins ?? [],
      settings.toolsDir,
    ),
    searchPath: minimalEnv(pathDirs).PATH.split(path.delimiter),
  };
}

/**
 * Finds and checks the sqlc config of the working directory: no programs
 * beyond the allow-list, no database, and every schema, query and output path inside the
 * workspace.
 */
export function checkSqlcWorkspace(
  ctx: ActionContext<any, any>,
  cwd: string,
  settings: SqlcSettings,
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
    throw new InputError(
      `no sqlc.yaml in ${path.relative(workspaceOf(ctx).root, cwd) || '.'}`,
    );
  }
  const config = checkSqlcConfig(
    text,
    sqlcPluginPolicy(settings),
    path.relative(workspaceOf(ctx).root, path.join(cwd, name)),
  );
  // Each distinct path is checked once: YAML aliases can repeat entries.
  const confined = new Map<string, string>();
  const confine = (p: unknown, label: string) => {
    if (typeof p !== 'string') return undefined;
    let resolved = confined.get(p);
    if (resolved === undefined) {
      resolved = confinePath(ctx, cwd, p, `${name} ${label}`);
      confined.set(p, resolved);
    }
    return resolved;
  };
  const outDirs: string[] = [];
  const out = (p: unknown, label: string) => {
    // A missing out is the working directory; a number is a directory name.
    const scalar =
      typeof p === 'number' || typeof p === 'boolean' ? String(p) : p;
    outDirs.push(confine(scalar, label) ?? cwd);
  };
  const sql = config.sql;
  (Array.isArray(sql) ? sql : []).forEach((entry: any, i: number) => {
    for (const key of ['schema', 'queries']) {
      const v = entry?.[key];
      (Array.isArray(v) ? v : [v]).forEach((p: unknown) =>
        confine(p, `sql[${i}].${key}`),
      );
    }
    // Every generator (gen.go, gen.json, ...) writes to its own out.
    const gen = entry?.gen && typeof entry.gen === 'object' ? entry.gen : {};
    for (const [lang, g] of Object.entries<any>(gen))
      out(g?.out, `sql[${i}].gen.${lang}.out`);
    (Array.isArray(entry?.codegen) ? entry.codegen : []).forEach(
      (c: any, j: number) => out(c?.out, `sql[${i}].codegen[${j}].out`),
    );
  });
  return { outDirs };
}
