import { parseEntityRef } from '@backstage/catalog-model';
import type { OnboardingAction } from '@golden-path/plugin-golden-path-common';

/** Where the guide's TechDocs live (the bundle's own Component). */
export const GUIDE_DOCS = '/docs/default/component/golden-path-for-go-bundle';

/**
 * The app path that closes a step: a template's form with the values
 * pre-filled (the Create page's `formData` query), an entity tab, or a page
 * of the golden-path guide.
 */
export function stepHref(
  action: OnboardingAction,
  guideDocs = GUIDE_DOCS,
): string {
  switch (action.type) {
    case 'template': {
      const { namespace, name } = parseEntityRef(action.templateRef, {
        defaultKind: 'template',
      });
      const formData = encodeURIComponent(JSON.stringify(action.formData));
      return `/create/templates/${namespace}/${name}?formData=${formData}`;
    }
    case 'entity': {
      const { kind, namespace, name } = parseEntityRef(action.entityRef);
      const tab = action.tab ? `/${action.tab}` : '';
      return `/catalog/${namespace}/${kind.toLocaleLowerCase(
        'en-US',
      )}/${name}${tab}`;
    }
    case 'docs':
      return `${guideDocs}/${action.path.replace(/^\/+/, '')}/`;
    default:
      return '/';
  }
}
