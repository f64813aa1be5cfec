import { InputError } from '@backstage/errors';
import {
  dependencyCycleProblem,
  dependencyNameProblem,
  findDependencyPath,
} from '@golden-path/plugin-golden-path-common';
import {
  confinedRoot,
  readFileNoFollow,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { readRecordedFile } from './recordedValues';

/**
 * One service a Go service calls (the template's `dependsOn`), as the plan
 * read it from the monorepo: what the generated gRPC client, its output
 * port, configuration and catalog entry are named after.
 */
export interface ServiceDependency {
  /** Template name, order-history. */
  name: string;
  /** order-history-service */
  serviceName: string;
  /** Proto package without the version, orderhistory. */
  protoPkg: string;
  /** The aggregate, its plural and snake_case: the RPCs GetX / ListXs. */
  aggregate: string;
  aggPlural: string;
  aggSnake: string;
  /** Its default GRPC_PORT, for the default address. */
  grpcPort: number;
  /** Go and environment names: OrderHistory, orderHistory, order_history, ORDER_HISTORY. */
  pascal: string;
  camel: string;
  snake: string;
  env: string;
}

const PASCAL = /^[A-Z][a-z0-9]+([A-Z][a-z0-9]+)*$/;
const MAX_DEPENDENCIES = 10;
const RECORDED = '.golden-path/values.json';
/** The monorepo files the generated clients import. */
const CLIENT_SUPPORT = [
  'pkg/circuitbreaker/circuitbreaker.go',
  'pkg/middleware/grpc/interceptor/client.go',
];

/**
 * Checks the names in `dependsOn` without reading anything: kebab-case
 * service names, no "-service" suffix, not gateway/pkg/common, no
 * duplicates, not the service itself (the shortest cycle). Throws an
 * InputError with one line naming the bad entry.
 */
export function checkDependsOnNames(
  name: string,
  dependsOn: unknown,
): string[] {
  if (dependsOn === undefined || dependsOn === null) return [];
  if (!Array.isArray(dependsOn))
    throw new InputError(
      'dependsOn must be a list of service names, for example ["order"]',
    );
  if (dependsOn.length > MAX_DEPENDENCIES)
    throw new InputError(
      `dependsOn lists ${dependsOn.length} services; at most ${MAX_DEPENDENCIES}`,
    );
  const seen = new Map<string, number>();
  dependsOn.forEach((dep: unknown, i) => {
    const at = `dependsOn[${i}] ${JSON.stringify(dep)}`;
    checkDependencyName(name, dep, at);
    const first = seen.get(dep as string);
    if (first !== undefined)
      throw new InputError(`${at} is also dependsOn[${first}]: list it once`);
    seen.set(dep as string, i);
  });
  return dependsOn as string[];
}

/**
 * Checks one name of a service to call without reading anything (`at` names
 * it in the message): kebab-case, no "-service" suffix, not gateway/pkg/common,
 * not the service `name` itself (the shortest cycle).
 */
export function checkDependencyName(
  name: string,
  dep: unknown,
  at: string,
): string {
  const problem = dependencyNameProblem(name, dep, at);
  if (problem) throw new InputError(problem);
  return dep as string;
}

function pascalOf(kebab: string): string {
  return kebab
    .split('-')
    .map(w => w[0].toUpperCase() + w.slice(1))
    .join('');
}

interface Recorded {
  aggregate: string;
  aggPlural: string;
  protoPkg: string;
  grpcPort: number;
  dependsOn: string[];
}

/**
 * Reads services/<dep>-service/.golden-path/values.json of the monorepo
 * through the confinement primitive (readRecordedFile): a symlinked service
 * directory, .golden-path or file is refused with one line, never followed
 * out of the monorepo. Null when the service has none.
 */
function readRecorded(
  monorepoDir: string,
  where: string,
  serviceName: string,
  at: string,
) {
  let text: string | undefined;
  try {
    text = readRecordedFile(monorepoDir, where, `services/${serviceName}`);
  } catch (e) {
    throw new InputError(`${at}: ${(e as Error).message}`);
  }
  if (text === undefined) return null;
  let values: any;
  try {
    values = JSON.parse(text)?.values;
  } catch (e) {
    throw new InputError(
      `${at}: services/${serviceName}/${RECORDED} is not JSON (${
        (e as Error).message
      })`,
    );
  }
  const ok =
    values &&
    typeof values.aggregate === 'string' &&
    PASCAL.test(values.aggregate) &&
    typeof values.aggPlural === 'string' &&
    PASCAL.test(values.aggPlural) &&
    typeof values.protoPkg === 'string' &&
    /^[a-z][a-z0-9]*$/.test(values.protoPkg) &&
    Number.isInteger(values.grpcPort);
  if (!ok)
    throw new InputError(
      `${at}: services/${serviceName}/${RECORDED} lacks aggregate, aggPlural, protoPkg or grpcPort: re-create it from the service's values`,
    );
  const deps = Array.isArray(values.dependencies) ? values.dependencies : [];
  const recorded: Recorded = {
    aggregate: values.aggregate,
    aggPlural: values.aggPlural,
    protoPkg: values.protoPkg,
    grpcPort: values.grpcPort,
    dependsOn: deps
      .map((d: any) => d?.name)
      .filter((n: unknown): n is string => typeof n === 'string'),
  };
  return recorded;
}

/** The text of a service's proto (`rel`), '' when there is none; symlinks refused as in readRecorded. */
function readProto(
  monorepoDir: string,
  where: string,
  rel: string,
  at: string,
): string {
  try {
    const entry = confinedRoot(monorepoDir, { name: where }).entry(rel, {
      label: 'proto',
      symlinks: 'refuse',
    });
    if (!entry.stats?.isFile()) return '';
    if (entry.stats.size > 1024 * 1024)
      throw new InputError(`${rel} is larger than 1 MiB`);
    return readFileNoFollow(entry.path, rel).content.toString('utf8');
  } catch (e) {
    throw new InputError(`${at}: ${(e as Error).message}`);
  }
}

/**
 * Whether anything is at `rel` of the monorepo, through the confinement
 * primitive with symlinks refused, as readRecorded and readProto read it: a
 * link is refused (with `at` first), never followed out to be probed.
 */
function monorepoHas(
  monorepoDir: string,
  where: string,
  rel: string,
  at: string,
): boolean {
  try {
    return !!confinedRoot(monorepoDir, { name: where }).entry(rel, {
      label: 'path',
      symlinks: 'refuse',
    }).stats;
  } catch (e) {
    throw new InputError(`${at}: ${(e as Error).message}`);
  }
}

function listServices(monorepoDir: string, where: string, at: string) {
  if (!monorepoHas(monorepoDir, where, 'services', at)) return [];
  return fs
    .readdirSync(path.join(monorepoDir, 'services'), { withFileTypes: true })
    .filter(e => e.isDirectory() && e.name.endsWith('-service'))
    .map(e => e.name.slice(0, -'-service'.length))
    .sort();
}

/** How {@link resolveServiceDependencies} names entries and what the service calls already. */
export interface ResolveDependenciesOptions {
  /** Names the i-th entry in messages (default: dependsOn[i] "name"). */
  label?: (dep: string, i: number) => string;
  /** The services it calls already (the recorded `dependencies` of a day-2 change): refused again, and their aggregates taken. */
  existing?: Pick<ServiceDependency, 'name' | 'aggregate'>[];
}

/**
 * Resolves `dependsOn` against the monorepo on disk (`monorepoDir`, named
 * `where` in messages): each name must be a Go service made by the Go service
 * template (its recorded values), with its proto and generated code, not one
 * the service calls already, and must not already depend, directly or through
 * others, on `name` (a cycle). The monorepo must have the client support
 * packages. Throws an InputError with one line naming the first bad entry;
 * reads only.
 */
export function resolveServiceDependencies(
  monorepoDir: string,
  where: string,
  name: string,
  dependsOn: string[],
  options: ResolveDependenciesOptions = {},
): ServiceDependency[] {
  if (dependsOn.length === 0) return [];
  const existing = options.existing ?? [];
  const labelOf = options.label ?? ((dep, i) => `dependsOn[${i}] "${dep}"`);
  if (existing.length + dependsOn.length > MAX_DEPENDENCIES)
    throw new InputError(
      `${labelOf(dependsOn[0], 0)}: ${name}-service would call ${
        existing.length + dependsOn.length
      } services; at most ${MAX_DEPENDENCIES}`,
    );
  const missing = CLIENT_SUPPORT.filter(
    f => !monorepoHas(monorepoDir, where, f, 'dependsOn'),
  );
  if (missing.length > 0)
    throw new InputError(
      `dependsOn: ${where} has no ${missing.join(
        ' and ',
      )}, which the generated clients use: copy them from the Go monorepo template's skeleton (pkg/) into the monorepo first`,
    );
  const cache = new Map<string, Recorded | null>();
  const recordedOf = (svc: string, at: string) => {
    if (!cache.has(svc))
      cache.set(svc, readRecorded(monorepoDir, where, `${svc}-service`, at));
    return cache.get(svc)!;
  };
  const byAggregate = new Map<string, string>(
    existing.map(d => [d.aggregate, `the ${d.name} client it has`]),
  );
  return dependsOn.map((dep, i) => {
    const at = labelOf(dep, i);
    if (existing.some(d => d.name === dep))
      throw new InputError(
        `${at}: ${name}-service calls ${dep}-service already (its recorded dependencies); nothing to add`,
      );
    const serviceName = `${dep}-service`;
    if (!monorepoHas(monorepoDir, where, `services/${serviceName}`, at)) {
      const services = listServices(monorepoDir, where, at);
      throw new InputError(
        `${at}: ${where} has no services/${serviceName}; its services are ${
          services.length ? services.join(', ') : 'none yet'
        }`,
      );
    }
    const rec = recordedOf(dep, at);
    if (!rec)
      throw new InputError(
        `${at}: services/${serviceName} is not a Go service made by the Go service template (no ${RECORDED}), so its API cannot be read`,
      );
    const protoRel = `api/proto/${rec.protoPkg}/v1/${rec.protoPkg}_service.proto`;
    const text = readProto(monorepoDir, where, protoRel, at);
    if (
      !new RegExp(`^service ${rec.aggregate}Service \\{`, 'm').test(text) ||
      !new RegExp(`rpc Get${rec.aggregate}\\(`).test(text)
    )
      throw new InputError(
        `${at}: api/proto/${rec.protoPkg}/v1/${rec.protoPkg}_service.proto of ${where} has no service ${rec.aggregate}Service with Get${rec.aggregate}`,
      );
    if (!monorepoHas(monorepoDir, where, `pkg/proto/${rec.protoPkg}/v1`, at))
      throw new InputError(
        `${at}: ${where} has no generated code in pkg/proto/${rec.protoPkg}/v1: run make proto (buf generate) in the monorepo first`,
      );
    // A cycle: name reachable from dep through the recorded dependencies.
    const trail = findDependencyPath(dep, name, (svc: string) =>
      svc === dep ? rec.dependsOn : recordedOf(svc, at)?.dependsOn ?? [],
    );
    if (trail)
      throw new InputError(dependencyCycleProblem(at, name, dep, trail));
    const other = byAggregate.get(rec.aggregate);
    if (other !== undefined)
      throw new InputError(
        `${at}: its aggregate ${rec.aggregate} is also the one of ${other}, and the output ports are named after it; call one of them by hand`,
      );
    byAggregate.set(rec.aggregate, labelOf(dep, i));
    const pascal = pascalOf(dep);
    return {
      name: dep,
      serviceName,
      protoPkg: rec.protoPkg,
      aggregate: rec.aggregate,
      aggPlural: rec.aggPlural,
      aggSnake: rec.aggregate
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .toLowerCase(),
      grpcPort: rec.grpcPort,
      pascal,
      camel: pascal[0].toLowerCase() + pascal.slice(1),
      snake: dep.replace(/-/g, '_'),
      env: dep.replace(/-/g, '_').toUpperCase(),
    };
  });
}
