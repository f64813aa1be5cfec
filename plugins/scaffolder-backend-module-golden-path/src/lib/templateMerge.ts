import {
  confinedRoot,
  readFileNoFollow,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { MergeResult } from './gitMergeFile';

/** What happens to one file of the renders. */
export type MergeOutcome =
  | { file: string; kind: 'added' | 'updated'; content: Buffer; mode: number }
  | { file: string; kind: 'merged'; content: Buffer; mode: number }
  | { file: string; kind: 'unchanged' }
  | { file: string; kind: 'deleted' }
  | {
      file: string;
      kind: 'conflict';
      reason: string;
      preview?: string;
      /** The file with conflict markers, when git merge-file made one. */
      content?: Buffer;
      mode?: number;
    };

/** Options of {@link planTemplateMerge}. */
export interface MergeOptions {
  /**
   * Files only the base render has (the template removed them): deleted
   * where the service has them as rendered, a conflict where it edited them.
   * Without it every such file is a conflict (a day-2 change only adds).
   */
  deleteRemoved?: boolean;
}

/** The three trees of a template update, as absolute directories. */
export interface MergeTrees {
  /** The render with the values the service was made with. */
  base: string;
  /** The render with the new values. */
  next: string;
  /** The service as it is now. */
  current: string;
}

/** Merges one file three-way (git merge-file in production, anything in tests). */
export type Merge3 = (
  current: string,
  base: string,
  next: string,
  file: string,
) => Promise<MergeResult>;

const MAX_MERGE_BYTES = 8 * 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function isText(buf: Buffer): boolean {
  if (buf.includes(0)) return false;
  try {
    utf8.decode(buf);
    return true;
  } catch {
    return false;
  }
}

const read = (p: string) => fs.readFileSync(p);

/**
 * Plans the update of `current` from `base` to `next`, file by file (paths
 * relative to the trees, in both renders' file lists):
 * - only in next: added, unless current has a different file there (conflict);
 * - the same in base and next: unchanged, whatever current holds;
 * - changed, and current equals base (or holds next already): next is taken;
 * - changed, and current was edited: merged three-way; conflicts are reported;
 * - changed, and current lacks the file (deleted by the team): conflict;
 * - only in base (the update would delete it): with `deleteRemoved`, deleted
 *   when current holds it as base rendered it, nothing when current lacks it,
 *   a conflict when the service edited it; without, always a conflict.
 * The renders' file lists come from a walk that refuses symlinks; the
 * service's files are read without following any symlink (a linked file, or
 * one in a linked directory, is refused with one line), so nothing outside
 * `current` reaches the plan or a conflict preview. Nothing is written here.
 */
export async function planTemplateMerge(
  trees: MergeTrees,
  baseFiles: string[],
  nextFiles: string[],
  merge3: Merge3,
  options: MergeOptions = {},
): Promise<MergeOutcome[]> {
  const inBase = new Set(baseFiles);
  const inNext = new Set(nextFiles);
  const outcomes: MergeOutcome[] = [];
  const abs = (tree: string, file: string) =>
    path.join(tree, ...file.split('/'));
  const service = confinedRoot(trees.current, {
    name: 'the service (current)',
  });
  /** The service's file, lstat-checked all the way: undefined when it has none. */
  const currentFile = (file: string) => {
    const entry = service.entry(file, {
      label: 'current file',
      symlinks: 'refuse',
    });
    return entry.stats?.isFile()
      ? readFileNoFollow(entry.path, `current file "${file}"`)
      : undefined;
  };
  for (const file of [...new Set([...baseFiles, ...nextFiles])].sort()) {
    const [b, n] = [abs(trees.base, file), abs(trees.next, file)];
    const c = path.join(service.root, ...file.split('/'));
    const mode = () => fs.statSync(n).mode & 0o777;
    if (!inNext.has(file)) {
      if (!options.deleteRemoved) {
        outcomes.push({
          file,
          kind: 'conflict',
          reason:
            'the new render no longer has this file; removing files is not supported',
        });
        continue;
      }
      const current = currentFile(file);
      if (!current) outcomes.push({ file, kind: 'unchanged' });
      else if (current.content.equals(read(b)))
        outcomes.push({ file, kind: 'deleted' });
      else
        outcomes.push({
          file,
          kind: 'conflict',
          reason:
            'the template removed this file, and the service edited it; it is kept',
        });
      continue;
    }
    const nextContent = read(n);
    if (!inBase.has(file)) {
      const current = currentFile(file);
      if (!current)
        outcomes.push({
          file,
          kind: 'added',
          content: nextContent,
          mode: mode(),
        });
      else if (current.content.equals(nextContent))
        outcomes.push({ file, kind: 'unchanged' });
      else
        outcomes.push({
          file,
          kind: 'conflict',
          reason: 'it already exists in the service with other content',
        });
      continue;
    }
    const baseContent = read(b);
    if (baseContent.equals(nextContent)) {
      outcomes.push({ file, kind: 'unchanged' });
      continue;
    }
    const current = currentFile(file);
    if (!current) {
      outcomes.push({
        file,
        kind: 'conflict',
        reason: 'the service deleted this file, and the update changes it',
      });
      continue;
    }
    const currentContent = current.content;
    if (currentContent.equals(baseContent)) {
      outcomes.push({
        file,
        kind: 'updated',
        content: nextContent,
        mode: current.mode,
      });
      continue;
    }
    if (currentContent.equals(nextContent)) {
      outcomes.push({ file, kind: 'unchanged' });
      continue;
    }
    if (![baseContent, nextContent, currentContent].every(isText)) {
      outcomes.push({
        file,
        kind: 'conflict',
        reason: 'a binary file changed both in the service and in the update',
      });
      continue;
    }
    if (
      [baseContent, nextContent, currentContent].some(
        x => x.length > MAX_MERGE_BYTES,
      )
    ) {
      outcomes.push({
        file,
        kind: 'conflict',
        reason: `larger than ${
          MAX_MERGE_BYTES / 1048576
        } MiB: too large to merge`,
      });
      continue;
    }
    const merged = await merge3(c, b, n, file);
    if (merged.conflicts > 0) {
      outcomes.push({
        file,
        kind: 'conflict',
        reason: `${merged.conflicts} conflicting change${
          merged.conflicts === 1 ? '' : 's'
        } between the service's edits and the update`,
        preview: conflictHunks(merged.content.toString('utf8')),
        content: merged.content,
        mode: current.mode,
      });
    } else if (merged.content.equals(currentContent)) {
      outcomes.push({ file, kind: 'unchanged' });
    } else {
      outcomes.push({
        file,
        kind: 'merged',
        content: merged.content,
        mode: current.mode,
      });
    }
  }
  return outcomes;
}

/** The conflict hunks of a merged file (markers included), at most 40 lines. */
export function conflictHunks(merged: string): string {
  const lines = merged.split('\n');
  const out: string[] = [];
  let inside = false;
  for (const [i, line] of lines.entries()) {
    if (line.startsWith('<<<<<<< ')) {
      inside = true;
      out.push(`@@ line ${i + 1}`);
    }
    if (inside) out.push(line);
    if (line.startsWith('>>>>>>> ')) inside = false;
    if (out.length >= 40) {
      out.push('…');
      break;
    }
  }
  return out.join('\n');
}
