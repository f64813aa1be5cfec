import { InputError } from '@backstage/errors';
import { ConfinedRoot } from '@golden-path/plugin-golden-path-node';
import path from 'node:path';
import pluralize from 'pluralize';
import {
  aggregateNames,
  GO_KEYWORDS,
  GO_PREDECLARED,
  snakeCase,
  TemplateValuesError,
  validateServiceValues,
} from '../templateValues';
import { RecordedServiceValues } from './recordedValues';
import { checkoutHas, listFiles } from './checkoutRead';
import { declaredIn, goIdentifiers } from './serviceRpc';

/** What "Add an aggregate to a service" is asked for. */
export interface AggregateRequest {
  /** PascalCase singular, for example Supplier. */
  name: string;
  /** PascalCase plural; computed with the pluralize library when empty. */
  plural?: string;
  fields: { name: string; type: string; optional?: boolean }[];
}

/** One field of an added aggregate: required, of a scalar type. */
export interface AggregateField {
  name: string;
  type: string;
}

/** An added aggregate as the service records it (values.aggregates) and go-service/skeleton-aggregate renders it. */
export interface ServiceAggregate {
  name: string;
  plural: string;
  /** Its table, snake_case of the plural. */
  table: string;
  /** snake_case: file names. */
  snake: string;
  /** lowercase: its use case package, internal/application/usecase/<lower>uc. */
  lower: string;
  /** lowerCamelCase: unexported Go names. */
  camel: string;
  fields: AggregateField[];
  /** The version of its migration, db/migrations/<migration>_<table>.sql. */
  migration: string;
}

/** The field types an added aggregate has (no money, enum or optional fields). */
export const AGGREGATE_FIELD_TYPES = [
  'string',
  'int',
  'bool',
  'uuid',
  'timestamp',
];

const GO_RESERVED = new Set([...GO_KEYWORDS, ...GO_PREDECLARED]);

/** The aggregates a service recorded beside its first one (values.aggregates), [] when none. */
export function recordedAggregates(
  v: RecordedServiceValues,
): ServiceAggregate[] {
  return Array.isArray(v.aggregates)
    ? (v.aggregates as ServiceAggregate[])
    : [];
}

/** The files an aggregate adds to its service, relative to the service directory. */
export function aggregateServiceFiles(g: ServiceAggregate): string[] {
  return [
    `db/migrations/${g.migration}_${g.table}.sql`,
    `db/queries/${g.snake}.sql`,
    `internal/adapter/inbound/grpc/${g.snake}_handler.go`,
    `internal/adapter/outbound/persistence/${g.snake}_repository.go`,
    `internal/application/port/input/${g.snake}.go`,
    `internal/application/usecase/${g.lower}uc/${g.snake}.go`,
    `internal/application/usecase/${g.lower}uc/di.go`,
    `internal/domain/entity/${g.snake}.go`,
    `internal/domain/entity/${g.snake}_test.go`,
    `internal/domain/repository/${g.snake}_repository.go`,
    `internal/infrastructure/fx/${g.snake}_module.go`,
    `tests/integration/${g.snake}_test.go`,
  ];
}

/** The proto an aggregate adds, relative to the monorepo. */
export function aggregateProtoFile(g: ServiceAggregate, protoPkg: string) {
  return `api/proto/${protoPkg}/v1/${g.snake}_service.proto`;
}

/**
 * The name of an added aggregate's API entity in the service's
 * catalog-info.yaml (the Go service template writes one per added aggregate,
 * beside <name>-grpc-api): never the name of another service's API, which
 * ends in -grpc-api.
 */
export function aggregateApiName(serviceBaseName: string, snake: string) {
  return `${serviceBaseName}-grpc-api-${snake.replace(/_/g, '-')}`;
}

/** The last word of a PascalCase name read as a singular: WarehouseBins -> WarehouseBin. */
function singularOf(pascal: string): string {
  const m = /^(.*?)([A-Z][a-z0-9]*)$/.exec(pascal);
  return m ? m[1] + pluralize.singular(m[2]) : pascal;
}

/**
 * Checks an aggregate to add to a service against its recorded values and its
 * checkout (serviceDir, protoDir: api/proto/<protoPkg>/v1), and returns it as
 * the skeleton renders it. The aggregate's name, plural and fields follow the
 * Go service template's own rules (validateServiceValues); every refusal is
 * one InputError line naming what, where and how to fix it.
 */
export function planAggregate(
  input: AggregateRequest,
  v: RecordedServiceValues,
  serviceDir: string,
  protoDir: string,
  where: string,
  migration: string,
  root: ConfinedRoot,
): ServiceAggregate {
  const name = String(input?.name ?? '').trim();
  const given = String(input?.plural ?? '').trim();
  const rawFields = Array.isArray(input?.fields) ? input.fields : [];
  rawFields.forEach((f, i) => {
    const label = `aggregate ${name}: fields[${i}] "${String(f?.name ?? '')}"`;
    if (!AGGREGATE_FIELD_TYPES.includes(f?.type)) {
      throw new InputError(
        `${label} has type "${String(
          f?.type,
        )}"; an added aggregate's fields are ${AGGREGATE_FIELD_TYPES.join(
          ', ',
        )}`,
      );
    }
    if (f.optional) {
      throw new InputError(
        `${label} is optional; an added aggregate's fields are all required: drop optional`,
      );
    }
  });
  const fields = rawFields.map(f => ({ name: String(f.name), type: f.type }));
  try {
    // The Go service template's rules for an aggregate: PascalCase singular,
    // not a generated type, a plural that differs, snake_case unique fields
    // that are no Go keyword, SQL word or column the template adds.
    validateServiceValues({
      name: v.name,
      aggregate: name,
      aggregatePlural: given || undefined,
      stage: 'mvp',
      pkgModule: v.pkgModule,
      fields,
    });
  } catch (e) {
    if (e instanceof TemplateValuesError) throw new InputError(e.message);
    throw e;
  }
  const camel = name[0].toLowerCase() + name.slice(1);
  if (GO_RESERVED.has(camel)) {
    throw new InputError(
      `aggregate name ${name}: its Go name ${camel} is a Go keyword or predeclared identifier; pick a longer name, for example ${name}Record`,
    );
  }
  const { plural, table } = aggregateNames(name, given || undefined);

  // The aggregates the service has, by name, plural and table.
  const existing = [
    { name: v.aggregate, plural: v.aggPlural, table: v.table },
    ...recordedAggregates(v),
  ];
  const same = existing.find(e => e.name === name);
  if (same) {
    throw new InputError(
      `${v.serviceName} already has an aggregate named ${name}; pick another name`,
    );
  }
  for (const e of existing) {
    const theirs = [e.name, e.plural, singularOf(e.plural)];
    const ours = [name, plural, singularOf(name)];
    if (ours.some(n => theirs.includes(n)) || e.table === table) {
      throw new InputError(
        `aggregate ${name} collides with the existing aggregate ${e.name} after pluralization (${name}/${plural} against ${e.name}/${e.plural}, tables ${table} and ${e.table}); pick a name that differs in more than a plural`,
      );
    }
  }
  const schema = path.join(serviceDir, 'db/schema/schema.sql');
  if (
    declaredIn(
      root,
      schema,
      /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([A-Za-z0-9_]+)/gim,
    )
      .map(t => t.toLowerCase())
      .includes(table)
  ) {
    throw new InputError(
      `aggregate ${name}: ${where}/db/schema/schema.sql already has a table ${table}; pick another name or give another plural`,
    );
  }

  const snake = snakeCase(name);
  const apiName = aggregateApiName(v.name, snake);
  if (apiName.length > 63) {
    throw new InputError(
      `aggregate name ${name}: its API entity ${apiName} would be ${apiName.length} characters, more than the catalog's 63; pick a shorter name`,
    );
  }
  const g: ServiceAggregate = {
    name,
    plural,
    table,
    snake,
    lower: name.toLowerCase(),
    camel,
    fields,
    migration,
  };

  // The proto package: one more service and its messages.
  const protoRel = `api/proto/${v.protoPkg}/v1`;
  const protos = listFiles(root, protoDir, '.proto');
  if (protos.length === 0) {
    throw new InputError(
      `${where}: its API ${protoRel} was not found in api/proto; the service's proto must be checked out next to it`,
    );
  }
  const types = [
    `${name}Service`,
    name,
    ...['Create', 'Get', 'Update', 'Delete'].flatMap(op => [
      `${op}${name}Request`,
      `${op}${name}Response`,
    ]),
    `List${plural}Request`,
    `List${plural}Response`,
  ];
  for (const file of protos) {
    const declared = declaredIn(
      root,
      file,
      /^\s*(?:service|message|enum)\s+([A-Za-z0-9_]+)/gm,
    );
    const taken = types.find(t => declared.includes(t));
    if (taken) {
      throw new InputError(
        `aggregate name ${name}: ${protoRel}/${path.basename(
          file,
        )} already declares ${taken}; pick another name`,
      );
    }
  }

  // Go names the aggregate adds, against what each package of the checkout declares.
  const adds: [string, string[]][] = [
    [
      'internal/domain/entity',
      [
        name,
        `${name}Fields`,
        `New${name}`,
        `Unmarshal${name}FromDB`,
        `Err${name}NotFound`,
        `sample${name}Fields`,
        `TestNew${name}`,
        `TestNew${name}RefusesBrokenInvariants`,
        `TestUnmarshal${name}FromDB`,
        `Test${name}Update`,
      ],
    ],
    ['internal/domain/repository', [`${name}Repository`]],
    [
      'internal/adapter/outbound/persistence',
      [`New${name}Repository`, `${camel}Repository`, `${camel}FromRow`],
    ],
    [
      'internal/adapter/inbound/grpc',
      [
        `${name}Handler`,
        `New${name}Handler`,
        `${camel}ToPB`,
        `${camel}TimeFromPB`,
        `${camel}FieldRequest`,
        `${camel}FieldsFromPB`,
      ],
    ],
    [
      'internal/application/port/input',
      [
        `Create${name}UseCase`,
        `Get${name}UseCase`,
        `List${plural}UseCase`,
        `Update${name}UseCase`,
        `Delete${name}UseCase`,
        `${name}Page`,
      ],
    ],
    ['internal/infrastructure/fx', [`${name}Module`]],
    [
      'sqlcgen',
      [
        name,
        `Create${name}`,
        `Create${name}Params`,
        `Get${name}`,
        `List${plural}`,
        `List${plural}Params`,
        `Update${name}`,
        `Update${name}Params`,
        `Delete${name}`,
        `create${name}`,
        `get${name}`,
        `list${plural}`,
        `update${name}`,
        `delete${name}`,
      ],
    ],
    [
      'tests/integration',
      [
        `new${name}Handler`,
        `sample${name}Request`,
        `changed${name}Request`,
        `want${name}Code`,
        `Test${name}Lifecycle`,
        `Test${name}BadRequests`,
      ],
    ],
  ];
  for (const [dir, idents] of adds) {
    const declared = goIdentifiers(root, path.join(serviceDir, dir));
    for (const ident of idents) {
      const file = declared.get(ident);
      if (file) {
        throw new InputError(
          `aggregate name ${name}: ${where}/${dir}/${file} already declares ${ident}; pick another name`,
        );
      }
    }
  }
  const queryNames = [
    `Create${name}`,
    `Get${name}`,
    `List${plural}`,
    `Update${name}`,
    `Delete${name}`,
  ];
  for (const q of listFiles(
    root,
    path.join(serviceDir, 'db/queries'),
    '.sql',
  )) {
    const taken = declaredIn(root, q, /^--\s*name:\s*([A-Za-z0-9_]+)/gm).find(
      n => queryNames.includes(n),
    );
    if (taken) {
      throw new InputError(
        `aggregate name ${name}: ${where}/db/queries/${path.basename(
          q,
        )} already has a query named ${taken}; pick another name`,
      );
    }
  }
  for (const rel of [
    ...aggregateServiceFiles(g),
    `internal/application/usecase/${g.lower}uc`,
  ]) {
    if (checkoutHas(root, path.join(serviceDir, rel))) {
      throw new InputError(
        `aggregate name ${name}: ${where}/${rel} exists already; pick another name`,
      );
    }
  }
  if (checkoutHas(root, path.join(protoDir, `${snake}_service.proto`))) {
    throw new InputError(
      `aggregate name ${name}: ${protoRel}/${snake}_service.proto exists already; pick another name`,
    );
  }
  return g;
}
