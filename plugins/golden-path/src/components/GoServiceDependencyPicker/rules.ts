import { goServiceDependencyProblem } from '@golden-path/plugin-golden-path-common';
import { GoServiceEntry, goServiceNameOf, systemRefOf } from './goServices';

/** The form's values the pickers read besides their own. */
export type FormValues = Record<string, unknown> | undefined;

const shown = (value: unknown) =>
  JSON.stringify(
    typeof value === 'string' ? value.trim().slice(0, 80) : value ?? null,
  );

/**
 * The calling service of the "Add a dependency" form (its `service` field)
 * as the catalog has it, or the line saying why it cannot be checked.
 */
function callerOf(
  formData: FormValues,
  services: readonly GoServiceEntry[],
): GoServiceEntry | string {
  const value = formData?.service;
  const name = goServiceNameOf(value);
  const caller = services.find(s => s.name === name);
  return (
    caller ??
    `The service ${shown(
      value,
    )} that will make the calls is no Go service of the catalog: choose it in the Service field first`
  );
}

/**
 * What refuses `value` as the service to call of the "Add a dependency"
 * form (GoServiceDependencyPicker): a Component ref or name of a Go service
 * of the caller's monorepo, not the caller, not one it calls already, no
 * cycle. Undefined when it is fine.
 */
export function dependencyProblem(
  value: unknown,
  formData: FormValues,
  services: readonly GoServiceEntry[],
): string | undefined {
  const caller = callerOf(formData, services);
  if (typeof caller === 'string') return caller;
  return goServiceDependencyProblem({
    service: caller.name,
    system: caller.system,
    dependency: goServiceNameOf(value) ?? value,
    at: shown(value),
    services,
    calls: caller.calls,
  });
}

/** The Go services the "Add a dependency" form offers: those it accepts. */
export function dependencyOptions(
  formData: FormValues,
  services: readonly GoServiceEntry[],
): GoServiceEntry[] {
  if (typeof callerOf(formData, services) === 'string') return [];
  return services.filter(
    s => dependencyProblem(s.name, formData, services) === undefined,
  );
}

/**
 * What refuses the list of services a new Go service calls (the Go service
 * template's dependsOn, GoServiceDependenciesPicker): each a Go service of
 * the monorepo chosen in the form's `system` field (any System while none is
 * chosen), not the new service (`name`), listed once, no cycle. The line
 * names the first bad entry; undefined when all are fine.
 */
export function dependenciesProblem(
  value: unknown,
  formData: FormValues,
  services: readonly GoServiceEntry[],
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    return 'The services it calls must be a list of service names, for example ["order"]';
  const service = typeof formData?.name === 'string' ? formData.name : '';
  const system = systemRefOf(formData?.system);
  for (const [i, dependency] of value.entries()) {
    if (value.indexOf(dependency) !== i)
      return `${shown(dependency)} is listed twice: list it once`;
    const problem = goServiceDependencyProblem({
      service,
      system,
      dependency,
      at: shown(dependency),
      services,
    });
    if (problem) return problem;
  }
  return undefined;
}

/** The Go services the Go service form offers for dependsOn: those it accepts and not chosen yet. */
export function dependenciesOptions(
  formData: FormValues,
  services: readonly GoServiceEntry[],
  chosen: readonly string[],
): GoServiceEntry[] {
  return services.filter(
    s =>
      !chosen.includes(s.name) &&
      dependenciesProblem([s.name], formData, services) === undefined,
  );
}
