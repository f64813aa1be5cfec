import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Resolves `relPath` under the first allow-listed local root, refusing
 * anything but plain directory names and any symlink leading out of the root.
 */
export function resolveUnderLocalRoot(roots: string[], relPath: string, label = 'path'): { root: string; target: string } {
  if (!roots.length) {
    throw new InputError(
      'local publishing is not configured: set goldenPath.publish.local.allowedRoots in app-config',
    );
  }
  const segments = String(relPath ?? '').split('/');
  if (!relPath || segments.some(s => !SEGMENT.test(s) || s === '..' || s === '.')) {
    throw new InputError(
      `${label} "${relPath}" must be directory names (letters, digits, ".", "-", "_") separated by "/", without "..", backslashes or a leading slash`,
    );
  }
  const root = path.resolve(roots[0]);
  fs.mkdirSync(root, { recursive: true });
  const realRoot = fs.realpathSync(root);
  let current = realRoot;
  for (const s of segments) {
    const next = path.join(current, s);
    if (!fs.existsSync(next) && !isDanglingLink(next)) {
      current = next;
      continue;
    }
    if (isDanglingLink(next)) throw new InputError(`${label} "${relPath}" goes through a dangling symlink`);
    const real = fs.realpathSync(next);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
      throw new InputError(`${label} "${relPath}" leads outside the local publish root through a symlink`);
    }
    current = real;
  }
  return { root: realRoot, target: current };
}

function isDanglingLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink() && !fs.existsSync(p);
  } catch {
    return false;
  }
}
