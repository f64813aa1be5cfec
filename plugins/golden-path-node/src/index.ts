/**
 * Node library of Golden Path for Go, shared by the scaffolder module, the
 * discovery module, the insights backend and the CLI: the tool runner
 * (`runner`), workspace confinement (`workspace`), tool-config checks
 * (`tools`), a Go service's catalog entities (`catalog`), and the source
 * tree reader with the Go layer analysis and its dependency rule
 * (`analysis`).
 *
 * @packageDocumentation
 */

export * from './workspace';
export * from './runner';
export * from './tools';
export * from './catalog';
export * from './analysis';
