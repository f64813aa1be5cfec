/**
 * Catalog module of Golden Path for Go: the software templates shipped in
 * this package, kept in the catalog by an entity provider.
 *
 * @packageDocumentation
 */

export { catalogModuleGoldenPathTemplates as default } from './module';
