import type { FleetServiceSummary } from '@golden-path/plugin-golden-path-common';

/** The template that brings a service up to the Go service template's current version. */
export const UPGRADE_TEMPLATE = {
  namespace: 'default',
  name: 'upgrade-service',
};

type Row = Pick<
  FleetServiceSummary,
  'entityRef' | 'namespace' | 'name' | 'localPath'
>;

/** The service's page in the catalog. */
export function entityHref(row: Row): string {
  return `/catalog/${encodeURIComponent(
    row.namespace,
  )}/component/${encodeURIComponent(row.name)}`;
}

/** The service's Architecture tab: layers and violations, protos, migrations. */
export function architectureHref(row: Row): string {
  return `${entityHref(row)}/architecture`;
}

/**
 * The upgrade template's form with the service (and, for a monorepo under
 * the local publish root, its directory) filled in: the Create page reads
 * the `formData` query parameter as the form's initial JSON values.
 */
export function upgradeHref(row: Row): string {
  const formData: Record<string, string> = { service: row.entityRef };
  if (row.localPath) formData.localPath = row.localPath;
  return `/create/templates/${UPGRADE_TEMPLATE.namespace}/${
    UPGRADE_TEMPLATE.name
  }?formData=${encodeURIComponent(JSON.stringify(formData))}`;
}
