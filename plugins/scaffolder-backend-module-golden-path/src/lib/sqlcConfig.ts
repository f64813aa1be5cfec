import { InputError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { checkSqlcConfig, resolveWorkspacePath } from '@golden-path/plugin-golden-path-node';
import path from 'node:path';
import { GoldenPathSettings } from './settings';
import { readConfigFile } from './toolStep';

const NAMES = ['sqlc.yaml', 'sqlc.yml', 'sqlc.json'];

/**
 * Finds and checks the sqlc config of the working directory: no programs
 * beyond the allow-list, and every schema, query and output path inside the
 * workspace.
 */
export function checkSqlcWorkspace(ctx: ActionContext<any, any>, cwd: string, settings: GoldenPathSettings): void {
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
    throw new InputError(`no sqlc.yaml in ${path.relative(ctx.workspacePath, cwd) || '.'}`);
  }
  const config = checkSqlcConfig(text, settings.allowedPlugins, name);
  const confine = (p: unknown, label: string) => {
    if (typeof p !== 'string') return;
    resolveWorkspacePath(ctx.workspacePath, path.relative(ctx.workspacePath, path.resolve(cwd, p)), {
      label: `${name} ${label}`,
    });
  };
  const sql = config.sql;
  (Array.isArray(sql) ? sql : []).forEach((entry: any, i: number) => {
    for (const key of ['schema', 'queries']) {
      const v = entry?.[key];
      (Array.isArray(v) ? v : [v]).forEach((p: unknown) => confine(p, `sql[${i}].${key}`));
    }
    confine(entry?.gen?.go?.out, `sql[${i}].gen.go.out`);
    (Array.isArray(entry?.codegen) ? entry.codegen : []).forEach((c: any, j: number) =>
      confine(c?.out, `sql[${i}].codegen[${j}].out`),
    );
  });
}
