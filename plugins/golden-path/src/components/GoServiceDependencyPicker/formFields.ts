import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { GoServiceDependencyPicker } from './GoServiceDependencyPicker';
import { GoServiceDependenciesPicker } from './GoServiceDependenciesPicker';
import {
  GO_SERVICE_DEPENDENCIES_PICKER,
  GO_SERVICE_DEPENDENCY_PICKER,
} from './names';
import {
  validateGoServiceDependencies,
  validateGoServiceDependency,
} from './validation';

/** GoServiceDependencyPicker in the new frontend system. */
export const goServiceDependencyPickerField = createFormField({
  name: GO_SERVICE_DEPENDENCY_PICKER,
  component: GoServiceDependencyPicker,
  validation: validateGoServiceDependency,
});

/** GoServiceDependenciesPicker in the new frontend system. */
export const goServiceDependenciesPickerField = createFormField({
  name: GO_SERVICE_DEPENDENCIES_PICKER,
  component: GoServiceDependenciesPicker,
  validation: validateGoServiceDependencies,
});
