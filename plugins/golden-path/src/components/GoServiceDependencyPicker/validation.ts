import type { ApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { GoServiceEntry, loadGoServices } from './goServices';
import { dependenciesProblem, dependencyProblem, FormValues } from './rules';

async function goServicesOrProblem(
  apiHolder: ApiHolder,
): Promise<GoServiceEntry[] | string> {
  const catalogApi = apiHolder.get(catalogApiRef);
  if (!catalogApi)
    return 'The catalog API is not installed, so the services to call cannot be checked: add the catalog plugin to the app';
  try {
    return await loadGoServices(catalogApi);
  } catch (e) {
    return `The catalog could not be read to check the services to call (${
      (e as Error).message
    }): try again`;
  }
}

/**
 * Validation of GoServiceDependencyPicker: refuses, in one line, a service
 * to call that is no Go service of the calling service's monorepo in the
 * catalog, the service itself, one it calls already and a cycle.
 */
export const validateGoServiceDependency: CustomFieldValidator<string> = async (
  value,
  validation,
  { apiHolder, formData },
) => {
  if (value === undefined || value === '') return;
  const services = await goServicesOrProblem(apiHolder);
  const problem =
    typeof services === 'string'
      ? services
      : dependencyProblem(value, formData as FormValues, services);
  if (problem) validation.addError(problem);
};

/**
 * Validation of GoServiceDependenciesPicker: refuses, in one line naming the
 * first bad entry, a name that is no Go service of the chosen monorepo in
 * the catalog, the new service itself, a name listed twice and a cycle.
 */
export const validateGoServiceDependencies: CustomFieldValidator<
  string[]
> = async (value, validation, { apiHolder, formData }) => {
  if (!Array.isArray(value) || value.length === 0) {
    if (value !== undefined && !Array.isArray(value))
      validation.addError(
        dependenciesProblem(value, formData as FormValues, []) ?? '',
      );
    return;
  }
  const services = await goServicesOrProblem(apiHolder);
  const problem =
    typeof services === 'string'
      ? services
      : dependenciesProblem(value, formData as FormValues, services);
  if (problem) validation.addError(problem);
};
