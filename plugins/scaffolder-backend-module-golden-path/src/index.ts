/**
 * Scaffolder actions of Golden Path for Go: buf, sqlc and Atlas CLIs, local
 * publish, and catalog registration of generated Go services.
 *
 * @packageDocumentation
 */

export { scaffolderModuleGoldenPath as default } from './module';
export * from './actions';
export { readSettings } from './lib/settings';
export type { GoldenPathSettings } from './lib/settings';
