import { parseEntityRef } from '@backstage/catalog-model';
import type { DocsBuildFailure } from '@golden-path/plugin-golden-path-common';

/** The app path of an entity's TechDocs. */
export function docsPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/docs/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

/** The alert sentence of a failed docs build. */
export function docsBuildFailureMessage(f: DocsBuildFailure): string {
  return `The docs of ${f.entityRef} failed to build: ${f.error.replace(
    /\.$/,
    '',
  )}. Fix mkdocs.yml or docs/ in ${
    f.source
  }; open the docs page for the full log.`;
}
