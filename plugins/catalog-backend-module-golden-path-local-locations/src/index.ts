/**
 * Development-only catalog module of Golden Path for Go: lets the catalog
 * register the `file` locations local publishing writes.
 *
 * @packageDocumentation
 */

export { catalogModuleGoldenPathLocalLocations as default } from './module';
