import path from 'node:path';
import { actionContext, makeSandbox, writeFiles } from './context';
import { commitAll } from './git';

/**
 * A fresh sandbox (`s`) whose local publish root `local` holds the monorepo
 * `name` at `repo` with `files`, committed on main; `git` runs in it as the
 * team.
 */
export function committedLocalMonorepo(
  files: Record<string, string>,
  name = 'shop',
) {
  const s = makeSandbox();
  const local = path.join(s.root, 'local');
  const repo = path.join(local, name);
  writeFiles(repo, files);
  return { s, local, repo, git: commitAll(repo) };
}

/**
 * `run(input)`: the action's handler over `workspace` with `defaults`
 * overridden by `input`; resolves with the outputs it set.
 */
export function actionRunner(
  action: { handler(ctx: any): Promise<void> },
  workspace: string,
  defaults: Record<string, unknown>,
) {
  return (input: Record<string, unknown> = {}) => {
    const { ctx, outputs } = actionContext(workspace, {
      ...defaults,
      ...input,
    });
    return action.handler(ctx).then(() => outputs);
  };
}
