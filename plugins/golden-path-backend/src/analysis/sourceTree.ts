import type { InsightProblem } from '@golden-path/plugin-golden-path-common';
import fs from 'node:fs';
import path from 'node:path';
import { isUnder } from '@golden-path/plugin-golden-path-node';
import { GOLANGCI_CONFIG_NAMES } from './layers/dependencyRule';
import { BUF_CONFIG_NAMES, CONVENTIONAL_PROTO_ROOTS } from './proto/protoRoots';

/**
 * The files of a source tree that the analyses read, keyed by POSIX path
 * relative to the source root (the `backstage.io/source-location`).
 */
export interface SourceTree {
  files: Map<string, Buffer>;
  /** Files seen but not loaded (too large, binary, over the limits, symlinks leading out). */
  problems: InsightProblem[];
  /** Commit or ETag of the tree, when known. */
  revision?: string;
}

/** Limits applied while reading a source tree. */
export interface SourceTreeLimits {
  /** Most files loaded; more are reported once and skipped. Default 20000. */
  maxFiles?: number;
  /** Largest file loaded; larger ones are reported. Default 1 MiB. */
  maxFileBytes?: number;
  /** Most bytes loaded in total. Default 64 MiB. */
  maxTotalBytes?: number;
  /** Most directory entries looked at while walking a local tree. Default 200000. */
  maxEntries?: number;
}

/** Default limits of {@link SourceTreeLimits}. */
export const DEFAULT_SOURCE_TREE_LIMITS: Required<SourceTreeLimits> = {
  maxFiles: 20000,
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxEntries: 200000,
};

/** The folder of the template's record (see {@link recordedValuesPath}). */
const RECORD_DIR = '.golden-path';

const SKIPPED_DIRS = new Set([
  '.git',
  'node_modules',
  'vendor',
  'testdata',
  '.idea',
  '.vscode',
  'dist',
  'bin',
]);

/** The service name without a `-service` suffix, as used for `api/proto/<name>`. */
export function serviceBaseName(serviceDir: string): string {
  const last = serviceDir.split('/').filter(Boolean).pop() ?? '';
  return last.replace(/[-_]service$/i, '') || last;
}

/**
 * Where the monorepo keeps a service's protos: `api/proto/<name>/`, and the
 * Go service template's `api/proto/<name without - and _>/` (its proto
 * package, `order-history` → `orderhistory`).
 */
export function serviceProtoDirs(serviceDir: string): string[] {
  const base = serviceBaseName(serviceDir);
  if (!base) return [];
  return [...new Set([base, base.replace(/[-_]/g, '')])].map(
    b => `api/proto/${b}/`,
  );
}

/** Normalizes a service directory annotation value: POSIX, no leading `./` or `/`, no `..`. */
export function normalizeServiceDir(serviceDir: string): string {
  const parts = serviceDir
    .replace(/\\/g, '/')
    .split('/')
    .filter(p => p !== '' && p !== '.');
  if (parts.some(p => p === '..'))
    throw new Error(`service directory "${serviceDir}" must not contain ".."`);
  return parts.join('/');
}

/** Where the Go service template records its values: the mark of a service it made. */
export function recordedValuesPath(serviceDir: string): string {
  const dir = normalizeServiceDir(serviceDir);
  return dir ? `${dir}/.golden-path/values.json` : '.golden-path/values.json';
}

/** The monorepo's proto root: every service's API and the shared protos (`common/v1`) its imports resolve to. */
export const MONOREPO_PROTO_ROOT = 'api/proto/';

/** What else a read of the insights' files takes in. */
export interface InsightsReadOptions {
  /**
   * Proto roots outside the service (from its buf configs, see
   * `findProtoRoots`) whose protos are read; default the conventional
   * proto/, protos/ and api/protobuf/ at the source root (CONVENTIONAL_PROTO_ROOTS).
   */
  protoRoots?: string[];
}

/**
 * Decides which files of the source root the insights need: the service's
 * `.go`, `.proto`, `.sql`, `go.mod` and `atlas.sum` files, the `go.mod` and
 * `go.work` files of the directories above it, the buf configs there, and
 * the repository's protos: the monorepo's (the service's, see
 * {@link serviceProtoDirs}, and the rest of {@link MONOREPO_PROTO_ROOT}, which
 * its imports resolve to) and those of the proto roots (see
 * {@link InsightsReadOptions}).
 */
export function createInsightsFileFilter(
  serviceDir: string,
  options: InsightsReadOptions = {},
): (relPath: string) => boolean {
  const dir = normalizeServiceDir(serviceDir);
  const prefix = dir ? `${dir}/` : '';
  // go.mod, go.work, golangci-lint configs (the dependency rule) and buf
  // configs (the proto roots) at or above the service
  const names = [
    'go.mod',
    'go.work',
    ...GOLANGCI_CONFIG_NAMES,
    ...BUF_CONFIG_NAMES,
  ];
  const ancestorsGoMod = new Set<string>(names);
  const parts = dir ? dir.split('/') : [];
  for (let i = 1; i <= parts.length; i++) {
    const at = parts.slice(0, i).join('/');
    for (const name of names) ancestorsGoMod.add(`${at}/${name}`);
  }
  const protoRoots = [
    MONOREPO_PROTO_ROOT,
    ...(options.protoRoots ?? CONVENTIONAL_PROTO_ROOTS).map(r =>
      r ? `${r}/` : '',
    ),
  ];
  const values = recordedValuesPath(dir);
  return (relPath: string) => {
    if (ancestorsGoMod.has(relPath) || relPath === values) return true;
    const segments = relPath.split('/');
    if (segments.some(s => SKIPPED_DIRS.has(s))) return false;
    if (
      relPath.endsWith('.proto') &&
      protoRoots.some(r => relPath.startsWith(r))
    )
      return true;
    if (!relPath.startsWith(prefix)) return false;
    return (
      /\.(go|proto|sql)$/.test(relPath) ||
      // modules below the service (their own go.mod), see findServiceModules
      relPath.endsWith('/go.mod') ||
      relPath.endsWith('/atlas.sum') ||
      relPath === `${prefix}atlas.sum`
    );
  };
}

/**
 * Decides which directories of the source root can hold files the insights
 * need (see {@link createInsightsFileFilter}): the service directory and the
 * monorepo's proto root, what is below them, and the directories on
 * the way there. A local walk skips every other directory, so the rest of a
 * large monorepo costs nothing.
 */
export function createInsightsDirFilter(
  serviceDir: string,
  options: InsightsReadOptions = {},
): (relDir: string) => boolean {
  const dir = normalizeServiceDir(serviceDir);
  const roots = options.protoRoots ?? CONVENTIONAL_PROTO_ROOTS;
  if (!dir || roots.includes('')) return () => true;
  const targets = [dir, MONOREPO_PROTO_ROOT.slice(0, -1), ...roots];
  return (relDir: string) =>
    targets.some(
      t =>
        t === relDir ||
        t.startsWith(`${relDir}/`) ||
        relDir.startsWith(`${t}/`),
    );
}

/** `1572864` → `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(1))} ${units[unit]}`;
}

/** Whether the content looks binary (a NUL byte in the first 8000 bytes, like git). */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

/**
 * Collects files into a {@link SourceTree}, applying limits and skipping
 * binaries. Use it with any source of files (a UrlReader tree, a directory).
 */
export class SourceTreeBuilder {
  private readonly limits: Required<SourceTreeLimits>;
  private readonly tree: SourceTree = { files: new Map(), problems: [] };
  private total = 0;
  private overFiles = false;
  private overBytes = false;

  constructor(limits: SourceTreeLimits = {}) {
    this.limits = {
      maxFiles: limits.maxFiles ?? DEFAULT_SOURCE_TREE_LIMITS.maxFiles,
      maxFileBytes:
        limits.maxFileBytes ?? DEFAULT_SOURCE_TREE_LIMITS.maxFileBytes,
      maxTotalBytes:
        limits.maxTotalBytes ?? DEFAULT_SOURCE_TREE_LIMITS.maxTotalBytes,
      maxEntries: limits.maxEntries ?? DEFAULT_SOURCE_TREE_LIMITS.maxEntries,
    };
  }

  /** Whether a tree limit (files or bytes) was reached: nothing more will be loaded. */
  get full(): boolean {
    return this.overFiles || this.overBytes;
  }

  /** Whether a file of this size would be loaded; reports it when not. */
  accepts(relPath: string, size?: number): boolean {
    if (this.tree.files.size >= this.limits.maxFiles) {
      if (!this.overFiles) {
        this.overFiles = true;
        this.problem(
          'warning',
          'tree-too-many-files',
          `reading stopped at ${this.limits.maxFiles} files (goldenPath.insights.limits.maxFiles): the service has more, and the analysis covers only the first ${this.limits.maxFiles}`,
          relPath,
        );
      }
      return false;
    }
    if (size !== undefined && size > this.limits.maxFileBytes) {
      this.problem(
        'warning',
        'file-too-large',
        `${formatBytes(size)}, over the limit of ${formatBytes(
          this.limits.maxFileBytes,
        )} per file (goldenPath.insights.limits.maxFileBytes); not analysed`,
        relPath,
      );
      return false;
    }
    if (size !== undefined && this.total + size > this.limits.maxTotalBytes) {
      if (!this.overBytes) {
        this.overBytes = true;
        this.problem(
          'warning',
          'tree-too-large',
          `reading stopped at ${formatBytes(
            this.limits.maxTotalBytes,
          )} of files (goldenPath.insights.limits.maxTotalBytes): the analysis covers only what was read before`,
          relPath,
        );
      }
      return false;
    }
    return true;
  }

  /** Adds a file's content (checked again against the limits). */
  add(relPath: string, content: Buffer): void {
    if (!this.accepts(relPath, content.length)) return;
    if (isBinary(content)) {
      this.problem(
        'warning',
        'binary-file',
        'binary content (a NUL byte in the first 8000 bytes), not source text; not analysed',
        relPath,
      );
      return;
    }
    this.total += content.length;
    this.tree.files.set(relPath, content);
  }

  problem(
    severity: InsightProblem['severity'],
    code: string,
    message: string,
    relPath?: string,
  ): void {
    this.tree.problems.push({ severity, code, message, path: relPath });
  }

  build(revision?: string): SourceTree {
    return { ...this.tree, revision };
  }
}

/** Orders strings by UTF-16 code units, like `<`, without locale rules. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

interface CachedContent {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  content: Buffer;
}

/**
 * File contents a local walk read, by real path, served again only while
 * the file's `stat` (device, inode, size, modification and change times) is
 * the one seen when it was read: the services of a monorepo share its
 * `api/proto/` tree and its go.mod and golangci-lint files, which are then
 * read once, not once per service. The walk still stats every file, so an
 * edit (which changes mtime and ctime), a replacement or a rename is read
 * again. Least recently used dropped beyond `maxEntries` or `maxBytes`.
 * Nothing is opened here: the walk reads, after its own confinement checks.
 */
export class FileContentCache {
  private readonly entries = new Map<string, CachedContent>();
  private bytes = 0;

  constructor(
    private readonly limits: { maxEntries: number; maxBytes: number } = {
      maxEntries: 20_000,
      maxBytes: 16 * 1024 * 1024,
    },
  ) {}

  /** The content read before from `realPath`, when `st` shows the same file unchanged. */
  get(realPath: string, st: fs.Stats): Buffer | undefined {
    const e = this.entries.get(realPath);
    if (!e) return undefined;
    if (
      e.dev !== st.dev ||
      e.ino !== st.ino ||
      e.size !== st.size ||
      e.mtimeMs !== st.mtimeMs ||
      e.ctimeMs !== st.ctimeMs
    ) {
      this.delete(realPath);
      return undefined;
    }
    // most recently used last
    this.entries.delete(realPath);
    this.entries.set(realPath, e);
    return e.content;
  }

  /** Keeps what was read from `realPath` under the `stat` taken before reading it. */
  set(realPath: string, st: fs.Stats, content: Buffer): void {
    this.delete(realPath);
    if (content.length !== st.size || content.length > this.limits.maxBytes)
      return; // changed while read: not kept
    this.entries.set(realPath, {
      dev: st.dev,
      ino: st.ino,
      size: st.size,
      mtimeMs: st.mtimeMs,
      ctimeMs: st.ctimeMs,
      content,
    });
    this.bytes += content.length;
    for (const [oldest] of this.entries) {
      if (
        this.entries.size <= this.limits.maxEntries &&
        this.bytes <= this.limits.maxBytes
      )
        break;
      this.delete(oldest);
    }
  }

  stats() {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private delete(realPath: string) {
    const e = this.entries.get(realPath);
    if (!e) return;
    this.entries.delete(realPath);
    this.bytes -= e.content.length;
  }
}

/** What a local walk reads: files by path, and optionally which directories to enter. */
export interface LocalSourceTreeOptions extends SourceTreeLimits {
  /** Directories (relative, POSIX) worth entering; default all. */
  dirFilter?: (relDir: string) => boolean;
  /** Contents kept across walks, for the files `cacheable` names (see {@link FileContentCache}). */
  contentCache?: FileContentCache;
  /** Which files (relative, POSIX) go through `contentCache`; default none. */
  cacheable?: (relPath: string) => boolean;
}

/**
 * Reads the wanted files of a local directory. Symlinks are followed only
 * when their target lies inside `root` (files and directories alike), each
 * real directory is walked once, under its own path where it has one (so
 * symlink loops end, and are reported), and nothing outside `root` is ever
 * opened.
 */
export async function readLocalSourceTree(
  root: string,
  filter: (relPath: string) => boolean,
  options: LocalSourceTreeOptions = {},
): Promise<SourceTree> {
  const realRoot = await fs.promises.realpath(root);
  const builder = new SourceTreeBuilder(options);
  const wantsDir = options.dirFilter ?? (() => true);
  const relevant = (relPath: string) => filter(relPath) || wantsDir(relPath);
  const maxEntries =
    options.maxEntries ?? DEFAULT_SOURCE_TREE_LIMITS.maxEntries;
  // real directory → the relative path it was first walked as
  const visited = new Map<string, string>([[realRoot, '']]);
  let entries = 0;
  // breadth-first over [real directory, relative path]
  const queue: Array<[string, string]> = [[realRoot, '']];
  // Directories reached through a symlink are walked after every real one,
  // so a directory is read under its own path, not a link's (go list follows
  // no link): a link to a directory walked already adds nothing.
  const linked: Array<[string, string]> = [];
  for (;;) {
    let next = queue.shift();
    while (!next && linked.length) {
      const [real, relPath] = linked.shift()!;
      if (visited.has(real)) continue;
      visited.set(real, relPath);
      next = [real, relPath];
    }
    if (!next) break;
    const [dir, rel] = next;
    let names: fs.Dirent[];
    try {
      names = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (e) {
      builder.problem(
        'warning',
        'tree-unreadable',
        // The code only: the error's message names the server path.
        `cannot read directory (${
          (e as NodeJS.ErrnoException).code ?? 'unreadable'
        })`,
        rel || '.',
      );
      continue;
    }
    names.sort((a, b) => compareStrings(a.name, b.name));
    for (const d of names) {
      if (++entries > maxEntries) {
        builder.problem(
          'warning',
          'tree-too-many-entries',
          `the walk stopped after ${maxEntries} directory entries (goldenPath.insights.limits.maxEntries); files after this point were not read`,
          rel || '.',
        );
        return builder.build();
      }
      const relPath = rel ? `${rel}/${d.name}` : d.name;
      let abs = path.join(dir, d.name);
      let isDir = d.isDirectory();
      let isFile = d.isFile();
      if (d.isSymbolicLink()) {
        let real: string;
        try {
          real = await fs.promises.realpath(abs);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'ELOOP' && relevant(relPath))
            builder.problem(
              'warning',
              'symlink-loop',
              'symlink loop: the link resolves through links back to itself; not followed',
              relPath,
            );
          else if (filter(relPath))
            builder.problem(
              'warning',
              'symlink-dangling',
              `symlink to a missing file (${code ?? 'unresolvable'}); not read`,
              relPath,
            );
          continue;
        }
        if (!isUnder(realRoot, real)) {
          if (relevant(relPath))
            builder.problem(
              'warning',
              'symlink-outside',
              'symlink leads outside the source root; not followed',
              relPath,
            );
          continue;
        }
        const st = await fs.promises.stat(real);
        abs = real;
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      if (isDir) {
        // hidden folders hold no source; .golden-path holds the template's record
        if (
          SKIPPED_DIRS.has(d.name) ||
          (d.name.startsWith('.') && d.name !== RECORD_DIR)
        )
          continue;
        if (!wantsDir(relPath)) continue;
        // `abs` is real: a symlink's resolved target, or a directory entry
        // that is no link inside a directory walked by its real path
        const real = abs;
        const seenAs = visited.get(real);
        if (seenAs !== undefined) {
          if (d.isSymbolicLink() && isUnder(real, dir))
            builder.problem(
              'warning',
              'symlink-loop',
              `symlink loop: leads back to ${
                seenAs || 'the source root'
              }, which contains it; not followed`,
              relPath,
            );
          continue;
        }
        if (d.isSymbolicLink()) {
          linked.push([real, relPath]);
          continue;
        }
        visited.set(real, relPath);
        queue.push([real, relPath]);
        continue;
      }
      if (!isFile || !filter(relPath)) continue;
      const st = await fs.promises.stat(abs);
      if (!builder.accepts(relPath, st.size)) {
        if (builder.full) return builder.build(); // the limit is reported once
        continue;
      }
      const cache =
        options.contentCache && options.cacheable?.(relPath)
          ? options.contentCache
          : undefined;
      let content = cache?.get(abs, st);
      if (!content) {
        content = await fs.promises.readFile(abs);
        cache?.set(abs, st, content);
      }
      builder.add(relPath, content);
    }
  }
  return builder.build();
}
