import type { InsightProblem } from '@golden-path/plugin-golden-path-common';
import type { SourceTree } from '../../analysis';

/**
 * A source tree as one message to a worker: every file's bytes in one
 * buffer, which is moved to the worker rather than copied.
 */
export interface PackedSourceTree {
  paths: string[];
  /** Where each file's bytes end in `bytes`, in the order of `paths`. */
  ends: number[];
  bytes: ArrayBuffer;
  problems: InsightProblem[];
  revision?: string;
}

export function packSourceTree(tree: SourceTree): PackedSourceTree {
  let total = 0;
  for (const content of tree.files.values()) total += content.byteLength;
  const bytes = new Uint8Array(total);
  const paths: string[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const [path, content] of tree.files) {
    bytes.set(content, at);
    at += content.byteLength;
    paths.push(path);
    ends.push(at);
  }
  return {
    paths,
    ends,
    bytes: bytes.buffer,
    problems: tree.problems,
    revision: tree.revision,
  };
}

export function unpackSourceTree(packed: PackedSourceTree): SourceTree {
  const files = new Map<string, Buffer>();
  let start = 0;
  packed.paths.forEach((path, i) => {
    const end = packed.ends[i];
    files.set(path, Buffer.from(packed.bytes, start, end - start));
    start = end;
  });
  return { files, problems: packed.problems, revision: packed.revision };
}
