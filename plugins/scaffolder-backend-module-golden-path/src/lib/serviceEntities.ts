import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  makeValidator,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_GO_SERVICE,
  ANNOTATION_MIGRATIONS_DIR,
} from '@golden-path/plugin-golden-path-common';

/** What describes a new Go service in the catalog. */
export interface ServiceEntitiesInput {
  /** Component name, e.g. order-service. */
  name: string;
  description?: string;
  owner: string;
  system: string;
  lifecycle: string;
  /** Proto file of the gRPC API, relative to the catalog-info.yaml. */
  protoPath: string;
  /** Service directory relative to the repository root. */
  serviceDir: string;
  /** Where the code lives, for backstage.io/source-location (url:... or dir:...). */
  sourceLocation?: string;
  tags?: string[];
}

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
 * The Component (type service), its gRPC API (definition: the proto through
 * $text) and its database Resource, validated with the catalog's own
 * validators. Throws an InputError naming the entity and the problem.
 */
export async function buildServiceEntities(
  input: ServiceEntitiesInput,
): Promise<Entity[]> {
  checkRef('owner', input.owner, 'group');
  checkRef('system', input.system, 'system');
  const apiName = `${input.name}-grpc`;
  const dbName = `${input.name}-db`;
  const annotations: Record<string, string> = {
    [ANNOTATION_GO_SERVICE]: input.serviceDir,
    [ANNOTATION_MIGRATIONS_DIR]: 'db/migrations',
  };
  if (input.sourceLocation)
    annotations['backstage.io/source-location'] = input.sourceLocation;
  const common = { owner: input.owner, system: input.system };
  const entities: Entity[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: input.name,
        description: input.description ?? `Go gRPC service ${input.name}`,
        tags: ['go', 'grpc', ...(input.tags ?? [])],
        annotations,
      },
      spec: {
        type: 'service',
        lifecycle: input.lifecycle,
        ...common,
        providesApis: [`api:${apiName}`],
        dependsOn: [`resource:${dbName}`],
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name: apiName,
        description: `gRPC API of ${input.name}`,
        tags: ['grpc'],
      },
      spec: {
        type: 'grpc',
        lifecycle: input.lifecycle,
        ...common,
        definition: { $text: input.protoPath } as any,
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: dbName,
        description: `PostgreSQL database of ${input.name}`,
        tags: ['postgresql'],
      },
      spec: { type: 'database', ...common },
    },
  ];
  for (const entity of entities) await validate(entity);
  return entities;
}

const validator = makeValidator();

function checkRef(field: string, ref: string, defaultKind: string) {
  let parsed;
  try {
    parsed = parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' });
  } catch (e) {
    throw new InputError(
      `${field} "${ref}" is not an entity ref: ${(e as Error).message}`,
    );
  }
  if (
    !validator.isValidNamespace(parsed.namespace) ||
    !validator.isValidEntityName(parsed.name)
  ) {
    throw new InputError(
      `${field} "${ref}" is not a valid entity ref, e.g. ${defaultKind}:default/my-${defaultKind}`,
    );
  }
}

async function validate(entity: Entity) {
  const label = `${entity.kind} "${entity.metadata.name}"`;
  // $text placeholders are resolved by the catalog; validate with a stand-in.
  const probe =
    entity.kind === 'API'
      ? { ...entity, spec: { ...entity.spec, definition: 'placeholder' } }
      : entity;
  try {
    await policies.enforce(probe);
    const results = await Promise.all(kindValidators.map(v => v.check(probe)));
    if (!results.some(Boolean)) throw new Error(`unknown kind ${entity.kind}`);
  } catch (e) {
    throw new InputError(
      `${label} is not a valid catalog entity: ${(e as Error).message}`,
    );
  }
  stringifyEntityRef(entity);
}
