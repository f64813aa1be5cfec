import { ANNOTATION_GO_SERVICE } from '../annotations';

/**
 * Path of the insights of one entity, relative to the backend plugin's base
 * URL (`discoveryApi.getBaseUrl('golden-path')`). Each part is URI-encoded.
 *
 * @public
 */
export function insightsPath(
  entity: { kind: string; namespace?: string; name: string },
  part?: 'layers' | 'protos' | 'migrations',
): string {
  const segments = [
    'entities',
    entity.kind.toLocaleLowerCase('en-US'),
    (entity.namespace ?? 'default').toLocaleLowerCase('en-US'),
    entity.name,
    'insights',
  ].map(encodeURIComponent);
  if (part) segments.push(part);
  return `/${segments.join('/')}`;
}

/**
 * Whether an entity is a Go service the insights API can analyse (it has the
 * `golden-path.dev/go-service` annotation). Use it to show the insights tab
 * and card only where they apply.
 *
 * @public
 */
export function isGoServiceEntity(entity: {
  metadata: { annotations?: Record<string, string> };
}): boolean {
  return (
    typeof entity.metadata.annotations?.[ANNOTATION_GO_SERVICE] === 'string'
  );
}
