/**
 * Node library of Golden Path for Go: the tool runner, workspace confinement
 * and tool-config checks shared by the scaffolder module and the insights
 * backend, and the analyses behind the insights: Go layers and imports, in
 * the golden-path layout or recognised in another (`analysis`), a proto3
 * parser with buf's type resolution and convention checks (`proto`),
 * migration directory formats, atlas.sum verification and migration status
 * (`atlas`).
 *
 * @packageDocumentation
 */

export * from './workspace';
export * from './runner';
export * from './tools';
export * from './catalog';
export * from './analysis';
export * from './proto';
