import type {
  UrlReaderService,
  UrlReaderServiceReadUrlResponse,
} from '@backstage/backend-plugin-api';
import {
  confinedRoot,
  readFileNoFollow,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import {
  parseRecordedTemplateVersion,
  RecordedTemplateVersion,
} from './fleetSummary';
import { resolveLocalLocation, SourceLocation } from './sourceLocation';

/** Where the Go service template records its values, under the service directory. */
export const RECORDED_VALUES = '.golden-path/values.json';
/** values.json is a few kilobytes; anything much larger is not the template's. */
export const MAX_VALUES_BYTES = 256 * 1024;
const MAX_BRANCHES = 20;

/** What the fleet reads from a service's source besides its insights. */
export interface FleetSourceFacts {
  template?: RecordedTemplateVersion;
  /** Why the recorded version could not be read, in one line. */
  templateProblem?: string;
  upgradeBranches: string[];
}

/**
 * `relative` of the monorepo `repo` through the confinement primitive: a
 * symlink on the way (the service directory, .golden-path, the file) is
 * refused, never followed into another monorepo under the roots.
 */
async function readLocalFile(
  repo: string,
  relative: string,
): Promise<string | undefined> {
  const label = relative;
  const entry = confinedRoot(repo, { name: 'the monorepo' }).entry(relative, {
    label: 'recorded values',
    symlinks: 'refuse',
  });
  if (!entry.stats?.isFile()) return undefined;
  if (entry.stats.size > MAX_VALUES_BYTES) throw tooLarge(relative);
  // capped again while read: the file may have grown since it was looked at
  let content: Buffer;
  try {
    content = readFileNoFollow(entry.path, label, {
      maxBytes: MAX_VALUES_BYTES,
    }).content;
  } catch (e) {
    if (/is larger than/.test(String((e as Error)?.message)))
      throw tooLarge(relative);
    throw e;
  }
  return content.toString('utf8');
}

/** The one line for a values.json over the limit, naming it and the limit. */
function tooLarge(where: string): Error {
  return new Error(
    `${where} is larger than ${MAX_VALUES_BYTES} bytes (256 KiB), the most read of it: the template writes a few kilobytes there; restore the file the template rendered`,
  );
}

/** How long reading a values.json may take, its request included. */
export const VALUES_READ_TIMEOUT_MS = 10_000;

/**
 * The deadline of a read, its request included: AbortSignal.timeout(ms)
 * with a reason (still a TimeoutError) that says what timed out in one line.
 */
export function readDeadline(ms: number): AbortSignal {
  const deadline = new AbortController();
  setTimeout(() => {
    const line = `the answer did not end within ${ms} ms`;
    deadline.abort(new DOMException(line, 'TimeoutError'));
  }, ms).unref();
  return deadline.signal;
}

/**
 * The body of a UrlReader response, read at most `max` bytes: through its
 * stream, stopped (and the request aborted) at the first byte over, so a
 * huge or endless file costs at most the limit. `undefined` when over. A
 * reader without `stream()` is read whole by its `buffer()`, then checked.
 * With a `deadline` (see readDeadline), a body that stalls past it fails
 * with the deadline's reason and its request is aborted.
 */
export async function readAtMost(
  response: UrlReaderServiceReadUrlResponse,
  max: number,
  abort?: AbortController,
  deadline?: AbortSignal,
): Promise<Buffer | undefined> {
  if (!response.stream) {
    const whole = await response.buffer();
    return whole.length > max ? undefined : whole;
  }
  const stream = response.stream();
  // Some readers pipe their body through a transform (Gerrit's base64
  // decoding): destroying ours leaves the source, which the abort below
  // would then error with no listener, crashing the process.
  stream.on('unpipe', (source: NodeJS.ReadableStream) => {
    source.on('error', () => {});
    (source as { destroy?: () => void }).destroy?.();
  });
  let stalled = false;
  const onDeadline = () => {
    stalled = true;
    stream.destroy(deadline?.reason);
    abort?.abort();
  };
  if (deadline?.aborted) onDeadline();
  else deadline?.addEventListener('abort', onDeadline, { once: true });
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      total += buf.length;
      if (total > max) return undefined;
      chunks.push(buf);
    }
  } finally {
    deadline?.removeEventListener('abort', onDeadline);
    // a no-op once the stream ended; otherwise it stops reading now
    stream.destroy();
    if (total > max) abort?.abort();
  }
  if (stalled) throw deadline?.reason;
  return Buffer.concat(chunks, total);
}

/**
 * The branches of a local monorepo holding an upgrade of the service that
 * is not in its checked-out tree yet: `golden-path/upgrade-<service>-<12
 * hex of the revision>[-conflicts]` (the upgrade template's branch), whose
 * revision is not the one the service records. Read from `.git/refs` and
 * `.git/packed-refs`, without running git.
 */
export async function openUpgradeBranches(
  repoDir: string,
  serviceName: string,
  recordedRevision: string | undefined,
): Promise<string[]> {
  // Through the confinement primitive, symlinks refused and skipped: a
  // .git, refs directory or packed-refs that is a link would list another
  // repository's branches (or read a host file). Best effort: none then.
  let repo: ReturnType<typeof confinedRoot>;
  try {
    repo = confinedRoot(repoDir, { name: 'the monorepo' });
  } catch {
    return [];
  }
  const at = (rel: string) => {
    try {
      return repo.entry(rel, { label: rel, symlinks: 'refuse' });
    } catch {
      return undefined;
    }
  };
  if (!at('.git')?.stats?.isDirectory()) return [];
  const prefix = `upgrade-${serviceName}-`;
  const names = new Set<string>();
  const refs = at('.git/refs/heads/golden-path');
  const loose = refs?.stats?.isDirectory()
    ? await fs.promises.readdir(refs.path).catch(() => [] as string[])
    : [];
  for (const n of loose) if (n.startsWith(prefix)) names.add(n);
  const packedRefs = at('.git/packed-refs');
  let packed = '';
  if (packedRefs?.stats?.isFile()) {
    try {
      packed = readFileNoFollow(
        packedRefs.path,
        'packed-refs',
      ).content.toString('utf8');
    } catch {
      packed = '';
    }
  }
  for (const line of packed.split('\n')) {
    const m = / refs\/heads\/golden-path\/(\S+)$/.exec(line);
    if (m && m[1].startsWith(prefix)) names.add(m[1]);
  }
  const current = recordedRevision?.startsWith('sha256-')
    ? recordedRevision.slice(7, 19)
    : undefined;
  return [...names]
    .filter(n => {
      const m = /^([0-9a-f]{12})(-conflicts)?$/.exec(n.slice(prefix.length));
      return m && m[1] !== current;
    })
    .sort()
    .slice(0, MAX_BRANCHES)
    .map(n => `golden-path/${n}`);
}

/**
 * Reads the template version a service recorded and, for a local monorepo,
 * its open upgrade branches. Never throws: a problem is a line in
 * `templateProblem`.
 */
export async function readFleetSourceFacts(options: {
  location: SourceLocation;
  serviceDir: string;
  urlReader: UrlReaderService;
  localRoots: string[];
}): Promise<FleetSourceFacts> {
  const { location, serviceDir, urlReader, localRoots } = options;
  const relative = `${serviceDir ? `${serviceDir}/` : ''}${RECORDED_VALUES}`;
  try {
    if (location.type === 'dir') {
      const repo = await resolveLocalLocation(location.target, localRoots);
      const text = await readLocalFile(repo, relative);
      const template =
        text === undefined ? undefined : parseRecordedTemplateVersion(text);
      return {
        template,
        upgradeBranches: await openUpgradeBranches(
          repo,
          path.posix.basename(serviceDir),
          template?.revision,
        ),
      };
    }
    // Each segment encoded: a URL resolves %2e%2e as "..", which would climb
    // out of the repository the provenance rule checked (the service
    // directory is the entity author's annotation).
    const url = new URL(
      relative.split('/').map(encodeURIComponent).join('/'),
      location.target,
    ).toString();
    const abort = new AbortController();
    const deadline = readDeadline(VALUES_READ_TIMEOUT_MS);
    const response = await urlReader.readUrl(url, {
      signal: AbortSignal.any([abort.signal, deadline]),
    });
    const buffer = await readAtMost(
      response,
      MAX_VALUES_BYTES,
      abort,
      deadline,
    );
    if (!buffer) throw tooLarge(`${relative} (${url})`);
    return {
      template: parseRecordedTemplateVersion(buffer.toString('utf8')),
      upgradeBranches: [],
    };
  } catch (e) {
    const name = (e as Error)?.name;
    if (name === 'NotFoundError') return { upgradeBranches: [] };
    return {
      templateProblem: String((e as Error)?.message ?? e).split('\n')[0],
      upgradeBranches: [],
    };
  }
}
