/** The `ui:field` of the "Add a dependency" template's service to call. */
export const GO_SERVICE_DEPENDENCY_PICKER = 'GoServiceDependencyPicker';
/** The `ui:field` of the Go service template's dependsOn. */
export const GO_SERVICE_DEPENDENCIES_PICKER = 'GoServiceDependenciesPicker';
