import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of catalog entities (the same string as
 * `RESOURCE_TYPE_CATALOG_ENTITY` of `@backstage/plugin-catalog-common`), so
 * catalog conditional rules apply to the insights permission.
 *
 * @public
 */
export const GOLDEN_PATH_INSIGHTS_RESOURCE_TYPE = 'catalog-entity';

/**
 * Allows reading the insights (layers, proto APIs, migrations) of a Go
 * service. A resource permission on the entity: policies may allow it for
 * some entities only.
 *
 * @public
 */
export const goldenPathInsightsReadPermission = createPermission({
  name: 'golden-path.insights.read',
  attributes: { action: 'read' },
  resourceType: GOLDEN_PATH_INSIGHTS_RESOURCE_TYPE,
});

/**
 * Every permission of the Golden Path plugins.
 *
 * @public
 */
export const goldenPathPermissions = [goldenPathInsightsReadPermission];
