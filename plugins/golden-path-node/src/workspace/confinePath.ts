import { isChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';

/*
 * The one path-confinement primitive of the bundle. Every user-supplied or
 * repository-supplied path that is read or written goes through here: the
 * task workspace (scaffolder actions), the local publish root (local publish
 * and checkout), and the insights' local source roots. One place to audit.
 *
 * Built on Backstage's isChildPath (the same test resolveSafeChildPath makes),
 * with what it leaves out: NUL bytes, backslashes and drive letters, every
 * symlink on the way judged by its target (chains too), dangling symlinks
 * refused when writing, a mode that refuses symlinks altogether (lstat) for
 * untrusted trees, and writes that never follow a symlink (O_NOFOLLOW).
 */

/**
 * Options of one confinement check.
 *
 * @public
 */
export interface ConfineOptions {
  /** The path is about to be written: a dangling symlink on the way is refused too. */
  forWrite?: boolean;
  /** What the path is, for error messages (e.g. `input.workingDirectory`). */
  label?: string;
  /**
   * `inside` (default): a symlink on the way is followed when its target
   * (the whole chain resolved) stays under the root. `refuse`: any symlink on
   * the way, the path itself included, is refused (lstat only), for trees
   * whose contents nobody vouches for (a checkout, a publish destination).
   */
  symlinks?: 'inside' | 'refuse';
}

/**
 * A confined path and what is there.
 *
 * @public
 */
export interface ConfinedEntry {
  /** The absolute path as asked for (under the root's real path, symlinks kept). */
  path: string;
  /** The same with every existing symlink on the way resolved (still under the root). */
  realPath: string;
  /** What the path names (symlinks followed), or undefined when nothing is there. */
  stats?: fs.Stats;
}

/**
 * Resolves user-supplied paths under one root directory. Called as a
 * function it returns the absolute path; every call does the full check.
 *
 * @public
 */
export type ConfinedRoot = ((
  userPath: string,
  options?: ConfineOptions,
) => string) & {
  /** The root's real path; every resolved path starts with it. */
  readonly root: string;
  /** How messages name the root, e.g. "the task workspace". */
  readonly rootName: string;
  /** The check, also giving what is at the path (from the stats the check made anyway). */
  entry(userPath: string, options?: ConfineOptions): ConfinedEntry;
  /**
   * The check of `userPath` taken relative to `base`, an absolute path: the
   * same as `entry` of the path from the root to `base/userPath`.
   */
  entryAt(
    base: string,
    userPath: string,
    options?: ConfineOptions,
  ): ConfinedEntry;
  /** Whether an absolute, normalized path is the root or below it (no file system access). */
  contains(absPath: string): boolean;
};

/**
 * Resolves user-supplied paths inside one task workspace.
 *
 * @public
 */
export type WorkspaceResolver = ConfinedRoot;

/**
 * Whether `p` is `root` or below it, both absolute and normalized, by their
 * text alone: for paths already resolved (the walk below resolves every
 * component itself, so it needs no second realpath per check).
 *
 * @public
 */
export function isUnder(root: string, p: string): boolean {
  return (
    p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep)
  );
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined; // e.g. ENOTDIR: a file on the way
  }
}

/** Backstage's isChildPath (it resolves both sides, dangling links too), false where it cannot tell. */
function isChildPathSafe(root: string, p: string): boolean {
  try {
    return isChildPath(root, p);
  } catch {
    return false; // ELOOP, EACCES, ENOTDIR: not provably inside
  }
}

/**
 * A resolver for one root directory: the root's real path is looked up once,
 * so several paths of one step cost one realpath, not one each. Every call
 * does the full check of {@link resolveWorkspacePath}. `name` says what the
 * root is in messages ("the local publish root").
 *
 * @public
 */
export function confinedRoot(
  dir: string,
  options: { name: string },
): ConfinedRoot {
  const root = fs.realpathSync.native(dir);
  const { name } = options;
  const outside = (label: string, userPath: string) =>
    new InputError(`${label} "${userPath}" points outside ${name}`);
  const entry = (userPath: string, o: ConfineOptions = {}) => {
    const label = o.label ?? 'path';
    checkUserPath(userPath, label, name);
    const target = path.resolve(root, userPath === '' ? '.' : userPath);
    if (!isUnder(root, target)) throw outside(label, userPath);
    return walk(root, name, target, userPath, o);
  };
  const entryAt = (base: string, userPath: string, o: ConfineOptions = {}) => {
    const label = o.label ?? 'path';
    if (typeof userPath !== 'string')
      throw new InputError(`${label} must be a string`);
    const target = path.resolve(base, userPath);
    if (!isUnder(root, target)) {
      // As entry() of the relative path would: its checks, then the refusal.
      const rel = path.relative(root, target);
      checkUserPath(rel, label, name);
      throw outside(label, rel);
    }
    const rel =
      target === root
        ? ''
        : target.slice(root.length + (root.endsWith(path.sep) ? 0 : 1));
    checkUserPath(rel, label, name);
    return walk(root, name, target, rel, o);
  };
  return Object.assign(
    (userPath: string, o?: ConfineOptions) => entry(userPath, o).path,
    {
      root,
      rootName: name,
      entry,
      entryAt,
      contains: (absPath: string) => isUnder(root, absPath),
    },
  );
}

/**
 * The resolver of a task workspace (see {@link confinedRoot}).
 *
 * @public
 */
export function workspaceResolver(workspace: string): WorkspaceResolver {
  return confinedRoot(workspace, { name: 'the task workspace' });
}

/**
 * Resolves a user-supplied relative path inside the task workspace, refusing
 * anything that could reach outside it: absolute paths, drive letters,
 * backslashes, NUL bytes, `..` escapes, and symlinks (or chains of them) whose
 * target lies outside. Returns the absolute path.
 *
 * @public
 */
export function resolveWorkspacePath(
  workspace: string,
  userPath: string,
  options: ConfineOptions = {},
): string {
  return workspaceResolver(workspace).entry(userPath, options).path;
}

function checkUserPath(userPath: string, label: string, name: string): void {
  if (typeof userPath !== 'string') {
    throw new InputError(`${label} must be a string`);
  }
  if (userPath.includes('\0')) {
    throw new InputError(`${label} contains a NUL byte`);
  }
  const relativeTo = name === 'the task workspace' ? 'the workspace' : name;
  if (userPath.includes('\\')) {
    throw new InputError(
      `${label} "${userPath}" contains a backslash; use forward slashes and a path relative to ${relativeTo}`,
    );
  }
  if (/^[a-zA-Z]:/.test(userPath)) {
    throw new InputError(
      `${label} "${userPath}" names a drive; give a path relative to ${relativeTo}`,
    );
  }
  if (path.isAbsolute(userPath)) {
    throw new InputError(
      `${label} "${userPath}" is absolute; give a path relative to ${relativeTo}`,
    );
  }
}

/**
 * Walks down from the root to `target` (normalized, inside root), looking at
 * every existing component, so a symlink anywhere on the way (or a chain of
 * them) is judged by its target, or refused outright in `refuse` mode. Plain
 * string joins: the path is already normalized.
 */
function walk(
  root: string,
  name: string,
  target: string,
  userPath: string,
  options: ConfineOptions,
): ConfinedEntry {
  const label = options.label ?? 'path';
  const rest = target.slice(root.length);
  const parts = rest.split(path.sep).filter(Boolean);
  let current = root;
  let stats: fs.Stats | undefined; // of the last component, when it is not a symlink
  for (let i = 0; i < parts.length; i++) {
    const next = current.endsWith(path.sep)
      ? current + parts[i]
      : current + path.sep + parts[i];
    const stat = lstatOrUndefined(next);
    if (!stat) {
      // The rest does not exist yet.
      const missing = parts.slice(i).join(path.sep);
      return {
        path: target,
        realPath: current.endsWith(path.sep)
          ? current + missing
          : current + path.sep + missing,
      };
    }
    if (stat.isSymbolicLink()) {
      const where = parts.slice(0, i + 1).join('/');
      const last = i === parts.length - 1;
      if (options.symlinks === 'refuse') {
        throw new InputError(
          last
            ? `${label} "${userPath}" is a symlink; symlinks are not followed here: replace it with a regular file or directory`
            : `${label} "${userPath}" goes through a symlink (${where}); symlinks are not followed here: replace it with a regular directory`,
        );
      }
      let real: string;
      try {
        real = fs.realpathSync.native(next);
      } catch {
        // Dangling, or a loop: refused wherever it would lead.
        if (options.forWrite || !last) {
          throw new InputError(
            `${label} "${userPath}" goes through a dangling symlink (${where})`,
          );
        }
        throw new InputError(`${label} "${userPath}" is a dangling symlink`);
      }
      if (!isUnder(root, real)) {
        throw new InputError(
          `${label} "${userPath}" goes through a symlink (${where}) that leads outside ${name}`,
        );
      }
      current = real;
      stats = undefined;
    } else {
      current = next;
      stats = stat;
    }
  }
  // The root itself, or a symlink's target: one stat more.
  return {
    path: target,
    realPath: current,
    stats: stats ?? fs.statSync(current, { throwIfNoEntry: false }),
  };
}

const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * Writes `content` to `target` (absolute, under the root) without following
 * any symlink: every existing component below the root is checked with
 * lstat and a symlink refused, the directories are created, and the file is
 * opened with O_NOFOLLOW, so a link put there after the check fails the write
 * too. `mode` (default 0644) is set on the file.
 *
 * @public
 */
export function writeConfinedFile(
  root: ConfinedRoot,
  target: string,
  content: Buffer | string,
  options: { label: string; mode?: number },
): void {
  const entry = root.entryAt(root.root, target, {
    label: options.label,
    forWrite: true,
    symlinks: 'refuse',
  });
  fs.mkdirSync(path.dirname(entry.path), { recursive: true });
  let fd: number;
  try {
    fd = fs.openSync(
      entry.path,
      fs.constants.O_WRONLY |
        fs.constants.O_CREAT |
        fs.constants.O_TRUNC |
        NOFOLLOW,
      0o600,
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new InputError(
        `${options.label} became a symlink while it was written; refusing to write through it`,
      );
    }
    throw e;
  }
  try {
    fs.writeFileSync(fd, content);
    fs.fchmodSync(fd, (options.mode ?? 0o644) & 0o777);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads a regular file without following a symlink at its last component
 * (O_NOFOLLOW); the components before it must have been checked (a
 * {@link ConfinedRoot} entry in `refuse` mode, or a tree walk with lstat).
 * Returns the content and the permission bits. With `maxBytes`, a file
 * larger than that is refused with one line, and no more than `maxBytes`
 * and one byte are ever read (a file growing meanwhile included).
 *
 * @public
 */
export function readFileNoFollow(
  file: string,
  label: string,
  options: { maxBytes?: number } = {},
): { content: Buffer; mode: number } {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO put there after the caller's check would
    // otherwise block this thread until a writer comes; fstat refuses it.
    fd = fs.openSync(
      file,
      fs.constants.O_RDONLY | NOFOLLOW | (fs.constants.O_NONBLOCK ?? 0),
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new InputError(
        `${label} is a symlink; symlinks are not followed here: replace it with a regular file`,
      );
    }
    throw e;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new InputError(`${label} is not a regular file`);
    const { maxBytes } = options;
    if (maxBytes === undefined)
      return { content: fs.readFileSync(fd), mode: st.mode & 0o777 };
    const tooLarge = () =>
      new InputError(`${label} is larger than ${maxBytes} bytes`);
    if (st.size > maxBytes) throw tooLarge();
    const buf = Buffer.alloc(maxBytes + 1);
    let got = 0;
    for (;;) {
      const r = fs.readSync(fd, buf, got, buf.length - got, null);
      if (r === 0) break;
      got += r;
      if (got > maxBytes) throw tooLarge();
    }
    return { content: buf.subarray(0, got), mode: st.mode & 0o777 };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Copies the regular file `from` (checked by the caller, read without
 * following a symlink) to `to` under the root as {@link writeConfinedFile}
 * does, keeping its permission bits.
 *
 * @public
 */
export function copyConfinedFile(
  root: ConfinedRoot,
  from: string,
  to: string,
  label: string,
): void {
  const { content, mode } = readFileNoFollow(from, label);
  writeConfinedFile(root, to, content, { label, mode });
}

/**
 * The real path of the absolute path `target` when it exists and lies
 * (symlinks resolved on both sides) under one of `roots`; otherwise
 * undefined, the same for "does not exist" and "outside", so callers can
 * give one answer for both and tell nobody which server paths exist.
 *
 * @public
 */
export async function realPathUnderRoots(
  target: string,
  roots: string[],
): Promise<string | undefined> {
  if (
    typeof target !== 'string' ||
    target.includes('\0') ||
    !path.isAbsolute(target)
  )
    return undefined;
  let real: string;
  try {
    real = await fs.promises.realpath(target);
  } catch {
    return undefined;
  }
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = await fs.promises.realpath(root);
    } catch {
      continue;
    }
    if (isChildPathSafe(realRoot, real)) return real;
  }
  return undefined;
}
