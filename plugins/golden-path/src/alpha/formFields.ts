import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The scaffolder field `GoServiceDependencyPicker` (the "Add a dependency"
 * template's service to call), checked against the catalog's Go services.
 *
 * @alpha
 */
export const goServiceDependencyPickerFormField = FormFieldBlueprint.make({
  name: 'go-service-dependency-picker',
  params: {
    field: () =>
      import('../components/GoServiceDependencyPicker/formFields').then(
        m => m.goServiceDependencyPickerField,
      ),
  },
});

/**
 * The scaffolder field `GoServiceDependenciesPicker` (the Go service
 * template's dependsOn), checked against the catalog's Go services.
 *
 * @alpha
 */
export const goServiceDependenciesPickerFormField = FormFieldBlueprint.make({
  name: 'go-service-dependencies-picker',
  params: {
    field: () =>
      import('../components/GoServiceDependencyPicker/formFields').then(
        m => m.goServiceDependenciesPickerField,
      ),
  },
});
