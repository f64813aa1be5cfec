import {
  Entity,
  makeValidator,
  parseEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_GO_SERVICE,
  ANNOTATION_MIGRATIONS_DIR,
} from '@golden-path/plugin-golden-path-common';
import {
  checkServiceEntity,
  goServiceEntities,
} from '@golden-path/plugin-golden-path-node';

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
  const annotations: Record<string, string> = {
    [ANNOTATION_GO_SERVICE]: input.serviceDir,
    [ANNOTATION_MIGRATIONS_DIR]: 'db/migrations',
  };
  if (input.sourceLocation)
    annotations['backstage.io/source-location'] = input.sourceLocation;
  const entities = goServiceEntities({
    componentName: input.name,
    componentDescription: input.description ?? `Go gRPC service ${input.name}`,
    tags: ['go', 'grpc', ...(input.tags ?? [])],
    annotations,
    lifecycle: input.lifecycle,
    owner: input.owner,
    system: input.system,
    apiName,
    apiRef: `api:${apiName}`,
    apiDescription: `gRPC API of ${input.name}`,
    definition: { $text: input.protoPath },
    dbName: `${input.name}-db`,
    dbDescription: `PostgreSQL database of ${input.name}`,
  });
  for (const entity of entities) {
    try {
      await checkServiceEntity(entity);
    } catch (e) {
      throw new InputError(
        `${entity.kind} "${
          entity.metadata.name
        }" is not a valid catalog entity: ${(e as Error).message}`,
      );
    }
  }
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
