import {
  bufWorkDirectories,
  checkBufModuleConfig,
  isUnder,
  readFileNoFollow,
} from '@golden-path/plugin-golden-path-node';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import path from 'node:path';
import { workspaceOf } from './toolStep';

/** A checked config read at its real path, no link followed (the check judged them all). */
const readText = (realPath: string, label: string) =>
  readFileNoFollow(realPath, label).content.toString('utf8');

/**
 * Checks every buf config buf may read for inputs in `dirs` (confined
 * directories of the workspace): buf looks upwards from an input for the
 * buf.yaml or buf.work.yaml that makes its workspace, so each of the two in
 * the directory and every directory above it up to the workspace root, and the
 * buf.yaml of each directory a buf.work.yaml lists. A buf.yaml naming BSR
 * deps or a check plugin not allowed is refused, wherever it sits.
 */
export function checkBufConfigs(
  ctx: ActionContext<any, any>,
  dirs: string[],
  allowedPlugins: string[],
): void {
  const ws = workspaceOf(ctx);
  const checked = new Set<string>();
  const checkModule = (dir: string, shownDir: string) => {
    const entry = ws.entryAt(dir, 'buf.yaml', {
      label: `${shownDir}/buf.yaml`,
    });
    if (checked.has(entry.path) || !entry.stats?.isFile()) return;
    checked.add(entry.path);
    checkBufModuleConfig(
      readText(entry.realPath, shownDir),
      allowedPlugins,
      shown(ws.root, entry.path),
    );
  };
  for (const start of dirs) {
    for (let dir = start; isUnder(ws.root, dir); dir = path.dirname(dir)) {
      checkModule(dir, shown(ws.root, dir));
      const work = ws.entryAt(dir, 'buf.work.yaml', {
        label: shown(ws.root, path.join(dir, 'buf.work.yaml')),
      });
      if (work.stats?.isFile() && !checked.has(work.path)) {
        checked.add(work.path);
        const file = shown(ws.root, work.path);
        const listed = bufWorkDirectories(readText(work.realPath, file), file);
        for (const [i, d] of listed.entries()) {
          const moduleDir = ws.entryAt(dir, d, {
            label: `${file} directories[${i}]`,
          });
          if (moduleDir.stats?.isDirectory())
            checkModule(moduleDir.path, shown(ws.root, moduleDir.path));
        }
      }
      if (dir === ws.root) break;
    }
  }
}

/** A path as the template author sees it: relative to the workspace root. */
function shown(root: string, p: string): string {
  return path.relative(root, p) || '.';
}
