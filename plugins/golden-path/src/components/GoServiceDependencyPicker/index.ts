export { GoServiceDependencyPicker } from './GoServiceDependencyPicker';
export { GoServiceDependenciesPicker } from './GoServiceDependenciesPicker';
export {
  validateGoServiceDependency,
  validateGoServiceDependencies,
} from './validation';
export {
  GO_SERVICE_DEPENDENCY_PICKER,
  GO_SERVICE_DEPENDENCIES_PICKER,
} from './names';
