/**
 * Node library of Golden Path for Go: the tool runner, workspace confinement
 * and tool-config checks shared by the scaffolder module and the insights
 * backend.
 *
 * @packageDocumentation
 */

export * from './workspace';
export * from './runner';
export * from './tools';
