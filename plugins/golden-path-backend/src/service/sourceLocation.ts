import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  createInsightsDirFilter,
  createInsightsFileFilter,
  readLocalSourceTree,
  SourceTree,
  SourceTreeBuilder,
  SourceTreeLimits,
} from '@golden-path/plugin-golden-path-node';
import { ANNOTATION_GO_SERVICE } from '@golden-path/plugin-golden-path-common';
import fs from 'node:fs';
import path from 'node:path';

const SOURCE_LOCATION = 'backstage.io/source-location';
const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';

/** Where an entity's source tree is. */
export type SourceLocation =
  | { type: 'url'; target: string }
  | { type: 'dir'; target: string };

/**
 * The source root of an entity: `backstage.io/source-location`, else the
 * directory of the catalog file it was registered from
 * (`backstage.io/managed-by-location`). Never anything from the request.
 */
export function entitySourceLocation(entity: Entity): SourceLocation {
  const annotations = entity.metadata.annotations ?? {};
  const raw = annotations[SOURCE_LOCATION];
  if (raw) {
    const m = /^(url|dir|file):(.+)$/.exec(raw.trim());
    if (!m)
      throw new InputError(
        `${SOURCE_LOCATION} "${raw}" must start with url: or dir:`,
      );
    return m[1] === 'url'
      ? { type: 'url', target: m[2] }
      : { type: 'dir', target: m[2] };
  }
  const managed = annotations[MANAGED_BY_LOCATION];
  const m = managed ? /^(url|file):(.+)$/.exec(managed.trim()) : null;
  if (m) {
    // The catalog file's directory; a service's own catalog-info.yaml sits in
    // its service directory, so that part is taken off to reach the root.
    const serviceDir = (annotations[ANNOTATION_GO_SERVICE] ?? '')
      .trim()
      .replace(/^\.?\/+|\/+$/g, '');
    const dir =
      m[1] === 'url' ? m[2].replace(/\/[^/]*$/, '') : path.dirname(m[2]);
    const root =
      serviceDir && dir.endsWith(`/${serviceDir}`)
        ? dir.slice(0, -serviceDir.length - 1)
        : dir;
    return m[1] === 'url'
      ? { type: 'url', target: `${root}/` }
      : { type: 'dir', target: root };
  }
  throw new InputError(
    `entity has no ${SOURCE_LOCATION} annotation (url:… or dir:…) telling where its source is`,
  );
}

/** Printable form of a location, as the annotation writes it. */
export function formatSourceLocation(location: SourceLocation): string {
  return `${location.type}:${location.target}`;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves a `dir:` location under one of the configured local roots (after
 * resolving symlinks on both sides), or refuses it.
 */
export async function resolveLocalLocation(
  target: string,
  localRoots: string[],
): Promise<string> {
  if (localRoots.length === 0) {
    throw new NotAllowedError(
      'dir: source locations are not enabled; set goldenPath.insights.localRoots',
    );
  }
  if (target.includes('\0') || !path.isAbsolute(target)) {
    throw new InputError(
      `dir: source location "${target}" must be an absolute path`,
    );
  }
  let real: string;
  try {
    real = await fs.promises.realpath(target);
  } catch {
    throw new InputError(`dir: source location "${target}" does not exist`);
  }
  for (const root of localRoots) {
    let realRoot: string;
    try {
      realRoot = await fs.promises.realpath(root);
    } catch {
      continue;
    }
    if (isInside(realRoot, real)) return real;
  }
  throw new NotAllowedError(
    `dir: source location "${target}" is outside goldenPath.insights.localRoots`,
  );
}

/** Reads the files the insights need, from a URL (UrlReader) or a local root. */
export async function readSourceTree(options: {
  location: SourceLocation;
  serviceDir: string;
  urlReader: UrlReaderService;
  localRoots: string[];
  limits: SourceTreeLimits;
  /** ETag of a previous read of the same location; the UrlReader throws NotModifiedError when unchanged. */
  etag?: string;
}): Promise<SourceTree> {
  const filter = createInsightsFileFilter(options.serviceDir);
  if (options.location.type === 'dir') {
    const dir = await resolveLocalLocation(
      options.location.target,
      options.localRoots,
    );
    return readLocalSourceTree(dir, filter, {
      ...options.limits,
      dirFilter: createInsightsDirFilter(options.serviceDir),
    });
  }
  const builder = new SourceTreeBuilder(options.limits);
  const response = await options.urlReader.readTree(options.location.target, {
    etag: options.etag,
    filter: (p, info) => {
      const rel = p.replace(/^\/+/, '');
      return filter(rel) && builder.accepts(rel, info?.size);
    },
  });
  for (const file of await response.files()) {
    const rel = file.path.replace(/^\/+/, '');
    if (!filter(rel)) continue;
    builder.add(rel, await file.content());
  }
  return builder.build(response.etag);
}
