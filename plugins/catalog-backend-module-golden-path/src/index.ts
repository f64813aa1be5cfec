/**
 * Catalog module of Golden Path for Go: discovers the Go services of the
 * local monorepos (`services/*-service` with their catalog-info.yaml or the
 * values the Go service template recorded) and keeps their Component, API
 * and database Resource in the catalog.
 *
 * @packageDocumentation
 */

export { catalogModuleGoldenPathDiscovery as default } from './module';
export { GoldenPathServiceProvider } from './discovery/GoldenPathServiceProvider';
export type { DiscoveryResult } from './discovery/GoldenPathServiceProvider';
export { LocalMonorepoSource } from './discovery/localSource';
export { serviceEntities, SERVICE_KINDS } from './discovery/serviceEntities';
export { readDiscoverySettings } from './discovery/config';
export type { DiscoverySettings } from './discovery/config';
export type {
  DiscoveredService,
  ServiceLocation,
  ServiceSource,
} from './discovery/types';
