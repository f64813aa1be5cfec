import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';

/** Options of {@link resolveWorkspacePath}. */
export interface ResolveWorkspacePathOptions {
  /** The path is about to be written: a dangling symlink on the way is refused too. */
  forWrite?: boolean;
  /** What the path is, for error messages (e.g. `input.workingDirectory`). */
  label?: string;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Resolves a user-supplied relative path inside the task workspace, refusing
 * anything that could reach outside it: absolute paths, drive letters,
 * backslashes, NUL bytes, `..` escapes, and symlinks (or chains of them) whose
 * target lies outside. Returns the absolute path.
 */
export function resolveWorkspacePath(
  workspace: string,
  userPath: string,
  options: ResolveWorkspacePathOptions = {},
): string {
  const label = options.label ?? 'path';
  if (typeof userPath !== 'string') {
    throw new InputError(`${label} must be a string`);
  }
  if (userPath.includes('\0')) {
    throw new InputError(`${label} contains a NUL byte`);
  }
  if (userPath.includes('\\')) {
    throw new InputError(
      `${label} "${userPath}" contains a backslash; use forward slashes and a path relative to the workspace`,
    );
  }
  if (/^[a-zA-Z]:/.test(userPath)) {
    throw new InputError(`${label} "${userPath}" names a drive; give a path relative to the workspace`);
  }
  if (path.isAbsolute(userPath)) {
    throw new InputError(`${label} "${userPath}" is absolute; give a path relative to the workspace`);
  }
  const root = fs.realpathSync(workspace);
  const target = path.resolve(root, userPath === '' ? '.' : userPath);
  if (!isInside(root, target)) {
    throw new InputError(`${label} "${userPath}" points outside the task workspace`);
  }

  // Walk down from the workspace, resolving every existing component, so a
  // symlink anywhere on the way (or a chain of them) is judged by its target.
  const parts = path.relative(root, target).split(path.sep).filter(Boolean);
  let current = root;
  for (let i = 0; i < parts.length; i++) {
    const next = path.join(current, parts[i]);
    const stat = lstatOrUndefined(next);
    if (!stat) break; // the rest does not exist yet
    if (stat.isSymbolicLink()) {
      let real: string;
      try {
        real = fs.realpathSync(next);
      } catch {
        if (options.forWrite || i < parts.length - 1) {
          throw new InputError(
            `${label} "${userPath}" goes through a dangling symlink (${parts.slice(0, i + 1).join('/')})`,
          );
        }
        throw new InputError(`${label} "${userPath}" is a dangling symlink`);
      }
      if (!isInside(root, real)) {
        throw new InputError(
          `${label} "${userPath}" goes through a symlink (${parts.slice(0, i + 1).join('/')}) that leads outside the task workspace`,
        );
      }
      current = real;
    } else {
      current = next;
    }
  }
  return target;
}
