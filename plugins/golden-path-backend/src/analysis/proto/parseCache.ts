import {
  parseProto,
  ProtoSyntaxError,
  type ProtoFile,
} from '@golden-path/plugin-golden-path-common';
import { createHash } from 'node:crypto';
import type { SourceTree } from '../sourceTree';

interface Parsed {
  result: ProtoFile | ProtoSyntaxError;
  bytes: number;
}

/**
 * Parsed `.proto` files by content: the services of one monorepo share its
 * `api/proto/` tree, and each service's analysis resolves its types against
 * every file of it, so without this every proto of a monorepo of n services
 * is parsed n times. The key is the SHA-256 of the bytes and the size limit,
 * so an edited file (or one renamed to hold other bytes) is parsed again and
 * nothing can serve a stale parse; a syntax error is kept like a parse.
 * Least recently used dropped beyond `maxEntries` or `maxBytes` of source.
 * The results are shared: callers must not change them (the analyses only
 * read them).
 */
export class ProtoParseCache {
  private readonly entries = new Map<string, Parsed>();
  /** The key of a buffer already hashed (the walk's content cache hands out the same buffers). */
  private readonly keys = new WeakMap<Buffer, string>();
  private bytes = 0;
  private hitCount = 0;
  private missCount = 0;

  constructor(
    private readonly limits: { maxEntries: number; maxBytes: number } = {
      maxEntries: 4096,
      maxBytes: 32 * 1024 * 1024,
    },
  ) {}

  /** `parseProto` of the content, from the cache when the same bytes were parsed before. */
  parse(content: Buffer, options: { maxBytes?: number } = {}): ProtoFile {
    let hash = this.keys.get(content);
    if (hash === undefined) {
      hash = createHash('sha256').update(content).digest('base64');
      this.keys.set(content, hash);
    }
    const key = `${options.maxBytes ?? ''}:${hash}`;
    let entry = this.entries.get(key);
    if (entry) {
      this.hitCount++;
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      this.missCount++;
      let result: ProtoFile | ProtoSyntaxError;
      try {
        result = parseProto(content.toString('utf8'), options);
      } catch (e) {
        if (!(e instanceof ProtoSyntaxError)) throw e;
        result = e;
      }
      entry = { result, bytes: content.length };
      this.entries.set(key, entry);
      this.bytes += entry.bytes;
      for (const [oldest, old] of this.entries) {
        if (
          this.entries.size <= this.limits.maxEntries &&
          this.bytes <= this.limits.maxBytes
        )
          break;
        this.entries.delete(oldest);
        this.bytes -= old.bytes;
      }
    }
    if (entry.result instanceof ProtoSyntaxError) throw entry.result;
    return entry.result;
  }

  /**
   * Parses the `.proto` files of a tree that are not cached yet, giving the
   * event loop back every `sliceMs`: the first service of a monorepo brings
   * the whole `api/proto/` tree, too much to parse in one turn. The
   * analysis that follows finds them parsed.
   */
  async warm(
    tree: SourceTree,
    options: { maxBytes?: number; sliceMs?: number } = {},
  ): Promise<void> {
    const sliceMs = options.sliceMs ?? 5;
    let sliceStart = performance.now();
    for (const [path, content] of tree.files) {
      if (!path.endsWith('.proto')) continue;
      if (performance.now() - sliceStart > sliceMs) {
        await new Promise<void>(resolve => setImmediate(resolve));
        sliceStart = performance.now();
      }
      try {
        this.parse(content, { maxBytes: options.maxBytes });
      } catch (e) {
        if (!(e instanceof ProtoSyntaxError)) throw e;
      }
    }
  }

  stats() {
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      hits: this.hitCount,
      misses: this.missCount,
    };
  }
}
