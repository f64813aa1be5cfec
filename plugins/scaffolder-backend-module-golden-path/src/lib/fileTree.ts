import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';

/** Limits of one tree walk: a checkout or a merge is a service, not a disk. */
export interface TreeLimits {
  maxFiles: number;
  maxBytes: number;
}

export const DEFAULT_TREE_LIMITS: TreeLimits = {
  maxFiles: 20_000,
  maxBytes: 200 * 1024 * 1024,
};

const SKIPPED = new Set(['.git', 'node_modules']);

/**
 * The regular files below `root` (a file or a directory), as paths relative to
 * `relTo` with `/` separators, sorted. `.git` and `node_modules` are skipped; a
 * symlink anywhere is refused (it could lead out of the tree), as are trees
 * over the limits. `label` names the tree in messages.
 */
export function listTreeFiles(
  root: string,
  relTo: string,
  label: string,
  limits: TreeLimits = DEFAULT_TREE_LIMITS,
): string[] {
  const out: string[] = [];
  let bytes = 0;
  const rel = (abs: string) =>
    path.relative(relTo, abs).split(path.sep).join('/');
  const visit = (abs: string) => {
    const st = fs.lstatSync(abs);
    if (st.isSymbolicLink()) {
      throw new InputError(
        `${label}: ${rel(
          abs,
        )} is a symlink; only regular files and directories are copied`,
      );
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) {
        if (!SKIPPED.has(name)) visit(path.join(abs, name));
      }
    } else if (st.isFile()) {
      bytes += st.size;
      out.push(rel(abs));
      if (out.length > limits.maxFiles || bytes > limits.maxBytes) {
        throw new InputError(
          `${label} holds more than ${limits.maxFiles} files or ${Math.round(
            limits.maxBytes / 1048576,
          )} MiB; refusing to copy it`,
        );
      }
    }
  };
  visit(root);
  return out.sort();
}
