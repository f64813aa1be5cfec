import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  entitySourceLocation,
  formatSourceLocation,
  realPathUnderRoots,
  SourceLocation,
} from '@golden-path/plugin-golden-path-node';
import {
  BUF_CONFIG_NAMES,
  createInsightsDirFilter,
  createInsightsFileFilter,
  FileContentCache,
  findProtoRoots,
  normalizeServiceDir,
  readLocalSourceTree,
  SourceTree,
  SourceTreeBuilder,
  SourceTreeLimits,
} from '../analysis';

export { entitySourceLocation, formatSourceLocation };
export type { SourceLocation };

/**
 * Resolves a `dir:` location under one of the configured local roots (after
 * resolving symlinks on both sides), or refuses it. A path that does not
 * exist and one outside the roots get the same answer (404, the same
 * message), so the insights API tells nobody which server paths exist.
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
  const real = await realPathUnderRoots(target, localRoots);
  if (real === undefined) {
    throw new NotFoundError(
      `dir: source location "${target}" was not found under goldenPath.insights.localRoots`,
    );
  }
  return real;
}

/**
 * The proto roots of the buf configs at or above a local service (see
 * findProtoRoots), read with the walk's confinement; conventional ones
 * when there is no config.
 */
async function localProtoRoots(
  root: string,
  serviceDir: string,
): Promise<string[]> {
  const parts = serviceDir ? serviceDir.split('/') : [];
  const dirs = new Set(parts.map((_, i) => parts.slice(0, i + 1).join('/')));
  const configs = new Set(
    ['', ...dirs].flatMap(d =>
      BUF_CONFIG_NAMES.map(n => (d ? `${d}/${n}` : n)),
    ),
  );
  const tree = await readLocalSourceTree(root, p => configs.has(p), {
    dirFilter: d => dirs.has(d),
  });
  return findProtoRoots(p => tree.files.get(p)?.toString('utf8'), serviceDir)
    .roots;
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
  /** Contents of a local monorepo's files outside the service directory, kept across reads. */
  contentCache?: FileContentCache;
}): Promise<SourceTree> {
  if (options.location.type === 'dir') {
    const dir = await resolveLocalLocation(
      options.location.target,
      options.localRoots,
    );
    const serviceDir = normalizeServiceDir(options.serviceDir);
    // the proto roots the buf configs name, so the walk enters them
    const read = { protoRoots: await localProtoRoots(dir, serviceDir) };
    return readLocalSourceTree(
      dir,
      createInsightsFileFilter(serviceDir, read),
      {
        ...options.limits,
        dirFilter: createInsightsDirFilter(serviceDir, read),
        // what the monorepo's services share (api/proto/, go.mod and
        // golangci-lint files above them); each service's own files are read
        // once per analysis anyway
        contentCache: options.contentCache,
        cacheable: serviceDir
          ? rel => !rel.startsWith(`${serviceDir}/`)
          : undefined,
      },
    );
  }
  const filter = createInsightsFileFilter(options.serviceDir);
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
