import { InputError } from '@backstage/errors';
import { ConfinedRoot } from '@golden-path/plugin-golden-path-node';
import path from 'node:path';
import { GO_KEYWORDS, GO_PREDECLARED } from '../templateValues';
import { checkoutHas, checkoutText, listFiles } from './checkoutRead';
import { RecordedServiceValues } from './recordedValues';

/** What "Add an RPC to a service" is asked for. */
export interface RpcRequest {
  /** PascalCase RPC name, for example FindOrdersByCustomer. */
  name: string;
  /** query: pages through the aggregates whose fields equal the request's; command: sets fields of one aggregate. */
  kind: string;
  /** Names of the aggregate's fields the request carries. */
  fields: string[];
}

/** One aggregate field as the service recorded it. */
export interface RpcField {
  name: string;
  type: string;
  values?: string[];
}

/** An added RPC as the service records it (values.rpcs) and the skeletons render it. */
export interface ServiceRpc {
  name: string;
  kind: 'query' | 'command';
  fields: RpcField[];
  /** snake_case: file names. */
  snake: string;
  /** lowerCamelCase: the handler's field. */
  camel: string;
  /** The use case's package, internal/application/usecase/<pkg>. */
  pkg: string;
}

/** Go's keywords and predeclared identifiers: no handler field or parameter may be named so. */
const GO_RESERVED = new Set([...GO_KEYWORDS, ...GO_PREDECLARED]);

/** The field types a request can carry: scalars compared and set as they are. */
const RPC_FIELD_TYPES = ['string', 'int', 'bool', 'uuid', 'enum'];
/** Names the generated request messages and queries use themselves. */
const RESERVED_FIELDS: Record<string, string[]> = {
  query: ['pagination', 'after_id', 'page_limit'],
  command: ['id', 'version'],
};
const MAX_FIELDS = 8;
const NAME = /^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)*$/;

const snakeOf = (pascal: string) =>
  pascal.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const words = (pascal: string) => pascal.match(/[A-Z][a-z0-9]*/g) ?? [];

/** One PascalCase word read as a singular: Orders -> Order, Entries -> Entry, Boxes -> Box. */
function singularWord(w: string): string {
  if (/ies$/.test(w) && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(s|x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (/[^s]s$/.test(w) && w.length > 2) return w.slice(0, -1);
  return w;
}

/** The name with the aggregate's plural (People) and every plural word read as singular. */
function singularForm(name: string, v: RecordedServiceValues): string {
  const plural = v.aggPlural;
  const aggregateRead =
    plural && plural !== v.aggregate
      ? name.replace(new RegExp(`${plural}(?=[A-Z]|$)`, 'g'), v.aggregate)
      : name;
  return words(aggregateRead).map(singularWord).join('');
}

/** Top-level identifiers and method names declared in the .go files of one directory (name -> file). */
export function goIdentifiers(
  root: ConfinedRoot,
  dir: string,
): Map<string, string> {
  const found = new Map<string, string>();
  const decl =
    /^(?:func\s+(?:\([^)]*\)\s*)?|type\s+|var\s+|const\s+)([A-Za-z_][A-Za-z0-9_]*)/gm;
  const grouped = /^(?:type|var|const)\s*\(([\s\S]*?)^\)/gm;
  for (const file of listFiles(root, dir, '.go')) {
    const f = path.basename(file);
    const text = checkoutText(root, file, 'Go file') ?? '';
    for (const m of text.matchAll(decl))
      if (!found.has(m[1])) found.set(m[1], f);
    for (const g of text.matchAll(grouped)) {
      for (const m of g[1].matchAll(/^\s+([A-Za-z_][A-Za-z0-9_]*)\b/gm)) {
        if (!found.has(m[1])) found.set(m[1], f);
      }
    }
    // Interface methods (the repository's): "\tName(ctx ...".
    for (const m of text.matchAll(/^\t([A-Z][A-Za-z0-9_]*)\(/gm)) {
      if (!found.has(m[1])) found.set(m[1], f);
    }
  }
  return found;
}

/** The RPC, message and enum names of a .proto file, and its sqlc query names. */
export function declaredIn(
  root: ConfinedRoot,
  file: string,
  pattern: RegExp,
): string[] {
  const text = checkoutText(root, file, 'file') ?? '';
  return [...text.matchAll(pattern)].map(m => m[1]);
}

/** The files an RPC adds, relative to the service directory. */
export function rpcFiles(rpc: ServiceRpc): string[] {
  const files = [
    `internal/application/port/input/${rpc.snake}.go`,
    `internal/application/dto/request/${rpc.snake}.go`,
    `internal/application/usecase/${rpc.pkg}/di.go`,
    `internal/application/usecase/${rpc.pkg}/${rpc.snake}.go`,
    `internal/adapter/inbound/grpc/${rpc.snake}_handler.go`,
    `tests/integration/${rpc.snake}_test.go`,
  ];
  if (rpc.kind === 'query') {
    files.push(
      `internal/domain/repository/${rpc.snake}.go`,
      `internal/adapter/outbound/persistence/${rpc.snake}.go`,
      `db/queries/${rpc.snake}.sql`,
    );
  }
  return files;
}

/** The RPCs a service recorded (values.rpcs), [] for a service that has none. */
export function recordedRpcs(v: RecordedServiceValues): ServiceRpc[] {
  return Array.isArray(v.rpcs) ? (v.rpcs as ServiceRpc[]) : [];
}

/**
 * Checks an RPC to add to a service against its recorded values and its
 * checkout (serviceDir, protoFile), and returns it as the skeletons render it.
 * Every refusal is one InputError line naming what, where and how to fix it.
 */
export function planRpc(
  input: RpcRequest,
  v: RecordedServiceValues,
  serviceDir: string,
  protoFile: string,
  where: string,
  root: ConfinedRoot,
): ServiceRpc {
  const name = String(input.name ?? '').trim();
  if (!NAME.test(name) || name.length > 60) {
    throw new InputError(
      `rpc name "${name}" is not PascalCase (letters and digits, starting with a capital, at most 60 characters), for example Find${v.aggPlural}ByCustomer`,
    );
  }
  const camel = name[0].toLowerCase() + name.slice(1);
  if (GO_RESERVED.has(camel)) {
    throw new InputError(
      `rpc name ${name}: its Go name ${camel} is a Go keyword or predeclared identifier; pick a longer name, for example ${name}${v.aggregate}`,
    );
  }
  if (input.kind !== 'query' && input.kind !== 'command') {
    throw new InputError(
      `rpc kind "${input.kind}" is neither query (pages through ${v.table}) nor command (sets fields of one ${v.aggregate})`,
    );
  }
  const kind = input.kind;

  // Names the service has: its proto's RPCs, messages and enums, the added RPCs.
  const proto = checkoutText(root, protoFile, "the service's proto") ?? '';
  const protoRel = path.basename(protoFile);
  const rpcNames = [
    ...declaredIn(root, protoFile, /^\s*rpc\s+([A-Za-z0-9_]+)\s*\(/gm),
    ...recordedRpcs(v).map(r => r.name),
  ];
  if (!proto) {
    throw new InputError(
      `${where}: its API ${protoRel} was not found in api/proto; the service's proto must be checked out next to it`,
    );
  }
  if (rpcNames.includes(name)) {
    throw new InputError(
      `${v.serviceName} already has an RPC named ${name} (${protoRel}); pick another name`,
    );
  }
  const singular = singularForm(name, v);
  const twin = rpcNames.find(n => singularForm(n, v) === singular);
  if (twin) {
    throw new InputError(
      `rpc name ${name} collides with the existing RPC ${twin}: they differ only in a plural (both read ${singular}); pick a name that differs in more than a plural`,
    );
  }
  // Every file of the proto package: an aggregate added later has its own
  // (<aggregate>_service.proto), and one package shares one namespace.
  for (const file of listFiles(root, path.dirname(protoFile), '.proto')) {
    const types = declaredIn(
      root,
      file,
      /^\s*(?:message|enum)\s+([A-Za-z0-9_]+)/gm,
    );
    for (const t of [`${name}Request`, `${name}Response`]) {
      if (types.includes(t)) {
        throw new InputError(
          `rpc name ${name}: ${path.basename(
            file,
          )} already declares ${t}; pick another name`,
        );
      }
    }
  }

  // The request's fields: the aggregate's own, scalars, required.
  const fieldNames = Array.isArray(input.fields) ? input.fields : [];
  if (fieldNames.length === 0 || fieldNames.length > MAX_FIELDS) {
    throw new InputError(
      `rpc ${name} needs 1 to ${MAX_FIELDS} fields of ${v.aggregate} (${v.fields
        .map(f => f.name)
        .join(', ')}), it has ${fieldNames.length}`,
    );
  }
  const fields: RpcField[] = [];
  for (const fname of fieldNames) {
    const f = v.fields.find(x => x.name === fname) as
      | (RpcField & { optional?: boolean })
      | undefined;
    if (!f) {
      throw new InputError(
        `rpc ${name}: "${fname}" is not a field of ${
          v.aggregate
        }; its fields are ${v.fields.map(x => x.name).join(', ')}`,
      );
    }
    if (fields.some(x => x.name === fname)) {
      throw new InputError(`rpc ${name}: field ${fname} is listed twice`);
    }
    if (!RPC_FIELD_TYPES.includes(f.type) || f.optional) {
      throw new InputError(
        `rpc ${name}: field ${fname} is ${
          f.optional ? `an optional ${f.type}` : `a ${f.type}`
        }; an RPC's request carries required ${RPC_FIELD_TYPES.join(
          ', ',
        )} fields only`,
      );
    }
    if (RESERVED_FIELDS[kind].includes(fname)) {
      throw new InputError(
        `rpc ${name}: field ${fname} is a name the ${kind}'s request uses itself (${RESERVED_FIELDS[
          kind
        ].join(', ')})`,
      );
    }
    fields.push({
      name: f.name,
      type: f.type,
      ...(f.type === 'enum' ? { values: f.values ?? [] } : {}),
    });
  }

  const snake = snakeOf(name);
  const rpc: ServiceRpc = {
    name,
    kind,
    fields,
    snake,
    camel,
    pkg: `${snake.replace(/_/g, '')}uc`,
  };

  // Go names the RPC adds, against what each package of the checkout declares.
  if (rpc.pkg === `${v.aggLower}uc`) {
    throw new InputError(
      `rpc name ${name}: its package ${rpc.pkg} is the package of the ${v.aggregate} use cases; pick another name`,
    );
  }
  const jobPkg = (v.jobs ?? []).find(
    j => `${String(j?.name).replace(/_/g, '')}uc` === rpc.pkg,
  );
  if (jobPkg) {
    throw new InputError(
      `rpc name ${name}: its package ${rpc.pkg} is the package of the scheduled job ${jobPkg.name}; pick another name`,
    );
  }
  const adds: [string, string[]][] = [
    ['internal/adapter/inbound/grpc', [name]],
    ['internal/application/port/input', [`${name}UseCase`]],
    ['internal/application/dto/request', [name]],
    ['tests/integration', [`Test${name}`, `new${name}App`]],
  ];
  if (kind === 'query') {
    adds.push(
      ['internal/domain/repository', [`${name}Filter`, name]],
      ['internal/adapter/outbound/persistence', [name]],
      ['sqlcgen', [name, `${name}Params`, camel]],
    );
  }
  for (const [dir, idents] of adds) {
    const declared = goIdentifiers(root, path.join(serviceDir, dir));
    for (const ident of idents) {
      const file = declared.get(ident);
      if (file) {
        throw new InputError(
          `rpc name ${name}: ${where}/${dir}/${file} already declares ${ident}; pick another name`,
        );
      }
    }
  }
  if (kind === 'query') {
    const queries = listFiles(
      root,
      path.join(serviceDir, 'db/queries'),
      '.sql',
    );
    for (const q of queries) {
      if (
        declaredIn(root, q, /^--\s*name:\s*([A-Za-z0-9_]+)/gm).includes(name)
      ) {
        throw new InputError(
          `rpc name ${name}: ${where}/db/queries/${path.basename(
            q,
          )} already has a query named ${name}; pick another name`,
        );
      }
    }
  }
  for (const rel of [
    ...rpcFiles(rpc),
    `internal/application/usecase/${rpc.pkg}`,
  ]) {
    if (checkoutHas(root, path.join(serviceDir, rel))) {
      throw new InputError(
        `rpc name ${name}: ${where}/${rel} exists already; pick another name`,
      );
    }
  }
  return rpc;
}
