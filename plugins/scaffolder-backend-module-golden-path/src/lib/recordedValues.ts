import { InputError } from '@backstage/errors';
import {
  ConfinedRoot,
  confinedRoot,
  readFileNoFollow,
} from '@golden-path/plugin-golden-path-node';
import path from 'node:path';
import { ServiceJob } from '../templateValues';
import { checkoutEntry, listFiles } from './checkoutRead';

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
 * directory name, <name>-service. `label` names the input in the message.
 */
export function serviceNameOf(ref: string, label = 'service'): string {
  const m = /^(?:([A-Za-z]+):)?(?:([a-z0-9][a-z0-9._-]*)\/)?([a-z0-9-]+)$/.exec(
    String(ref ?? '').trim(),
  );
  if (!m || (m[1] && m[1].toLowerCase() !== 'component') || !KEBAB.test(m[3])) {
    throw new InputError(
      `${label} ${JSON.stringify(
        String(ref ?? '').slice(0, 80),
      )} is not a Go service: give its Component (component:default/order-service), its name (order-service or order)`,
    );
  }
  return m[3].endsWith('-service') ? m[3] : `${m[3]}-service`;
}

/**
 * The JSON text of `<dir>/.golden-path/values.json` (of
 * `<dir>/<service>/.golden-path/values.json` when `service` is given, e.g.
 * `services/order-service` of a monorepo), read through the confinement
 * primitive: a symlink on the way (the service directory, .golden-path, or
 * the file) is refused rather than followed out of `dir`, as is a file over
 * 1 MiB; undefined when there is none. `where` names `dir` in messages.
 */
export function readRecordedFile(
  dir: string,
  where: string,
  service?: string,
): string | undefined {
  const rel = service
    ? `${service}/${RECORDED_VALUES_FILE}`
    : RECORDED_VALUES_FILE;
  const label = service ? rel : `${where}/${RECORDED_VALUES_FILE}`;
  const entry = confinedRoot(dir, { name: where }).entry(rel, {
    label: service ? 'recorded values' : label,
    symlinks: 'refuse',
  });
  if (!entry.stats) return undefined;
  if (!entry.stats.isFile())
    throw new InputError(`${label} is not a regular file`);
  if (entry.stats.size > 1024 * 1024)
    throw new InputError(`${label} is larger than 1 MiB`);
  return readFileNoFollow(entry.path, label).content.toString('utf8');
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
  const text = readRecordedFile(serviceDir, where);
  if (text === undefined) {
    throw new InputError(
      `${where} has no ${RECORDED_VALUES_FILE}: it was not created by the Go service template, or by a version that did not record its values. ${byHand}`,
    );
  }
  let doc: any;
  try {
    doc = JSON.parse(text);
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
  // name and protoPkg make paths (services/<name>-service, api/proto/<protoPkg>):
  // only what the Go service template records them as.
  if (
    !KEBAB.test(v.name) ||
    v.serviceName !== `${v.name}-service` ||
    !/^[a-z][a-z0-9]*$/.test(v.protoPkg)
  ) {
    throw new InputError(
      `${where}/${RECORDED_VALUES_FILE} records name ${JSON.stringify(
        v.name.slice(0, 60),
      )} and protoPkg ${JSON.stringify(
        v.protoPkg.slice(0, 60),
      )}, not what the Go service template records (a kebab-case name, <name>-service, protoPkg its letters and digits); restore the file from the monorepo's history`,
    );
  }
  // As recorded (the base render must reproduce the service), with the
  // defaults the skeleton applies where a key is missing.
  return {
    ...v,
    // Which template and skeleton revision made it (docs/template-versions.md).
    ...(doc.templateVersion ? { templateVersion: doc.templateVersion } : {}),
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
  root: ConfinedRoot,
  migrationsDir: string,
  where: string,
): string {
  if (!checkoutEntry(root, migrationsDir, 'directory').stats?.isDirectory())
    throw new InputError(`${where} has no db/migrations directory`);
  const names = listFiles(root, migrationsDir, '.sql').map(f =>
    path.basename(f),
  );
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
