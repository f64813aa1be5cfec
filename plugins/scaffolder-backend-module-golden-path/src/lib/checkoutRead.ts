import { InputError } from '@backstage/errors';
import {
  ConfinedRoot,
  readFileNoFollow,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';

/*
 * Reads of a checked-out service (the day-2 plans) through the workspace's
 * confinement primitive (ConfinedRoot.entryAt, readFileNoFollow).
 */

/**
 * What is at `abs` (a path under the workspace) through the workspace's
 * confinement. A checkout is hostile: a symlink that stays inside the
 * workspace is followed (as Go and buf would), one leading outside it fails
 * the plan with one line rather than being read or skipped, since skipping
 * would let a name the build sees go unchecked.
 */
export function checkoutEntry(root: ConfinedRoot, abs: string, label: string) {
  try {
    return root.entryAt(root.root, abs, { label });
  } catch (e) {
    if (!(e instanceof InputError) || !/symlink/.test(e.message)) throw e;
    throw new InputError(
      `${e.message}; a checkout's symlinks may only lead within the workspace: replace it with the file or directory itself`,
    );
  }
}

/** The text of the regular file `file` under the workspace, undefined when there is none. */
export function checkoutText(
  root: ConfinedRoot,
  file: string,
  label: string,
): string | undefined {
  const entry = checkoutEntry(root, file, label);
  if (!entry.stats?.isFile()) return undefined;
  // realPath: every link on the way was judged; no link followed at the last step.
  return readFileNoFollow(entry.realPath, label).content.toString('utf8');
}

/** Whether anything (a dangling symlink refused) is at `abs` under the workspace. */
export function checkoutHas(root: ConfinedRoot, abs: string): boolean {
  return checkoutEntry(root, abs, 'path').stats !== undefined;
}

/** The files of `dir` (under the workspace) whose names end in `ext`, [] when it is no directory. */
export function listFiles(
  root: ConfinedRoot,
  dir: string,
  ext: string,
): string[] {
  const entry = checkoutEntry(root, dir, 'directory');
  if (!entry.stats?.isDirectory()) return [];
  return fs
    .readdirSync(entry.realPath)
    .filter(f => f.endsWith(ext))
    .sort()
    .map(f => path.join(entry.path, f));
}
