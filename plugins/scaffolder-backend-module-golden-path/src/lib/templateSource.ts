import { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  readTemplateMetadata,
  shortVersion as short,
  skeletonParts,
  skeletonRevision,
  TemplateVersion,
  VERSIONS_DIR,
} from './templateVersions';

/**
 * Where a template is read from (docs/template-versions.md): a local
 * directory (a `file:` location, skeletons kept in its `.versions` store), or
 * a directory of a GitHub or Gitea repository at a branch (a URL location,
 * skeletons read back at the commit a service recorded).
 */
export type TemplateLocation =
  | { kind: 'local'; dir: string }
  | { kind: 'git'; type: 'github' | 'gitea'; url: string };

/** The git source a service records: the template directory's URL at its branch, and the commit read. */
export interface TemplateSource {
  url: string;
  commit: string;
}

/** A full git commit id, the only thing an upgrade takes from a service's record to read the template. */
export const COMMIT = /^[0-9a-f]{40}$/;
const PART = /^skeleton(-[a-z0-9]+)*$/;
const CHILD = /^(\.\/)?[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/**
 * The location of the template whose file is `baseUrl`
 * (ctx.templateInfo.baseUrl); undefined for a location neither local nor a
 * GitHub or Gitea integration's.
 */
export function templateLocationOf(
  baseUrl: string | undefined,
  integrations: ScmIntegrationRegistry,
): TemplateLocation | undefined {
  if (!baseUrl) return undefined;
  if (baseUrl.startsWith('file:'))
    return { kind: 'local', dir: path.dirname(fileURLToPath(baseUrl)) };
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const type = integrations.byUrl(url)?.type;
  if (type !== 'github' && type !== 'gitea') return undefined;
  url.search = '';
  url.hash = '';
  return { kind: 'git', type, url: new URL('.', url).href.replace(/\/$/, '') };
}

/**
 * The directory `rel` (./go-service) inside the template directory `dirUrl`:
 * a plain relative path, never `..`, so a template only names its own
 * subdirectories.
 */
export function childTemplateUrl(dirUrl: string, rel: string): string {
  if (!CHILD.test(rel))
    throw new InputError(
      `template: "${rel.slice(
        0,
        80,
      )}" is not a directory inside the running template's directory; name one relative to it, like ./go-service`,
    );
  return `${dirUrl}/${rel.replace(/^\.\//, '')}`;
}

/**
 * `dirUrl` (a template directory at a branch) at `commit` instead: GitHub's
 * tree URL /<owner>/<repo>/tree/<commit>/<path>, Gitea's
 * /<owner>/<repo>/src/commit/<commit>/<path>. Both forges' UrlReaders take a
 * commit where the branch was (they resolve the ref through the forge's API).
 */
export function pinnedUrl(
  dirUrl: string,
  commit: string,
  integrations: ScmIntegrationRegistry,
): string {
  if (!COMMIT.test(commit))
    throw new InputError(
      `"${String(commit).slice(0, 80)}" is not a git commit (40 hex digits)`,
    );
  const integration = integrations.byUrl(dirUrl);
  const bad = () =>
    new InputError(
      `${dirUrl} is not a ${
        integration?.type ?? 'GitHub or Gitea'
      } URL of a directory at a branch (<owner>/<repo>/${
        integration?.type === 'gitea' ? 'src/branch' : 'tree'
      }/<branch>/<path>); register the template from such a URL`,
    );
  if (integration?.type === 'gitea') {
    const base = integrations.gitea.byUrl(dirUrl)?.config.baseUrl;
    if (!base || !dirUrl.startsWith(`${base}/`)) throw bad();
    const seg = dirUrl.slice(base.length + 1).split('/');
    if (seg.length < 5 || seg[2] !== 'src' || !seg[4]) throw bad();
    return [base, seg[0], seg[1], 'src', 'commit', commit, ...seg.slice(5)]
      .join('/')
      .replace(/\/$/, '');
  }
  if (integration?.type === 'github') {
    const url = new URL(dirUrl);
    const seg = url.pathname.split('/').slice(1);
    if (seg.length < 4 || !['tree', 'blob'].includes(seg[2]) || !seg[3])
      throw bad();
    url.pathname = ['', seg[0], seg[1], 'tree', commit, ...seg.slice(4)].join(
      '/',
    );
    return url.href.replace(/\/$/, '');
  }
  throw bad();
}

/** A template directory read from its git source: its commit, skeleton revision and parts, and its template.yaml's name and version. */
export interface GitTemplate {
  commit: string;
  revision: string;
  parts: string[];
  metadata?: Omit<TemplateVersion, 'revision'>;
  /** What options.inspect returned for the extracted directory. */
  inspected?: string[];
}

/**
 * Reads the skeleton directories (and template.yaml) of the template
 * directory `url` with the backend's UrlReader; the tree's etag is the
 * commit (GitHub's and Gitea's readers resolve the ref to its sha). With
 * `commit`, the read must be that commit.
 */
export async function readGitTemplate(
  reader: UrlReaderService,
  url: string,
  options: {
    commit?: string;
    signal?: AbortSignal;
    commitOnly?: boolean;
    /** Reads what else the caller needs from the extracted template directory (its skeleton parts given), before it is removed. */
    inspect?: (dir: string, parts: string[]) => string[];
  } = {},
): Promise<GitTemplate> {
  const tree = await reader.readTree(url, {
    filter: p =>
      !options.commitOnly &&
      (p === 'template.yaml' || PART.test(p.split('/')[0])),
    signal: options.signal as any,
  });
  const commit = tree.etag;
  if (!COMMIT.test(commit))
    throw new Error(
      `${url} was read without its commit (the reader's etag is "${String(
        commit,
      ).slice(0, 80)}", not a 40-hex sha)`,
    );
  if (options.commit && commit !== options.commit)
    throw new Error(
      `${url} was read at ${commit}, not at the commit ${options.commit}`,
    );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-template-'));
  try {
    await tree.dir({ targetDir: tmp });
    const file = path.join(tmp, 'template.yaml');
    const parts = skeletonParts(tmp);
    return {
      commit,
      revision: skeletonRevision(tmp),
      parts,
      metadata: fs.existsSync(file) ? readTemplateMetadata(file) : undefined,
      ...(options.inspect ? { inspected: options.inspect(tmp, parts) } : {}),
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The template directory `url` (at its branch) as a service records it: the
 * branch is resolved to its commit, and the skeletons are read at that
 * commit, so the revision is exactly that commit's.
 */
export async function readGitTemplateAtHead(
  reader: UrlReaderService,
  integrations: ScmIntegrationRegistry,
  url: string,
  signal?: AbortSignal,
  inspect?: (dir: string, parts: string[]) => string[],
): Promise<GitTemplate & { pinned: string }> {
  // The first read resolves the branch (its files are not extracted), the
  // second reads that commit: a push in between cannot mix two commits.
  const head = await readGitTemplate(reader, url, { signal, commitOnly: true });
  const pinned = pinnedUrl(url, head.commit, integrations);
  return {
    ...(await readGitTemplate(reader, pinned, {
      commit: head.commit,
      signal,
      inspect,
    })),
    pinned,
  };
}

/** A template version with the git source it was read from, if any. */
export type SourcedVersion = TemplateVersion & { source?: TemplateSource };

/** Where an upgrade's base and next renders read their skeletons, and the version upgraded to. */
export interface UpgradeSkeletons {
  to: SourcedVersion;
  base: { dir: string; parts: string[]; inspected?: string[] };
  next: { dir: string; parts: string[]; inspected?: string[] };
  store?: () => void;
}

const firstLine = (e: unknown) =>
  String((e as Error)?.message ?? e)
    .split('\n')[0]
    .slice(0, 300);

/** One line when `from` was made by another template than `to`. */
export function checkTemplateName(
  from: TemplateVersion,
  to: TemplateVersion,
  where: string,
) {
  if (from.name !== to.name)
    throw new InputError(
      `${where} was made by the template ${from.name}, not ${to.name}: upgrade it with that template's upgrade`,
    );
}

/**
 * The skeletons of an upgrade whose template is read from GitHub or Gitea
 * at `url` (the running template's own repository and branch, never a URL
 * from the upgraded record): next is the branch's current commit, base the
 * same directory at the commit `from` recorded, whose skeletons must hash to
 * the recorded revision. `where` names what is upgraded (services/x-service,
 * the monorepo), `title` the template (the Go service template); `inspect`
 * reads more of each extracted directory (base.inspected, next.inspected).
 * Every refusal is one InputError line.
 */
export async function gitUpgradeSkeletons(
  deps: { reader: UrlReaderService; integrations: ScmIntegrationRegistry },
  url: string,
  options: {
    rel: string;
    from: SourcedVersion;
    where: string;
    title: string;
    signal?: AbortSignal;
    inspect?: (dir: string, parts: string[]) => string[];
  },
): Promise<UpgradeSkeletons> {
  const { rel, from, where, signal, inspect } = options;
  let current: GitTemplate & { pinned: string };
  try {
    current = await readGitTemplateAtHead(
      deps.reader,
      deps.integrations,
      url,
      signal,
      inspect,
    );
  } catch (e) {
    throw new InputError(
      `the current ${options.title} cannot be read from ${url}: ${firstLine(
        e,
      )}`,
    );
  }
  if (!current.metadata)
    throw new InputError(
      `${rel}/template.yaml was not found beside the running template (${url} at ${current.commit})`,
    );
  const to: SourcedVersion = {
    ...current.metadata,
    revision: current.revision,
    source: { url, commit: current.commit },
  };
  checkTemplateName(from, to, where);
  const next = {
    dir: current.pinned,
    parts: current.parts,
    inspected: current.inspected,
  };
  if (from.revision === to.revision) return { to, base: next, next };
  if (!from.source)
    throw new InputError(
      `${where} was made by ${short(
        from,
      )} from a local template directory, whose skeletons are in that directory's ${VERSIONS_DIR} store, not in ${url}; upgrade it with the upgrade template registered from that directory, or by hand (docs/template-versions.md)`,
    );
  const pinned = pinnedUrl(url, from.source.commit, deps.integrations);
  let old: GitTemplate;
  try {
    old = await readGitTemplate(deps.reader, pinned, {
      commit: from.source.commit,
      signal,
      inspect,
    });
  } catch (e) {
    throw new InputError(
      `the skeletons of ${short(
        from,
      )} that made ${where} cannot be read at commit ${
        from.source.commit
      } (${pinned}: ${firstLine(
        e,
      )}); the commit is no longer in the template's repository (force-pushed away, or the repository moved): upgrade by hand (docs/template-versions.md)`,
    );
  }
  if (old.revision !== from.revision)
    throw new InputError(
      `the skeletons of ${rel} at commit ${
        from.source.commit
      } are ${old.revision.slice(
        0,
        19,
      )}, not the revision ${from.revision.slice(
        0,
        19,
      )} that ${where} records: its templateVersion was edited, or the commit is of another template; restore .golden-path/values.json from the monorepo's history, or upgrade by hand (docs/template-versions.md)`,
    );
  return {
    to,
    base: { dir: pinned, parts: old.parts, inspected: old.inspected },
    next,
  };
}

/**
 * The git source a record's templateVersion names, checked: only its commit
 * (40 hex digits) is ever used (the URL is the team's to edit and is never
 * read); undefined when it records none (a local template made it).
 */
export function recordedSource(
  source: unknown,
  file: string,
  restore: string,
): TemplateSource | undefined {
  if (source === undefined) return undefined;
  const commit = (source as { commit?: unknown } | null)?.commit;
  if (typeof commit !== 'string' || !COMMIT.test(commit))
    throw new InputError(
      `${file} records templateVersion.source without a git commit (source.commit must be 40 lowercase hex digits, got ${JSON.stringify(
        String(commit ?? '').slice(0, 80),
      )}); restore the file from ${restore}, or upgrade by hand (docs/template-versions.md)`,
    );
  const url = (source as { url?: unknown }).url;
  return { url: typeof url === 'string' ? url : '', commit };
}
