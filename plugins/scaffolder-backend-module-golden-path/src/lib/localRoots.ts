import { InputError } from '@backstage/errors';
import {
  ConfinedRoot,
  confinedRoot,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** A dotfile inside the directory (.github, .golden-path), never .git. */
const DOT_SEGMENT = /^\.(?!git$)[A-Za-z0-9_-][A-Za-z0-9._-]{0,98}$/;

/** The local publish root (the first allow-listed one), created when missing. */
export function localPublishRoot(roots: string[]): ConfinedRoot {
  if (!roots.length) {
    throw new InputError(
      'local publishing is not configured: set goldenPath.publish.local.allowedRoots in app-config',
    );
  }
  const root = path.resolve(roots[0]);
  fs.mkdirSync(root, { recursive: true });
  return confinedRoot(root, { name: 'the local publish root' });
}

/**
 * Resolves `relPath` under the first allow-listed local root: plain directory
 * names only, confined by the bundle's one primitive (symlinks on the way
 * must stay under the root, dangling ones are refused). `target` is the real
 * path (symlinks resolved).
 */
export function resolveUnderLocalRoot(
  roots: string[],
  relPath: string,
  label = 'path',
  options: { dotfiles?: boolean } = {},
): { root: string; target: string; local: ConfinedRoot } {
  const local = localPublishRoot(roots);
  const segments = String(relPath ?? '').split('/');
  const plain = (s: string, i: number) =>
    SEGMENT.test(s) || (!!options.dotfiles && i > 0 && DOT_SEGMENT.test(s));
  if (
    !relPath ||
    segments.some((s, i) => !plain(s, i) || s === '..' || s === '.')
  ) {
    throw new InputError(
      `${label} "${relPath}" must be directory names (letters, digits, ".", "-", "_") separated by "/", without "..", backslashes or a leading slash`,
    );
  }
  const { realPath } = local.entry(relPath, { label, forWrite: true });
  return { root: local.root, target: realPath, local };
}
