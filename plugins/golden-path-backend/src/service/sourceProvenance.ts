import { Entity } from '@backstage/catalog-model';
import {
  checkSourceProvenance as checkProvenance,
  repositoryOfUrl,
} from '@golden-path/plugin-golden-path-node';
import { resolveLocalLocation, SourceLocation } from './sourceLocation';

export { repositoryOfUrl };

/**
 * The provenance rule of @golden-path/plugin-golden-path-node (the one the
 * scaffolder's local:checkout applies too), after the usual 404 of a `dir:`
 * source that does not exist or is outside the roots, so a refusal says
 * nothing of server paths: it names only the two annotations.
 */
export async function checkSourceProvenance(
  entity: Entity,
  location: SourceLocation,
  localRoots: string[],
): Promise<void> {
  if (location.type === 'dir')
    await resolveLocalLocation(location.target, localRoots);
  await checkProvenance(entity, location, localRoots);
}
