/**
 * Golden Path for Go frontend: the Architecture tab and the insights card of
 * Go services on the catalog page, and the gRPC definition widget of API
 * entities (`grpcApiDefinitionWidget`), and the scaffolder fields that check
 * the services a Go service calls against the catalog
 * (`GoServiceDependencyPicker`, `GoServiceDependenciesPicker`). The new
 * frontend system's plugin is the default export of `@golden-path/plugin-golden-path/alpha`; this entry point
 * holds the API client and the exports for apps on the old frontend system.
 *
 * @packageDocumentation
 */

export {
  goldenPathLegacyPlugin,
  EntityGoldenPathArchitectureContent,
  EntityGoldenPathInsightsCard,
  GoldenPathOnboardingPage,
  GoldenPathFleetPage,
  GoServiceDependencyPickerFieldExtension,
  GoServiceDependenciesPickerFieldExtension,
} from './legacy';
export { isGoldenPathService } from './filters';
export {
  grpcApiDefinitionWidget,
  withGrpcApiDefinitionWidget,
} from './grpcApiDefinitionWidget';
export { GrpcApiDefinition } from './components/GrpcApiDefinition';
export {
  goldenPathInsightsApiRef,
  GoldenPathInsightsClient,
  goldenPathOnboardingApiRef,
  GoldenPathOnboardingClient,
  goldenPathFleetApiRef,
  GoldenPathFleetClient,
} from './api';
export type {
  GoldenPathEntityRef,
  GoldenPathInsightsApi,
  GoldenPathInsightsRefresh,
  GoldenPathOnboardingApi,
  GoldenPathFleetApi,
  ProtoFieldInsight,
  ProtoMessageInsight,
  ProtoFileWithMessages,
} from './api';
