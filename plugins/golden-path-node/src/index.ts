/**
 * Node library of Golden Path for Go, shared by the scaffolder module, the
 * discovery module, the insights backend and the CLI: the tool runner
 * (`runner`), workspace confinement (`workspace`), tool-config checks
 * (`tools`) and a Go service's catalog entities (`catalog`).
 *
 * @packageDocumentation
 */

export * from './workspace';
export * from './runner';
export * from './tools';
export * from './catalog';
