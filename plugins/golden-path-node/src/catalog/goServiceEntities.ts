import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import type { JsonValue } from '@backstage/types';

const policies = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);
const kindValidators = [
  componentEntityV1alpha1Validator,
  apiEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
];

/**
 * Checks a Component, API or Resource with the catalog's own policies and
 * kind validators, as the catalog will when it ingests it. An API whose
 * `spec.definition` is a placeholder (`{ $text: ... }`, the catalog's to
 * resolve) is checked with a text stand-in. Throws an Error saying what is
 * wrong; the caller names the entity and the file.
 *
 * @public
 */
export async function checkServiceEntity(entity: Entity): Promise<void> {
  const definition = (entity.spec as { definition?: unknown } | undefined)
    ?.definition;
  const probe =
    entity.kind === 'API' && definition && typeof definition === 'object'
      ? { ...entity, spec: { ...entity.spec, definition: 'placeholder' } }
      : entity;
  await policies.enforce(probe);
  const results = await Promise.all(kindValidators.map(v => v.check(probe)));
  if (!results.some(Boolean)) {
    throw new Error(
      `apiVersion ${JSON.stringify(
        entity.apiVersion,
      )} is not backstage.io/v1alpha1 or backstage.io/v1beta1`,
    );
  }
}

/**
 * What differs between the Go services whose entities {@link goServiceEntities} writes.
 *
 * @public
 */
export interface GoServiceEntitiesSpec {
  /** The Component's name, e.g. order-service. */
  componentName: string;
  componentDescription: string;
  /** The Component's annotations. */
  annotations: Record<string, string>;
  /** The Component's tags. */
  tags: string[];
  lifecycle: string;
  owner: string;
  system: string;
  /** The gRPC API's name. */
  apiName: string;
  /** How the Component's `providesApis` names the API (`api:<name>` or `<name>`). */
  apiRef: string;
  apiDescription: string;
  /** The API's `spec.definition`: the proto, or `{ $text: <path> }` for the catalog to read. */
  definition: JsonValue;
  /** The database Resource's name. */
  dbName: string;
  dbDescription: string;
}

/**
 * The three entities of a Go service, as the Go service template writes
 * them into catalog-info.yaml: the Component (type service) providing its
 * gRPC API and depending on its PostgreSQL database Resource. Not checked:
 * see {@link checkServiceEntity}.
 *
 * @public
 */
export function goServiceEntities(spec: GoServiceEntitiesSpec): Entity[] {
  const common = { owner: spec.owner, system: spec.system };
  return [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: spec.componentName,
        description: spec.componentDescription,
        tags: spec.tags,
        annotations: spec.annotations,
      },
      spec: {
        type: 'service',
        lifecycle: spec.lifecycle,
        ...common,
        providesApis: [spec.apiRef],
        dependsOn: [`resource:${spec.dbName}`],
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name: spec.apiName,
        description: spec.apiDescription,
        tags: ['grpc'],
      },
      spec: {
        type: 'grpc',
        lifecycle: spec.lifecycle,
        ...common,
        definition: spec.definition,
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: spec.dbName,
        description: spec.dbDescription,
        tags: ['postgresql'],
      },
      spec: { type: 'database', ...common },
    },
  ];
}
