import { InputError } from '@backstage/errors';
import {
  confinedRoot,
  copyConfinedFile,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Copies `files` (paths relative to `sourceDir`, from a walk that refused
 * symlinks) over the tree `destDir`, a checkout whose contents nobody vouches
 * for (a clone of a forge repository may hold symlinks to anywhere): a file
 * the tree has as a symlink is replaced by the regular file, never written
 * through; a symlink among the directories on the way is refused with one
 * line, so nothing is written outside `destDir`. `label` names the tree in
 * messages. Keeps each file's permission bits.
 */
export function layFilesOver(
  sourceDir: string,
  files: string[],
  destDir: string,
  label: string,
): void {
  const dest = confinedRoot(destDir, { name: label });
  for (const rel of files) {
    const parent = path.posix.dirname(rel);
    if (parent !== '.') {
      const dir = dest.entry(parent, {
        label: `${label}: directory`,
        forWrite: true,
        symlinks: 'refuse',
      });
      if (dir.stats && !dir.stats.isDirectory())
        throw new InputError(
          `${rel}: ${parent} is a file in ${label}, not a directory`,
        );
    }
    const to = path.join(dest.root, ...rel.split('/'));
    if (fs.lstatSync(to, { throwIfNoEntry: false })?.isSymbolicLink())
      fs.unlinkSync(to);
    copyConfinedFile(dest, path.join(sourceDir, ...rel.split('/')), to, rel);
  }
}

/**
 * Deletes the regular file `rel` of the tree `destDir` (as
 * {@link layFilesOver}, a checkout nobody vouches for): a symlink among the
 * directories on the way is refused, so nothing outside `destDir` is
 * deleted; the file itself may be a symlink (the link is deleted). Fails
 * with one line when the tree has no such file.
 */
export function removeFileUnder(
  destDir: string,
  rel: string,
  label: string,
): void {
  const dest = confinedRoot(destDir, { name: label });
  const parent = path.posix.dirname(rel);
  if (parent !== '.')
    dest.entry(parent, {
      label: `${label}: directory`,
      symlinks: 'refuse',
    });
  const abs = path.join(dest.root, ...rel.split('/'));
  const st = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (!st || !(st.isFile() || st.isSymbolicLink()))
    throw new InputError(`${rel} is not a file of ${label}`);
  fs.unlinkSync(abs);
}
