import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** An insights response ready to send: its JSON, gzipped, and its ETag. */
export interface ResponseBody {
  json: Buffer;
  gzip: Buffer;
  etag: string;
}

/** The bytes an entry holds: its JSON and its gzip. */
const size = (b: ResponseBody) => b.json.length + b.gzip.length;

/**
 * The serialized insights responses of the entities loaded last, kept for
 * a few seconds so a cached load neither parses the cached insights nor
 * serializes and compresses them again. Bounded by `maxBytes` (JSON and
 * gzip counted), least recently used dropped first. Only what a request
 * that passed its access check is answered with is kept, by entity: the
 * insights are the same for every user who may read them.
 */
export class ResponseBodies {
  private readonly entries = new Map<
    string,
    { body: ResponseBody; expiresAt: number }
  >();
  private bytes = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Serializes a response (the ETag a hash of the JSON; gzip off the event loop). */
  static async of(value: unknown): Promise<ResponseBody> {
    const json = Buffer.from(JSON.stringify(value));
    return {
      json,
      gzip: await gzipAsync(json),
      etag: `W/"${createHash('sha1')
        .update(json)
        .digest('base64url')
        .slice(0, 27)}"`,
    };
  }

  get(key: string): ResponseBody | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.drop(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.keep(key, entry);
    return entry.body;
  }

  set(key: string, body: ResponseBody): void {
    this.drop(key);
    if (this.ttlMs <= 0 || size(body) > this.maxBytes) return;
    this.keep(key, { body, expiresAt: this.now() + this.ttlMs });
    for (const k of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k);
    }
  }

  /** Entries and bytes held. */
  stats(): { entries: number; bytes: number; maxBytes: number } {
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
    };
  }

  private keep(key: string, entry: { body: ResponseBody; expiresAt: number }) {
    this.entries.set(key, entry);
    this.bytes += size(entry.body);
  }

  private drop(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= size(entry.body);
  }
}
