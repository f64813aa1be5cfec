import { GO_KEYWORDS } from './goKeywords';
import { moduleProblems, TemplateValuesError } from './validateMonorepoValues';
import { aggregateNames } from './plural';
import { jobProblems, ServiceJob } from './validateJobs';

/** A field of the aggregate, as the Go service template's form gives it. */
export interface ServiceField {
  name: string;
  type: 'string' | 'int' | 'bool' | 'money' | 'timestamp' | 'uuid' | 'enum';
  values?: string[];
  optional?: boolean;
}

/** A transition of the aggregate's state machine. */
export interface ServiceTransition {
  name: string;
  from: string;
  to: string;
}

/** Values of the Go service template's form that the plan checks. */
export interface ServiceValues {
  name: string;
  aggregate: string;
  stage: 'mvp' | 'async';
  fields: ServiceField[];
  states?: string[];
  transitions?: ServiceTransition[];
  pkgModule: string;
  aggregatePlural?: string;
  /** Statuses in which Update and Delete are refused; default: the states no transition leaves. */
  finalStates?: string[];
  /** The server's default deadline per RPC, a Go duration in one unit (30s). */
  rpcTimeout?: string;
  jobs?: ServiceJob[];
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;
const PASCAL = /^[A-Z][a-z0-9]+([A-Z][a-z0-9]+)*$/;
const SNAKE = /^[a-z][a-z0-9]*(_[a-z][a-z0-9]*)*$/;
const TYPES = ['string', 'int', 'bool', 'money', 'timestamp', 'uuid', 'enum'];
/** Names the template generates itself, or that would clash in Go, SQL or the monorepo. */
const RESERVED_SERVICE_NAMES = ['common', 'gateway', 'pkg'];
const RESERVED_AGGREGATES = [
  'Service',
  'Status',
  'Money',
  'Handler',
  'Config',
  'Error',
  'Event',
];
const RESERVED_FIELDS = [
  'id',
  'status',
  'created_at',
  'updated_at',
  'fields',
  'version',
  'request_id',
];
const SQL_RESERVED = [
  'all',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'column',
  'constraint',
  'create',
  'current_date',
  'current_time',
  'current_timestamp',
  'current_user',
  'default',
  'deferrable',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'fetch',
  'for',
  'foreign',
  'from',
  'grant',
  'group',
  'having',
  'in',
  'initially',
  'intersect',
  'into',
  'lateral',
  'leading',
  'limit',
  'localtime',
  'localtimestamp',
  'not',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'placing',
  'primary',
  'references',
  'returning',
  'select',
  'session_user',
  'some',
  'symmetric',
  'table',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'variadic',
  'when',
  'where',
  'window',
  'with',
];
const CRUD = ['create', 'get', 'list', 'update', 'delete'];
/** Tables the template adds beside the aggregate's. */
const RESERVED_TABLES = ['outbox_events', 'job_runs', 'atlas_schema_revisions'];
const DURATION = /^([1-9][0-9]{0,5})(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Problems with the aggregate's plural, given (aggregatePlural) or computed. */
function pluralProblems(aggregate: string, aggregatePlural: unknown): string[] {
  if (
    aggregatePlural !== undefined &&
    aggregatePlural !== null &&
    typeof aggregatePlural !== 'string'
  ) {
    return ['aggregatePlural must be a string, e.g. Categories'];
  }
  const { plural, table, given } = aggregateNames(
    aggregate,
    aggregatePlural as string | undefined,
  );
  const label = given
    ? `aggregatePlural "${plural}"`
    : `aggregate "${aggregate}"`;
  if (given && (!PASCAL.test(plural) || plural.length > 44)) {
    return [
      `${label} must be PascalCase without consecutive capitals (at most 44 characters), e.g. Categories`,
    ];
  }
  if (plural === aggregate) {
    return [
      given
        ? `${label} is the aggregate itself: give a plural that differs from the singular, e.g. ${aggregate}Records`
        : `${label}: its plural is the same word (${plural}), so List${plural} and Get${aggregate} would name the same thing; give aggregatePlural, e.g. ${aggregate}Records`,
    ];
  }
  if (RESERVED_TABLES.includes(table)) {
    return [
      `${label}: its table ${table} is one the template adds; give another plural`,
    ];
  }
  return [];
}

/** Problems with the default RPC deadline: a Go duration in one unit from 100ms to 1h. */
function rpcTimeoutProblems(rpcTimeout: unknown): string[] {
  if (rpcTimeout === undefined || rpcTimeout === null || rpcTimeout === '')
    return [];
  const m = DURATION.exec(String(rpcTimeout));
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]] : NaN;
  if (!m || ms < 100 || ms > 3_600_000) {
    return [
      `rpcTimeout "${String(
        rpcTimeout,
      )}" must be a Go duration in one unit from 100ms to 1h, e.g. 30s or 2m`,
    ];
  }
  return [];
}

/**
 * Checks the Go service template's values the way the form does, plus what
 * JSON Schema cannot say (unique field names, enum values, transitions between
 * known states, a plural that differs from the singular, the jobs' schedules
 * and timeouts). Throws a TemplateValuesError listing every problem, each
 * saying what to type instead.
 *
 * @public
 */
export function validateServiceValues(
  input: Record<string, unknown>,
): ServiceValues {
  const problems: string[] = [];
  const v = input as Partial<ServiceValues>;
  const name = String(v.name ?? '');
  if (!KEBAB.test(name) || name.length > 40) {
    problems.push(
      `name "${name}" must be lowercase kebab-case (letters and digits, words joined by "-"), e.g. order or order-history`,
    );
  } else if (name.endsWith('-service')) {
    problems.push(
      `name "${name}" must not end in -service: the template adds it (type ${name.replace(
        /-service$/,
        '',
      )})`,
    );
  } else if (
    GO_KEYWORDS.includes(name) ||
    RESERVED_SERVICE_NAMES.includes(name)
  ) {
    problems.push(
      `name "${name}" is reserved (a Go keyword or a monorepo directory): pick another, e.g. ${name}-api`,
    );
  }
  const aggregate = String(v.aggregate ?? '');
  if (!PASCAL.test(aggregate) || aggregate.length > 40) {
    problems.push(
      `aggregate "${aggregate}" must be PascalCase and singular, without consecutive capitals, e.g. Order or OrderLine`,
    );
  } else if (RESERVED_AGGREGATES.includes(aggregate)) {
    problems.push(
      `aggregate "${aggregate}" clashes with a generated type: pick the business name, e.g. Order`,
    );
  } else {
    problems.push(...pluralProblems(aggregate, v.aggregatePlural));
  }
  problems.push(...rpcTimeoutProblems(v.rpcTimeout));
  if (v.stage !== 'mvp' && v.stage !== 'async')
    problems.push(`stage "${String(v.stage)}" must be mvp or async`);
  problems.push(...moduleProblems('pkgModule', v.pkgModule));

  const fields = Array.isArray(v.fields) ? v.fields : [];
  if (fields.length === 0)
    problems.push(
      'fields: give the aggregate at least one field, e.g. customer_name of type string',
    );
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const label = `fields[${i}] "${f?.name ?? ''}"`;
    const fname = String(f?.name ?? '');
    if (!SNAKE.test(fname) || fname.length > 40) {
      problems.push(
        `${label}: a field name must be snake_case, e.g. customer_id`,
      );
    } else if (RESERVED_FIELDS.includes(fname)) {
      problems.push(
        `${label}: ${fname} is added by the template; remove it or rename it, e.g. external_${fname}`,
      );
    } else if (GO_KEYWORDS.includes(fname) || SQL_RESERVED.includes(fname)) {
      problems.push(
        `${label}: ${fname} is a Go keyword or a reserved SQL word; rename it, e.g. ${fname}_value`,
      );
    }
    if (seen.has(fname))
      problems.push(
        `${label}: field names must be unique; ${fname} appears twice`,
      );
    seen.add(fname);
    if (!TYPES.includes(f?.type as string)) {
      problems.push(
        `${label}: type "${String(f?.type)}" must be one of ${TYPES.join(
          ', ',
        )}`,
      );
    }
    if (f?.type === 'enum') {
      const values = Array.isArray(f.values) ? f.values : [];
      if (values.length === 0)
        problems.push(`${label}: an enum needs values, e.g. low, normal, high`);
      values.forEach(value => {
        if (!SNAKE.test(String(value)))
          problems.push(`${label}: enum value "${value}" must be snake_case`);
      });
      if (new Set(values).size !== values.length)
        problems.push(`${label}: enum values must be unique`);
    }
  });

  const states = Array.isArray(v.states) ? v.states : [];
  const transitions = Array.isArray(v.transitions) ? v.transitions : [];
  states.forEach(s => {
    if (!SNAKE.test(String(s)))
      problems.push(`state "${s}" must be snake_case, e.g. pending`);
  });
  if (new Set(states).size !== states.length)
    problems.push('states must be unique');
  if (transitions.length > 0 && states.length === 0) {
    problems.push(
      'transitions need states: list the statuses first, e.g. pending, confirmed',
    );
  }
  const targets = new Map<string, string>();
  transitions.forEach((t, i) => {
    const label = `transitions[${i}] "${t?.name ?? ''}"`;
    if (!SNAKE.test(String(t?.name ?? '')))
      problems.push(
        `${label}: a transition name must be snake_case, e.g. confirm`,
      );
    if (CRUD.includes(String(t?.name)))
      problems.push(
        `${label}: ${t.name} is already an RPC; name the business step, e.g. confirm`,
      );
    if (seen.has(String(t?.name)))
      problems.push(`${label}: a field has the same name; rename one of them`);
    for (const end of ['from', 'to'] as const) {
      if (states.length && !states.includes(t?.[end])) {
        problems.push(
          `${label}: ${end} "${
            t?.[end]
          }" is not one of the states (${states.join(', ')})`,
        );
      }
    }
    const to = targets.get(t?.name);
    if (to !== undefined && to !== t?.to) {
      problems.push(
        `${label}: every "${t.name}" transition must lead to the same state (${to}), it becomes one RPC`,
      );
    }
    targets.set(t?.name, t?.to);
  });
  problems.push(...finalStateProblems(states, transitions, v.finalStates));
  problems.push(
    ...jobProblems(v.jobs, {
      aggregate,
      aggregatePlural: v.aggregatePlural,
      fields,
      transitions,
    }),
  );

  if (problems.length) throw new TemplateValuesError(problems);
  return v as ServiceValues;
}

/**
 * The final statuses of the Go service template: finalStates when given, else
 * the states no transition leaves (none without a state machine).
 *
 * @public
 */
export function finalStatesOf(values: {
  states?: string[];
  transitions?: ServiceTransition[];
  finalStates?: string[];
}): string[] {
  const states = Array.isArray(values.states) ? values.states : [];
  if (Array.isArray(values.finalStates)) return values.finalStates;
  const left = new Set((values.transitions ?? []).map(t => t?.from));
  return states.filter(s => !left.has(s));
}

/** Problems with finalStates: known, unique statuses other than the initial one. */
function finalStateProblems(
  states: string[],
  transitions: ServiceTransition[],
  finalStates: unknown,
): string[] {
  if (finalStates === undefined || finalStates === null) return [];
  if (!Array.isArray(finalStates))
    return [
      'finalStates must be a list of statuses, e.g. delivered, cancelled',
    ];
  if (finalStates.length && states.length === 0) {
    return [
      'finalStates need states: list the statuses first, or leave finalStates empty',
    ];
  }
  const reachable = new Set<string>(states.slice(0, 1));
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of transitions) {
      if (reachable.has(t?.from) && !reachable.has(t?.to)) {
        reachable.add(t.to);
        grew = true;
      }
    }
  }
  const problems: string[] = [];
  finalStates.forEach((s, i) => {
    if (!states.includes(s)) {
      problems.push(
        `finalStates[${i}] "${String(
          s,
        )}" is not one of the states (${states.join(', ')})`,
      );
    } else if (s === states[0]) {
      problems.push(
        `finalStates[${i}] "${s}" is the initial status: a new record could never be updated or deleted; remove it`,
      );
    } else if (!reachable.has(s)) {
      problems.push(
        `finalStates[${i}] "${s}" cannot be reached from ${states[0]} by the transitions; add a transition to it or remove it`,
      );
    }
  });
  if (new Set(finalStates).size !== finalStates.length)
    problems.push('finalStates must be unique');
  return problems;
}
