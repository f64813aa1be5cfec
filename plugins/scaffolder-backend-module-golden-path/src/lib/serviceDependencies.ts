import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';

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

const KEBAB = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;
const PASCAL = /^[A-Z][a-z0-9]+([A-Z][a-z0-9]+)*$/;
const NOT_SERVICES = new Set(['common', 'gateway', 'pkg']);
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
    if (typeof dep !== 'string' || dep.length > 40 || !KEBAB.test(dep))
      throw new InputError(
        `${at} is not a service name: lowercase kebab-case without "-service", for example order or order-history`,
      );
    if (dep.endsWith('-service'))
      throw new InputError(
        `${at}: give the name without "-service" (${dep.slice(
          0,
          -'-service'.length,
        )})`,
      );
    if (NOT_SERVICES.has(dep))
      throw new InputError(
        `${at} is not a service: ${dep} is a part of the monorepo every service shares`,
      );
    if (dep === name)
      throw new InputError(
        `${at} is the service itself: a service cannot depend on itself (a cycle)`,
      );
    const first = seen.get(dep);
    if (first !== undefined)
      throw new InputError(`${at} is also dependsOn[${first}]: list it once`);
    seen.set(dep, i);
  });
  return dependsOn as string[];
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

/** Reads services/<dep>-service/.golden-path/values.json; null when the service has none. */
function readRecorded(monorepoDir: string, serviceName: string, at: string) {
  const file = path.join(monorepoDir, 'services', serviceName, RECORDED);
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) return null;
  if (!st.isFile() || st.size > 1024 * 1024)
    throw new InputError(
      `${at}: services/${serviceName}/${RECORDED} is not a regular file under 1 MiB`,
    );
  let values: any;
  try {
    values = JSON.parse(fs.readFileSync(file, 'utf8'))?.values;
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

function listServices(monorepoDir: string): string[] {
  const dir = path.join(monorepoDir, 'services');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isDirectory() && e.name.endsWith('-service'))
    .map(e => e.name.slice(0, -'-service'.length))
    .sort();
}

/**
 * Resolves `dependsOn` against the monorepo on disk (`monorepoDir`, named
 * `where` in messages): each name must be a Go service made by the Go service
 * template (its recorded values), with its proto and generated code, and
 * must not already depend, directly or through others, on `name` (a cycle).
 * The monorepo must have the client support packages. Throws an InputError
 * with one line naming the first bad entry; reads only.
 */
export function resolveServiceDependencies(
  monorepoDir: string,
  where: string,
  name: string,
  dependsOn: string[],
): ServiceDependency[] {
  if (dependsOn.length === 0) return [];
  const missing = CLIENT_SUPPORT.filter(
    f => !fs.existsSync(path.join(monorepoDir, f)),
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
      cache.set(svc, readRecorded(monorepoDir, `${svc}-service`, at));
    return cache.get(svc)!;
  };
  const byAggregate = new Map<string, number>();
  return dependsOn.map((dep, i) => {
    const at = `dependsOn[${i}] "${dep}"`;
    const serviceName = `${dep}-service`;
    const dir = path.join(monorepoDir, 'services', serviceName);
    if (!fs.existsSync(dir)) {
      const services = listServices(monorepoDir);
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
    const proto = path.join(
      monorepoDir,
      'api/proto',
      rec.protoPkg,
      'v1',
      `${rec.protoPkg}_service.proto`,
    );
    const text = fs.existsSync(proto) ? fs.readFileSync(proto, 'utf8') : '';
    if (
      !new RegExp(`^service ${rec.aggregate}Service \\{`, 'm').test(text) ||
      !new RegExp(`rpc Get${rec.aggregate}\\(`).test(text)
    )
      throw new InputError(
        `${at}: api/proto/${rec.protoPkg}/v1/${rec.protoPkg}_service.proto of ${where} has no service ${rec.aggregate}Service with Get${rec.aggregate}`,
      );
    if (!fs.existsSync(path.join(monorepoDir, 'pkg/proto', rec.protoPkg, 'v1')))
      throw new InputError(
        `${at}: ${where} has no generated code in pkg/proto/${rec.protoPkg}/v1: run make proto (buf generate) in the monorepo first`,
      );
    // A cycle: name reachable from dep through the recorded dependencies.
    const trail = findPath(dep, name, (svc: string) =>
      svc === dep ? rec.dependsOn : recordedOf(svc, at)?.dependsOn ?? [],
    );
    if (trail)
      throw new InputError(
        `${at}: ${trail.join(
          ' -> ',
        )} exists already, so ${name} -> ${dep} would make a cycle`,
      );
    const other = byAggregate.get(rec.aggregate);
    if (other !== undefined)
      throw new InputError(
        `${at}: its aggregate ${rec.aggregate} is also the one of dependsOn[${other}], and the output ports are named after it; call one of them by hand`,
      );
    byAggregate.set(rec.aggregate, i);
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

/** The path from `from` to `to` along `next`, or null. */
function findPath(
  from: string,
  to: string,
  next: (svc: string) => string[],
): string[] | null {
  const seen = new Set<string>();
  const walk = (svc: string, trail: string[]): string[] | null => {
    if (svc === to) return trail;
    if (seen.has(svc)) return null;
    seen.add(svc);
    for (const n of next(svc)) {
      const found = walk(n, [...trail, n]);
      if (found) return found;
    }
    return null;
  };
  return walk(from, [from]);
}
