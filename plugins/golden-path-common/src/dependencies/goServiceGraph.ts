import {
  dependencyCycleProblem,
  dependencyNameProblem,
  findDependencyPath,
} from './dependencyName';

/**
 * A Go service made by the Go service template as the catalog shows it: a
 * Component `<name>-service` with the `golden-path.dev/go-service`
 * annotation.
 *
 * @public
 */
export interface GoServiceNode {
  /** The template name, without "-service": order-history. */
  name: string;
  /** Its System (the monorepo), as a full entity ref (system:default/shop); undefined when it has none. */
  system?: string;
  /** The template names of the Go services it calls (its dependsOn Components). */
  calls: readonly string[];
}

/** What {@link goServiceDependencyProblem} checks. @public */
export interface GoServiceDependencyCheck {
  /** The calling service's template name (order). */
  service: string;
  /** The monorepo of the calling service as a full System ref; undefined: not known yet. */
  system?: string;
  /** The name of the service to call, without "-service". */
  dependency: unknown;
  /** Names the entry in the message, for example `"payment"`. */
  at: string;
  /** Every Go service of the catalog. */
  services: readonly GoServiceNode[];
  /** The services the calling service calls already (or is given earlier in the same list). */
  calls?: readonly string[];
}

/**
 * The catalog's side of the rules golden-path:dependency:plan and
 * golden-path:service:plan apply to the monorepo on disk: the service to call
 * must be a Go service of the same monorepo (its System), not the service
 * itself, not one it calls already, and must not call the service already,
 * directly or through others (a cycle). Returns the one line that refuses it,
 * or undefined.
 *
 * @public
 */
export function goServiceDependencyProblem(
  check: GoServiceDependencyCheck,
): string | undefined {
  const { service, system, at, services } = check;
  const named = dependencyNameProblem(service, check.dependency, at);
  if (named) return named;
  const dependency = check.dependency as string;
  const mates = services
    .filter(s => system === undefined || s.system === system)
    .map(s => s.name)
    .filter(n => n !== service)
    .sort();
  const target = services.find(s => s.name === dependency);
  const where = system ? `the monorepo ${system}` : 'the catalog';
  if (!target)
    return `${at}: there is no Go service ${dependency}-service in the catalog; the Go services of ${where} are ${
      mates.length ? mates.join(', ') : 'none yet'
    }`;
  if (system !== undefined && target.system !== system)
    return `${at}: ${dependency}-service is in ${
      target.system ?? 'no System'
    }, not in ${system}: a service calls only services of its own monorepo (${
      mates.length ? mates.join(', ') : 'none yet'
    })`;
  if ((check.calls ?? []).includes(dependency))
    return `${at}: ${service}-service calls ${dependency}-service already; nothing to add`;
  const callsOf = new Map(services.map(s => [s.name, s.calls]));
  const trail = findDependencyPath(
    dependency,
    service,
    s => callsOf.get(s) ?? [],
  );
  if (trail) return dependencyCycleProblem(at, service, dependency, trail);
  return undefined;
}
