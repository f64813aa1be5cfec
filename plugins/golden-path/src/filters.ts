import type { Entity } from '@backstage/catalog-model';
import { isGoServiceEntity } from '@golden-path/plugin-golden-path-common';

/**
 * Whether the Golden Path insights apply to an entity: a Component carrying
 * the `golden-path.dev/go-service` annotation. Use it to show the
 * Architecture tab and the insights card only where they apply.
 *
 * @public
 */
export function isGoldenPathService(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    isGoServiceEntity(entity)
  );
}
