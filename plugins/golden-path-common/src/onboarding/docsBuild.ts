import type { OnboardingEntity } from './computeOnboarding';
import type { TeamOnboarding } from './types';

/**
 * The annotation that says where an entity's TechDocs are built from.
 *
 * @public
 */
export const ANNOTATION_TECHDOCS_REF = 'backstage.io/techdocs-ref';
const ANNOTATION_LOCATION = 'backstage.io/managed-by-location';

/** The steps whose first entity has docs worth checking. */
const DOCS_STEPS = ['monorepo', 'service'] as const;

/**
 * The first entity of the monorepo and service steps (no duplicates).
 *
 * @public
 */
export function docsCandidateRefs(onboarding: TeamOnboarding): string[] {
  const refs = DOCS_STEPS.map(
    id => onboarding.steps.find(s => s.id === id)?.entityRefs[0],
  ).filter((r): r is string => Boolean(r));
  return [...new Set(refs)];
}

/**
 * Where an entity's docs are built from: the directory of its catalog-info.yaml
 * joined with a `dir:` techdocs-ref, or the ref's URL.
 *
 * @public
 */
export function docsSource(entity: OnboardingEntity): string {
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
 *
 * @public
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
