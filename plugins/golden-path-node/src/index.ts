/**
 * Node library of Golden Path for Go: tool runner, workspace confinement and the analyses shared by the scaffolder module and the insights backend
 *
 * @packageDocumentation
 */

export {};
