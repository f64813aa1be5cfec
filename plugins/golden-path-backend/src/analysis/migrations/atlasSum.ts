import type { AtlasSumInsight } from '@golden-path/plugin-golden-path-common';
import { createHash } from 'node:crypto';

/** A migration file: its name (no directory) and raw bytes. */
export interface AtlasMigrationFile {
  name: string;
  content: Buffer;
}

/** One line of atlas.sum: a file name and its running hash (base64, without `h1:`). */
export interface AtlasSumEntry {
  name: string;
  hash: string;
}

// The same expression as Atlas's reDirective (sql/migrate/dir.go): a directive
// on the first line of the file, e.g. `-- atlas:sum ignore`.
const RE_DIRECTIVE = /^([ -~]*)atlas:(\w+)(?: +([ -~]*))*/;

/** Whether the file opts out of the sum (`atlas:sum ignore` on its first line), as Atlas decides. */
export function isAtlasSumIgnored(content: Buffer): boolean {
  // latin1 keeps one character per byte, like Go's string(bytes) under RE2's ASCII classes
  const m = RE_DIRECTIVE.exec(content.toString('latin1'));
  return !!m && m[2] === 'sum' && m[3] === 'ignore';
}

/** Sorts names like Go's sort over strings (byte order). */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The migration files Atlas hashes from a directory listing: top-level `*.sql`
 * files in byte order (Atlas's LocalDir.Files).
 */
export function selectAtlasMigrationFiles(
  files: AtlasMigrationFile[],
): AtlasMigrationFile[] {
  return files
    .filter(f => !f.name.includes('/') && f.name.endsWith('.sql'))
    .sort((a, b) => byteOrder(a.name, b.name));
}

/**
 * Computes atlas.sum entries exactly as Atlas's `migrate.NewHashFile`: one
 * running SHA-256; for each file (in order) the name is written, then,
 * unless the file is `atlas:sum ignore`d, its content, and the running digest
 * so far is the file's entry.
 */
export function computeAtlasHashFile(
  files: AtlasMigrationFile[],
): AtlasSumEntry[] {
  const h = createHash('sha256');
  const entries: AtlasSumEntry[] = [];
  for (const f of files) {
    h.update(Buffer.from(f.name, 'utf8'));
    if (isAtlasSumIgnored(f.content)) continue;
    h.update(f.content);
    entries.push({ name: f.name, hash: h.copy().digest('base64') });
  }
  return entries;
}

/** The total of a hash file (Atlas's HashFile.Sum): SHA-256 over every name and hash, base64. */
export function atlasSumTotal(entries: AtlasSumEntry[]): string {
  const h = createHash('sha256');
  for (const e of entries) {
    h.update(Buffer.from(e.name, 'utf8'));
    h.update(Buffer.from(e.hash, 'utf8'));
  }
  return h.digest('base64');
}

/** Formats entries as the atlas.sum file Atlas writes. */
export function formatAtlasSum(entries: AtlasSumEntry[]): string {
  return `h1:${atlasSumTotal(entries)}\n${entries
    .map(e => `${e.name} h1:${e.hash}\n`)
    .join('')}`;
}

/** Why an atlas.sum could not be read. */
export class AtlasSumFormatError extends Error {
  constructor(message: string, readonly kind: 'format' | 'total') {
    super(message);
    this.name = 'AtlasSumFormatError';
  }
}

/**
 * Parses atlas.sum like Atlas's HashFile.UnmarshalText: the first line is the
 * total, every other line `name h1:hash`; the total must match the entries.
 */
export function parseAtlasSum(text: string): {
  total: string;
  entries: AtlasSumEntry[];
} {
  // bufio.Scanner splits on \n and drops a trailing \r
  const lines = text
    .split('\n')
    .map(l => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const total = (lines[0] ?? '').replace(/^h1:/, '');
  const entries: AtlasSumEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    const at = lines[i].indexOf('h1:');
    if (at < 0)
      throw new AtlasSumFormatError(
        `atlas.sum line ${i + 1} is not "<file> h1:<hash>"`,
        'format',
      );
    entries.push({
      name: lines[i].slice(0, at).trim(),
      hash: lines[i].slice(at + 3),
    });
  }
  if (total !== atlasSumTotal(entries)) {
    throw new AtlasSumFormatError(
      'the total on the first line of atlas.sum does not match its entries (checksum mismatch)',
      'total',
    );
  }
  return { total, entries };
}

/**
 * Checks a migration directory against its atlas.sum the way
 * `atlas migrate validate` does (Atlas's migrate.Validate), and also lists
 * every added, edited and removed file.
 */
export function verifyAtlasSum(
  files: AtlasMigrationFile[],
  sumText: string | undefined,
): AtlasSumInsight {
  const selected = selectAtlasMigrationFiles(files);
  const result: AtlasSumInsight = {
    status: 'ok',
    added: [],
    edited: [],
    removed: [],
  };
  if (sumText === undefined) {
    if (selected.length > 0) {
      result.status = 'missing';
      result.message = 'atlas.sum is missing; run `atlas migrate hash`';
    } else {
      // nothing was verified: no file and no sum is no "ok"
      result.status = 'none';
      result.message =
        'no migration files and no atlas.sum: nothing for Atlas to check';
    }
    return result;
  }
  let expected: AtlasSumEntry[];
  try {
    expected = parseAtlasSum(sumText).entries;
  } catch (e) {
    result.status = 'invalid';
    result.message = (e as Error).message;
    return result;
  }
  const actual = computeAtlasHashFile(selected);
  if (atlasSumTotal(actual) === atlasSumTotal(expected)) return result;

  result.status = 'mismatch';
  // Atlas reports the first difference, walking the sum file.
  let first: AtlasSumInsight['mismatch'];
  for (let i = 0; i < expected.length; i++) {
    const h = expected[i];
    if (
      actual.length > i &&
      actual[i].name === h.name &&
      actual[i].hash === h.hash
    )
      continue;
    const idx = actual.findIndex(e => e.name === h.name);
    if (idx < 0) first = { file: h.name, reason: 'removed', line: i + 2 };
    else if (idx === i) first = { file: h.name, reason: 'edited', line: i + 2 };
    else first = { file: actual[i].name, reason: 'added', line: i + 2 };
    break;
  }
  if (!first)
    first = {
      file: actual[expected.length].name,
      reason: 'added',
      line: expected.length + 2,
    };
  result.mismatch = first;

  // Every difference: names present on one side only, and files whose own
  // bytes changed (recomputing the running hash from the recorded predecessor).
  const expectedNames = new Map(expected.map((e, i) => [e.name, i]));
  const actualNames = new Set(actual.map(e => e.name));
  result.added = actual
    .filter(e => !expectedNames.has(e.name))
    .map(e => e.name);
  result.removed = expected
    .filter(e => !actualNames.has(e.name))
    .map(e => e.name);
  result.edited = editedFiles(selected, expected);
  result.message = `atlas.sum does not match the migration files: ${first.file} was ${first.reason}; run \`atlas migrate hash\` if the change is intended`;
  return result;
}

/**
 * The file whose content differs from what was hashed. The running hash hides
 * which bytes changed, so replay the recorded sequence (skipping files added
 * since) and find the first file whose hash on top of the same predecessors
 * differs from its entry. Later files cannot be told apart after that (and
 * after a removed file), so, like Atlas, only the first edit is named.
 */
function editedFiles(
  files: AtlasMigrationFile[],
  expected: AtlasSumEntry[],
): string[] {
  const recorded = new Map(expected.map(e => [e.name, e.hash]));
  const present = new Set(files.map(f => f.name));
  const removed = expected.filter(e => !present.has(e.name)).map(e => e.name);
  const h = createHash('sha256');
  for (const f of files) {
    if (removed.some(r => byteOrder(r, f.name) < 0)) return []; // chain broken by a removal
    const hash = recorded.get(f.name);
    if (isAtlasSumIgnored(f.content)) {
      if (hash !== undefined) return [f.name]; // hashed then, opts out now
      h.update(Buffer.from(f.name, 'utf8'));
      continue;
    }
    if (hash === undefined) continue; // added since
    h.update(Buffer.from(f.name, 'utf8'));
    h.update(f.content);
    if (h.copy().digest('base64') !== hash) return [f.name];
  }
  return [];
}
