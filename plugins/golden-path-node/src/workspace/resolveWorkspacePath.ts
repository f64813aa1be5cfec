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

/** Whether `p` is `root` or below it (both absolute and normalized). */
function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined; // e.g. ENOTDIR: a file on the way
  }
}

/** The refusal of a path that leaves the workspace. */
const outside = (label: string, userPath: string) =>
  new InputError(`${label} "${userPath}" points outside the task workspace`);

/** A confined path and what is there. */
export interface WorkspaceEntry {
  path: string;
  /** What the path names (symlinks followed), or undefined when nothing is there. */
  stats?: fs.Stats;
}

/** Resolves user-supplied paths inside one workspace (see {@link resolveWorkspacePath}). */
export type WorkspaceResolver = ((userPath: string, options?: ResolveWorkspacePathOptions) => string) & {
  /** The workspace's real path; every resolved path starts with it. */
  readonly root: string;
  /** The same check, also giving what is at the path (from the stats the check made anyway). */
  entry(userPath: string, options?: ResolveWorkspacePathOptions): WorkspaceEntry;
  /**
   * The check of `userPath` taken relative to `base`, an absolute path: the
   * same as `entry` of the path from the workspace root to `base/userPath`.
   */
  entryAt(base: string, userPath: string, options?: ResolveWorkspacePathOptions): WorkspaceEntry;
};

/**
 * A resolver for one workspace: the workspace's real path is looked up once,
 * so several paths of one action step cost one realpath, not one each. Every
 * call does the full check of {@link resolveWorkspacePath}.
 */
export function workspaceResolver(workspace: string): WorkspaceResolver {
  const root = fs.realpathSync.native(workspace);
  const entry = (userPath: string, options: ResolveWorkspacePathOptions = {}) => {
    checkUserPath(userPath, options.label ?? 'path');
    return resolveInside(root, userPath, options);
  };
  const entryAt = (base: string, userPath: string, options: ResolveWorkspacePathOptions = {}) => {
    const target = path.resolve(base, userPath);
    if (!within(root, target)) {
      // As entry() of the relative path would: its checks, then the refusal.
      const rel = path.relative(root, target);
      checkUserPath(rel, options.label ?? 'path');
      throw outside(options.label ?? 'path', rel);
    }
    const rel = target === root ? '' : target.slice(root.length + (root.endsWith(path.sep) ? 0 : 1));
    checkUserPath(rel, options.label ?? 'path');
    return walk(root, target, rel, options);
  };
  return Object.assign((userPath: string, options?: ResolveWorkspacePathOptions) => entry(userPath, options).path, {
    root,
    entry,
    entryAt,
  });
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
  checkUserPath(userPath, options.label ?? 'path');
  return resolveInside(fs.realpathSync.native(workspace), userPath, options).path;
}

function checkUserPath(userPath: string, label: string): void {
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
}

/** The confinement check of a well-formed path, against the workspace's real path `root`. */
function resolveInside(root: string, userPath: string, options: ResolveWorkspacePathOptions): WorkspaceEntry {
  const target = path.resolve(root, userPath === '' ? '.' : userPath);
  if (!within(root, target)) throw outside(options.label ?? 'path', userPath);
  return walk(root, target, userPath, options);
}

/**
 * Walks down from the workspace to `target` (normalized, inside root),
 * resolving every existing component, so a symlink anywhere on the way (or a
 * chain of them) is judged by its target. Plain string joins: the path is
 * already normalized.
 */
function walk(root: string, target: string, userPath: string, options: ResolveWorkspacePathOptions): WorkspaceEntry {
  const label = options.label ?? 'path';
  const rest = target.slice(root.length);
  const parts = rest.split(path.sep).filter(Boolean);
  let current = root;
  let stats: fs.Stats | undefined; // of the last component, when it is not a symlink
  for (let i = 0; i < parts.length; i++) {
    const next = current.endsWith(path.sep) ? current + parts[i] : current + path.sep + parts[i];
    const stat = lstatOrUndefined(next);
    if (!stat) return { path: target }; // the rest does not exist yet
    if (stat.isSymbolicLink()) {
      let real: string;
      try {
        real = fs.realpathSync.native(next);
      } catch {
        if (options.forWrite || i < parts.length - 1) {
          throw new InputError(
            `${label} "${userPath}" goes through a dangling symlink (${parts.slice(0, i + 1).join('/')})`,
          );
        }
        throw new InputError(`${label} "${userPath}" is a dangling symlink`);
      }
      if (!within(root, real)) {
        throw new InputError(
          `${label} "${userPath}" goes through a symlink (${parts.slice(0, i + 1).join('/')}) that leads outside the task workspace`,
        );
      }
      current = real;
      stats = undefined;
    } else {
      current = next;
      stats = stat;
    }
  }
  // The workspace root itself, or a symlink's target: one stat more.
  return { path: target, stats: stats ?? fs.statSync(current, { throwIfNoEntry: false }) };
}
