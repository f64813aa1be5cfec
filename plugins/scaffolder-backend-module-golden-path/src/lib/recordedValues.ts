import { InputError } from '@backstage/errors';
import { ServiceJob } from '../templateValues';
import fs from 'node:fs';
import path from 'node:path';

/** Where the Go service template records the values it rendered a service with. */
export const RECORDED_VALUES_FILE = '.golden-path/values.json';

/** The recorded values (the `values` of templates/go-service/template.yaml). */
export interface RecordedServiceValues {
  name: string;
  serviceName: string;
  module: string;
  pkgModule: string;
  protoPkg: string;
  aggregate: string;
  aggPlural: string;
  table: string;
  stage: string;
  fields: { name: string; type: string }[];
  transitions: { name: string }[];
  hasStateMachine: boolean;
  jobs: ServiceJob[];
  jobsMigration: string;
  [key: string]: unknown;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;
const REQUIRED_STRINGS = [
  'name',
  'serviceName',
  'module',
  'pkgModule',
  'protoPkg',
  'aggregate',
  'aggPlural',
  'table',
  'stage',
];

/**
 * A service given as its Component's entity ref (component:default/order-service),
 * its entity name (order-service) or its template name (order): the service's
 * directory name, <name>-service.
 */
export function serviceNameOf(ref: string): string {
  const m = /^(?:([A-Za-z]+):)?(?:([a-z0-9][a-z0-9._-]*)\/)?([a-z0-9-]+)$/.exec(
    String(ref ?? '').trim(),
  );
  if (!m || (m[1] && m[1].toLowerCase() !== 'component') || !KEBAB.test(m[3])) {
    throw new InputError(
      `service "${ref}" is not a Go service: give its Component (component:default/order-service), its name (order-service or order)`,
    );
  }
  return m[3].endsWith('-service') ? m[3] : `${m[3]}-service`;
}

/**
 * Reads and checks `<serviceDir>/.golden-path/values.json`; `where` names the
 * service in messages, `byHand` says what to do for a service without them.
 */
export function readRecordedValues(
  serviceDir: string,
  serviceName: string,
  where: string,
  byHand = "Add the job by hand as the Go service template's docs describe (Scheduled jobs)",
): RecordedServiceValues {
  const file = path.join(serviceDir, ...RECORDED_VALUES_FILE.split('/'));
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) {
    throw new InputError(
      `${where} has no ${RECORDED_VALUES_FILE}: it was not created by the Go service template, or by a version that did not record its values. ${byHand}`,
    );
  }
  if (!st.isFile())
    throw new InputError(
      `${where}/${RECORDED_VALUES_FILE} is not a regular file`,
    );
  if (st.size > 1024 * 1024)
    throw new InputError(
      `${where}/${RECORDED_VALUES_FILE} is larger than 1 MiB`,
    );
  let doc: any;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(
      `${where}/${RECORDED_VALUES_FILE} is not valid JSON: ${
        (e as Error).message
      }`,
    );
  }
  if (
    doc?.template !== 'go-service' ||
    typeof doc.values !== 'object' ||
    doc.values === null
  ) {
    throw new InputError(
      `${where}/${RECORDED_VALUES_FILE} does not hold the values of the Go service template`,
    );
  }
  const v = doc.values;
  const missing = REQUIRED_STRINGS.filter(
    k => typeof v[k] !== 'string' || !v[k],
  );
  if (
    missing.length ||
    !Array.isArray(v.fields) ||
    !Array.isArray(v.jobs ?? [])
  ) {
    throw new InputError(
      `${where}/${RECORDED_VALUES_FILE} lacks ${
        [...missing, ...(Array.isArray(v.fields) ? [] : ['fields'])].join(
          ', ',
        ) || 'a jobs list'
      }`,
    );
  }
  if (v.serviceName !== serviceName) {
    throw new InputError(
      `${where}/${RECORDED_VALUES_FILE} records the service ${v.serviceName}, not ${serviceName}`,
    );
  }
  // As recorded (the base render must reproduce the service), with the
  // defaults the skeleton applies where a key is missing.
  return {
    ...v,
    jobs: v.jobs ?? [],
    states: v.states ?? [],
    transitions: v.transitions ?? [],
    hasStateMachine: !!v.hasStateMachine,
    jobsMigration:
      typeof v.jobsMigration === 'string' ? v.jobsMigration : '0002',
  };
}

/**
 * The next free migration version of an Atlas directory: one more than the
 * highest numeric version, as wide as it (0001_init.sql -> 0002; timestamps
 * stay timestamps).
 */
export function nextMigrationVersion(
  migrationsDir: string,
  where: string,
): string {
  let names: string[];
  try {
    names = fs.readdirSync(migrationsDir).filter(f => f.endsWith('.sql'));
  } catch {
    throw new InputError(`${where} has no db/migrations directory`);
  }
  let best: { n: bigint; width: number } | undefined;
  for (const f of names) {
    const m = /^([0-9]+)[_.]/.exec(f);
    if (!m) continue;
    const n = BigInt(m[1]);
    if (!best || n > best.n) best = { n, width: m[1].length };
  }
  if (!best) return '0001';
  return String(best.n + 1n).padStart(best.width, '0');
}

/** The values of templates/go-service/skeleton-job for one job (as go-service/template.yaml passes them). */
export function jobRenderValues(v: RecordedServiceValues, job: ServiceJob) {
  return {
    name: v.name,
    module: v.module,
    pkgModule: v.pkgModule,
    aggregate: v.aggregate,
    aggPlural: v.aggPlural,
    table: v.table,
    job,
  };
}
