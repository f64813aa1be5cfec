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
