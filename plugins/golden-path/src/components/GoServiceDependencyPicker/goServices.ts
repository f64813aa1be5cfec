import {
  Entity,
  RELATION_DEPENDS_ON,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CatalogApi } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_GO_SERVICE,
  GoServiceNode,
} from '@golden-path/plugin-golden-path-common';

/** A Go service of the catalog, with its Component's ref. */
export interface GoServiceEntry extends GoServiceNode {
  /** component:default/order-service */
  ref: string;
  /** order-service */
  entityName: string;
  description?: string;
}

const SUFFIX = '-service';

/**
 * A System as a full entity ref (system:default/shop), from what a form or
 * an entity holds (shop, default/shop, system:default/shop); undefined when
 * it is no System ref.
 */
export function systemRefOf(
  value: unknown,
  defaultNamespace = 'default',
): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  try {
    const ref = parseEntityRef(value.trim(), {
      defaultKind: 'system',
      defaultNamespace,
    });
    return ref.kind.toLocaleLowerCase('en-US') === 'system'
      ? stringifyEntityRef(ref)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The template name of a Go service from its Component ref or name, the way
 * golden-path:dependency:plan reads it (component:default/order-service,
 * order-service and order all give order); undefined for anything else.
 */
export function goServiceNameOf(value: unknown): string | undefined {
  const m = /^(?:([A-Za-z]+):)?(?:([a-z0-9][a-z0-9._-]*)\/)?([a-z0-9-]+)$/.exec(
    typeof value === 'string' ? value.trim() : '',
  );
  if (!m || (m[1] && m[1].toLocaleLowerCase('en-US') !== 'component'))
    return undefined;
  return m[3].endsWith(SUFFIX) ? m[3].slice(0, -SUFFIX.length) : m[3];
}

function entryOf(entity: Entity): GoServiceEntry | undefined {
  const entityName = entity.metadata.name;
  if (!entityName.endsWith(SUFFIX)) return undefined;
  const namespace = entity.metadata.namespace ?? 'default';
  const calls = (entity.relations ?? [])
    .filter(r => r.type === RELATION_DEPENDS_ON)
    .map(r => parseEntityRef(r.targetRef))
    .filter(r => r.kind === 'component' && r.name.endsWith(SUFFIX))
    .map(r => r.name.slice(0, -SUFFIX.length));
  return {
    name: entityName.slice(0, -SUFFIX.length),
    entityName,
    ref: stringifyEntityRef({ kind: 'component', namespace, name: entityName }),
    system: systemRefOf(entity.spec?.system, namespace),
    calls,
    description: entity.metadata.description,
  };
}

/**
 * The Go services of the catalog (Components `<name>-service` with the
 * `golden-path.dev/go-service` annotation), with their System and the Go
 * services they depend on, sorted by name.
 */
export async function loadGoServices(
  catalogApi: CatalogApi,
): Promise<GoServiceEntry[]> {
  const { items } = await catalogApi.getEntities({
    filter: {
      kind: 'Component',
      [`metadata.annotations.${ANNOTATION_GO_SERVICE}`]: CATALOG_FILTER_EXISTS,
    },
    fields: [
      'kind',
      'metadata.name',
      'metadata.namespace',
      'metadata.description',
      'spec.system',
      'relations',
    ],
  });
  return items
    .map(entryOf)
    .filter((e): e is GoServiceEntry => e !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}
