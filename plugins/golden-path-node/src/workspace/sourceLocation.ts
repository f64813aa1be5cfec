import { InputError } from '@backstage/errors';
import { ANNOTATION_GO_SERVICE } from '@golden-path/plugin-golden-path-common';
import path from 'node:path';

const SOURCE_LOCATION = 'backstage.io/source-location';
const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';

/**
 * Where an entity's source tree is.
 *
 * @public
 */
export type SourceLocation =
  | { type: 'url'; target: string }
  | { type: 'dir'; target: string };

/**
 * The source root of an entity: `backstage.io/source-location`, else the
 * directory of the catalog file it was registered from
 * (`backstage.io/managed-by-location`), less the service directory when the
 * file is the service's own. Never anything from a request. A `dir:` target
 * is not checked here: confine it with {@link realPathUnderRoots}.
 *
 * @public
 */
export function entitySourceLocation(entity: {
  metadata: { annotations?: Record<string, string>; [key: string]: unknown };
}): SourceLocation {
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

/**
 * Printable form of a location, as the annotation writes it.
 *
 * @public
 */
export function formatSourceLocation(location: SourceLocation): string {
  return `${location.type}:${location.target}`;
}
