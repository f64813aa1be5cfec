import { parseEntityRef, type Entity } from '@backstage/catalog-model';
import type { TeamOnboarding } from '@golden-path/plugin-golden-path-common';

export const ANNOTATION_TECHDOCS_REF = 'backstage.io/techdocs-ref';
const ANNOTATION_LOCATION = 'backstage.io/managed-by-location';

/** The steps whose first entity has docs worth checking. */
const DOCS_STEPS = ['monorepo', 'service'] as const;

/** A docs build that failed, as the page names it. */
export interface DocsBuildFailure {
  entityRef: string;
  /** Where mkdocs.yml and docs/ live (a directory or repository URL). */
  source: string;
  /** The first lines of the build error. */
  error: string;
  /** The entity's docs page, with the full build log. */
  docsPath: string;
}

/** The first entity of the monorepo and service steps (no duplicates). */
export function docsCandidateRefs(onboarding: TeamOnboarding): string[] {
  const refs = DOCS_STEPS.map(
    id => onboarding.steps.find(s => s.id === id)?.entityRefs[0],
  ).filter((r): r is string => Boolean(r));
  return [...new Set(refs)];
}

/** The app path of an entity's TechDocs. */
export function docsPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/docs/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

/**
 * Where an entity's docs are built from: the directory of its catalog-info.yaml
 * joined with a `dir:` techdocs-ref, or the ref's URL.
 */
export function docsSource(entity: Entity): string {
  const annotations = entity.metadata.annotations ?? {};
  const ref = annotations[ANNOTATION_TECHDOCS_REF] ?? '';
  if (!ref.startsWith('dir:')) return ref.replace(/^url:/, '');
  const location = (annotations[ANNOTATION_LOCATION] ?? '').replace(
    /^(file|url):/,
    '',
  );
  const base = location.replace(/\/[^/]*$/, '');
  const sub = ref.slice('dir:'.length).replace(/^\.\/?/, '');
  if (!base) return sub || 'the entity source';
  return sub ? `${base}/${sub}` : base;
}

/**
 * The first lines of a TechDocs build error. The sync stream sends the
 * message JSON-encoded, so a quoted string is decoded first.
 */
export function firstLinesOfBuildError(message: string, lines = 3): string {
  let text = message.trim();
  if (text.startsWith('"')) {
    try {
      text = String(JSON.parse(text));
    } catch {
      // not JSON: keep as sent
    }
  }
  const first = text
    .split('\n')
    .map(l => l.trim())
    // YAML errors quote the file in numbered lines: the docs page has them.
    .filter(l => l && !/^(\d+\s*\||-*\^)/.test(l))
    .slice(0, lines)
    .join(' ');
  return first.length > 400 ? `${first.slice(0, 399)}…` : first;
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
