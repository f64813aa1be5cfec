import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
  stringifyLocationRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_GO_SERVICE,
  ANNOTATION_MIGRATIONS_DIR,
  ANNOTATION_MONOREPO,
} from '@golden-path/plugin-golden-path-common';
import {
  checkServiceEntity,
  goServiceEntities,
} from '@golden-path/plugin-golden-path-node';
import type { JsonObject, JsonValue } from '@backstage/types';
import { createHash } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { DiscoveredService } from './types';

/** The kinds a service's catalog-info.yaml may declare: the service, its APIs, its resources. */
export const SERVICE_KINDS = ['Component', 'API', 'Resource'];

/** Where the Go service template records the values it rendered a service with. */
export const RECORDED_VALUES_FILE = '.golden-path/values.json';
/** A service's own catalog file. */
export const CATALOG_INFO_FILE = 'catalog-info.yaml';

/** A problem with one file, reported as one line naming it. */
class FileProblem extends Error {}

/**
 * The catalog entities of one discovered service, with the location
 * annotations the catalog needs: what its catalog-info.yaml declares (a
 * Component, its APIs and Resources, in the default namespace), completed
 * from its recorded template values where it declares no API or no Resource;
 * or, without a usable catalog-info.yaml, the Component, gRPC API and
 * database Resource the Go service template would have written. A file that
 * is unusable (invalid YAML or JSON, another kind, another namespace, a
 * placeholder reaching outside the monorepo) is left out with one line
 * through `warn` naming it; nothing here throws.
 */
export async function serviceEntities(
  service: DiscoveredService,
  warn: (line: string) => void,
  cache?: ParsedYamlCache,
): Promise<Entity[]> {
  const catalogFile = service.fileName(CATALOG_INFO_FILE);
  const valuesFile = service.fileName(RECORDED_VALUES_FILE);
  let declared: Entity[] | undefined;
  let recorded: Entity[] | undefined;
  if (service.values) {
    try {
      recorded = await entitiesFromValues(service, service.values);
    } catch (e) {
      warn(
        `${valuesFile}: ${problemOf(
          e,
        )}; the service's recorded values are not used`,
      );
    }
  }
  if (service.catalogInfo) {
    try {
      declared = await entitiesFromCatalogInfo(
        service,
        service.catalogInfo,
        cache,
      );
    } catch (e) {
      warn(
        `${catalogFile}: ${problemOf(e)}; its entities are skipped${
          recorded
            ? `, the service is described from ${RECORDED_VALUES_FILE}`
            : ''
        }`,
      );
    }
  }
  const entities = declared ? complete(declared, recorded) : recorded ?? [];
  const location = stringifyLocationRef(service.location);
  return entities.map(entity => {
    const annotations: Record<string, string> = {
      ...entity.metadata.annotations,
      [ANNOTATION_LOCATION]: location,
      [ANNOTATION_ORIGIN_LOCATION]: location,
    };
    if (entity.kind === 'Component')
      annotations[ANNOTATION_GO_SERVICE] = service.serviceDir;
    return { ...entity, metadata: { ...entity.metadata, annotations } };
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/:$/, '');
}

function problemOf(e: unknown): string {
  if (e instanceof FileProblem) return e.message;
  return `could not be used (${(e as Error)?.message ?? String(e)})`;
}

/** Adds the recorded API and Resource when the declared entities have none of that kind. */
function complete(declared: Entity[], recorded?: Entity[]): Entity[] {
  if (!recorded) return declared;
  const result = [...declared];
  const component = result.find(e => e.kind === 'Component')!;
  const spec: JsonObject = { ...component.spec };
  for (const [kind, field] of [
    ['API', 'providesApis'],
    ['Resource', 'dependsOn'],
  ] as const) {
    if (declared.some(e => e.kind === kind)) continue;
    const add = recorded.find(e => e.kind === kind);
    if (!add) continue;
    const ref = `${kind === 'API' ? 'api' : 'resource'}:${add.metadata.name}`;
    const refs = Array.isArray(spec[field]) ? (spec[field] as string[]) : [];
    if (!refs.some(r => r === ref || r === add.metadata.name))
      spec[field] = [...refs, ref];
    result.push(add);
  }
  result[result.indexOf(component)] = { ...component, spec };
  return result;
}

async function validate(entity: Entity, where: string): Promise<void> {
  try {
    await checkServiceEntity(entity);
  } catch (e) {
    throw new FileProblem(
      `${entity.kind} "${
        entity.metadata?.name
      }" (${where}) is not a valid catalog entity: ${(e as Error).message}`,
    );
  }
}

/** The placeholders of a document other than an API's `spec.definition`, as JSON paths. */
function placeholders(value: unknown, at: string, out: string[]): string[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => placeholders(v, `${at}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('$')) out.push(`${at}.${k}`);
      else placeholders(v, `${at}.${k}`, out);
    }
  }
  return out;
}

/** The documents of a YAML file as plain values; a FileProblem when it is not valid YAML. */
function parseYaml(content: Buffer): unknown[] {
  const docs = parseAllDocuments(content.toString('utf8'));
  if (!Array.isArray(docs)) return [];
  return docs.map(doc => {
    if (doc.errors.length) {
      throw new FileProblem(
        `is not valid YAML: ${firstLine(doc.errors[0].message)}`,
      );
    }
    try {
      return doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new FileProblem(
        `is not valid YAML: ${firstLine((e as Error).message)}`,
      );
    }
  });
}

/**
 * Parsed catalog-info.yaml files by content hash. YAML parsing is
 * synchronous and costs about 2 ms per KiB of small nodes, so each content
 * is parsed once, when it changes, not on every refresh. `sweep` drops what
 * the last refresh did not ask for.
 */
export class ParsedYamlCache {
  private entries = new Map<string, unknown[] | FileProblem>();
  private used = new Set<string>();

  parse(content: Buffer): unknown[] {
    const key = createHash('sha256').update(content).digest('hex');
    this.used.add(key);
    let entry = this.entries.get(key);
    if (!entry) {
      try {
        entry = parseYaml(content);
      } catch (e) {
        if (!(e instanceof FileProblem)) throw e;
        entry = e;
      }
      this.entries.set(key, entry);
    }
    if (entry instanceof FileProblem) throw entry;
    return structuredClone(entry); // callers change what they get
  }

  sweep(): void {
    for (const key of this.entries.keys())
      if (!this.used.has(key)) this.entries.delete(key);
    this.used.clear();
  }
}

async function entitiesFromCatalogInfo(
  service: DiscoveredService,
  content: Buffer,
  cache?: ParsedYamlCache,
): Promise<Entity[]> {
  const values = cache ? cache.parse(content) : parseYaml(content);
  const entities: Entity[] = [];
  for (const [i, value] of values.entries()) {
    if (value === null || value === undefined) continue; // an empty document
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new FileProblem(`document ${i + 1} is not a catalog entity`);
    }
    const entity = value as Entity;
    if (!SERVICE_KINDS.includes(entity.kind)) {
      throw new FileProblem(
        `document ${i + 1} declares kind ${JSON.stringify(
          entity.kind,
        )}; a service's catalog-info.yaml may declare only ${SERVICE_KINDS.join(
          ', ',
        )}`,
      );
    }
    const namespace = entity.metadata?.namespace;
    if (namespace !== undefined && namespace !== 'default') {
      throw new FileProblem(
        `${entity.kind} "${
          entity.metadata?.name
        }" claims the namespace ${JSON.stringify(
          namespace,
        )}; discovered services live in the default namespace`,
      );
    }
    const definition = (entity.spec as any)?.definition;
    const found = placeholders(
      entity.kind === 'API' && entity.spec
        ? { ...entity, spec: { ...entity.spec, definition: undefined } }
        : entity,
      '',
      [],
    );
    if (found.length) {
      throw new FileProblem(
        `${entity.kind} "${
          entity.metadata?.name
        }" has the placeholder ${found[0].slice(
          1,
        )}; discovered services may use a placeholder only for an API's spec.definition`,
      );
    }
    if (entity.kind === 'API' && definition && typeof definition === 'object')
      entity.spec = {
        ...entity.spec,
        definition: await resolveDefinition(service, definition),
      };
    await validate(entity, `document ${i + 1}`);
    entities.push(entity);
  }
  const components = entities.filter(e => e.kind === 'Component');
  if (components.length !== 1) {
    throw new FileProblem(
      `declares ${components.length} Components; a service's catalog-info.yaml declares the service's one Component`,
    );
  }
  const refs = new Set<string>();
  for (const e of entities) {
    const ref = stringifyEntityRef(e);
    if (refs.has(ref)) throw new FileProblem(`declares ${ref} twice`);
    refs.add(ref);
  }
  return entities;
}

/** An API's `definition: { $text: <path> }`, read through the source (confined), or left to the catalog. */
async function resolveDefinition(
  service: DiscoveredService,
  definition: JsonObject,
): Promise<JsonValue> {
  const keys = Object.keys(definition);
  if (
    keys.length !== 1 ||
    keys[0] !== '$text' ||
    typeof definition.$text !== 'string'
  ) {
    throw new FileProblem(
      `an API's spec.definition must be text or { $text: <path of the file> }`,
    );
  }
  if (!service.readRelative) return definition;
  const rel = definition.$text;
  if (/^[a-z][a-z0-9+.-]*:/i.test(rel)) {
    throw new FileProblem(
      `$text "${rel}" is a URL; a discovered service's API definition is a path inside its monorepo`,
    );
  }
  let content: Buffer | undefined;
  try {
    content = await service.readRelative(rel);
  } catch (e) {
    throw new FileProblem(`$text "${rel}": ${(e as Error).message}`);
  }
  if (!content) throw new FileProblem(`$text "${rel}" does not exist`);
  return content.toString('utf8');
}

const REQUIRED_VALUES = ['name', 'serviceName', 'owner', 'system', 'protoPkg'];
/** An added aggregate's name and snake_case name (values.aggregates), as the Go service template checks them. */
const AGGREGATE_NAME = /^[A-Z][a-z0-9]+([A-Z][a-z0-9]+)*$/;
const AGGREGATE_SNAKE = /^[a-z][a-z0-9]*(_[a-z][a-z0-9]*)*$/;

/**
 * The entities the Go service template writes into catalog-info.yaml,
 * from the recorded values alone (a service of a bundle that did not write
 * one, or whose file was lost).
 */
async function entitiesFromValues(
  service: DiscoveredService,
  content: Buffer,
): Promise<Entity[]> {
  let doc: any;
  try {
    doc = JSON.parse(content.toString('utf8'));
  } catch (e) {
    throw new FileProblem(`is not valid JSON: ${(e as Error).message}`);
  }
  if (
    doc?.template !== 'go-service' ||
    typeof doc.values !== 'object' ||
    doc.values === null
  ) {
    throw new FileProblem(
      'does not hold the values of the Go service template',
    );
  }
  const v = doc.values;
  const missing = REQUIRED_VALUES.filter(
    k => typeof v[k] !== 'string' || !v[k],
  );
  if (missing.length) throw new FileProblem(`lacks ${missing.join(', ')}`);
  const dirName = service.serviceDir.split('/').pop();
  if (v.serviceName !== dirName) {
    throw new FileProblem(
      `records the service ${JSON.stringify(v.serviceName)}, not ${dirName}`,
    );
  }
  const monorepo = String(v.system).split('/').pop()!.split(':').pop()!;
  const definitionOf = async (protoPath: string): Promise<JsonValue> => {
    if (!service.readRelative) return { $text: protoPath };
    let proto: Buffer | undefined;
    try {
      proto = await service.readRelative(protoPath);
    } catch (e) {
      throw new FileProblem(
        `its API definition ${protoPath}: ${(e as Error).message}`,
      );
    }
    if (!proto) {
      throw new FileProblem(
        `its API definition ${protoPath} does not exist in ${service.monorepo}`,
      );
    }
    return proto.toString('utf8');
  };
  const definition = await definitionOf(
    `../../api/proto/${v.protoPkg}/v1/${v.protoPkg}_service.proto`,
  );
  const apiName = `${v.name}-grpc-api`;
  const entities = goServiceEntities({
    componentName: v.serviceName,
    componentDescription:
      typeof v.description === 'string' && v.description
        ? v.description
        : `Go gRPC service ${v.serviceName}`,
    tags: ['go', 'grpc', ...(v.stage === 'async' ? ['rabbitmq'] : [])],
    annotations: {
      [ANNOTATION_MIGRATIONS_DIR]: 'db/migrations',
      [ANNOTATION_MONOREPO]: monorepo,
    },
    lifecycle: 'experimental',
    owner: v.owner,
    system: v.system,
    apiName,
    apiRef: apiName,
    apiDescription: `gRPC API of ${v.serviceName}`,
    definition,
    dbName: `${v.name}-db`,
    dbDescription: `PostgreSQL database of ${v.serviceName} (migrations in db/migrations)`,
  });
  // Each aggregate added with "Add an aggregate to a service" is its own gRPC
  // service and API entity, as the template's catalog-info.yaml has them.
  const added = Array.isArray(v.aggregates) ? v.aggregates : [];
  for (const [i, g] of added.entries()) {
    if (
      typeof g?.name !== 'string' ||
      !AGGREGATE_NAME.test(g.name) ||
      typeof g?.snake !== 'string' ||
      !AGGREGATE_SNAKE.test(g.snake)
    ) {
      throw new FileProblem(
        `values.aggregates[${i}] has no PascalCase name and snake_case snake`,
      );
    }
    const name = `${v.name}-grpc-api-${g.snake.replace(/_/g, '-')}`;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name,
        description: `${v.protoPkg}.v1.${g.name}Service, the gRPC API of the ${g.name} aggregate of ${v.serviceName}`,
        tags: ['grpc'],
      },
      spec: {
        type: 'grpc',
        lifecycle: 'experimental',
        owner: v.owner,
        system: v.system,
        definition: await definitionOf(
          `../../api/proto/${v.protoPkg}/v1/${g.snake}_service.proto`,
        ),
      },
    });
    (entities[0].spec!.providesApis as string[]).push(name);
  }
  for (const e of entities) await validate(e, 'from the recorded values');
  return entities;
}
