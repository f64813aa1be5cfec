const KEBAB = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;

/**
 * The parts of a Go monorepo every service shares, which no service can
 * call.
 *
 * @public
 */
export const NOT_SERVICES: readonly string[] = ['common', 'gateway', 'pkg'];

/**
 * What is wrong with the name of a service to call, without reading anything:
 * lowercase kebab-case, no "-service" suffix, not gateway/pkg/common, not the
 * calling service `service` itself (the shortest cycle). `at` names the entry
 * in the message (`dependsOn[0] "order"`). Undefined when the name is fine;
 * the Go service template's form, golden-path:service:plan and
 * golden-path:dependency:plan all refuse with this line.
 *
 * @public
 */
export function dependencyNameProblem(
  service: string,
  dependency: unknown,
  at: string,
): string | undefined {
  if (
    typeof dependency !== 'string' ||
    dependency.length > 40 ||
    !KEBAB.test(dependency)
  )
    return `${at} is not a service name: lowercase kebab-case without "-service", for example order or order-history`;
  if (dependency.endsWith('-service'))
    return `${at}: give the name without "-service" (${dependency.slice(
      0,
      -'-service'.length,
    )})`;
  if (NOT_SERVICES.includes(dependency))
    return `${at} is not a service: ${dependency} is a part of the monorepo every service shares`;
  if (dependency === service)
    return `${at} is the service itself: a service cannot depend on itself (a cycle)`;
  return undefined;
}

/**
 * The path of calls from `from` to `to` (both included), following `next`
 * (the services a service calls), or undefined when `to` cannot be reached:
 * `to -> ... -> from` is a cycle once `to` calls `from`.
 *
 * @public
 */
export function findDependencyPath(
  from: string,
  to: string,
  next: (service: string) => readonly string[],
): string[] | undefined {
  const seen = new Set<string>();
  const walk = (svc: string, trail: string[]): string[] | undefined => {
    if (svc === to) return trail;
    if (seen.has(svc)) return undefined;
    seen.add(svc);
    for (const n of next(svc)) {
      const found = walk(n, [...trail, n]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(from, [from]);
}

/**
 * The one line refusing a dependency that closes a cycle: `trail` is the
 * existing path from the service to call back to the calling service.
 *
 * @public
 */
export function dependencyCycleProblem(
  at: string,
  service: string,
  dependency: string,
  trail: readonly string[],
): string {
  return `${at}: ${trail.join(
    ' -> ',
  )} exists already, so ${service} -> ${dependency} would make a cycle`;
}
