/**
 * Types, permissions, annotations and template-value validation shared by the Golden Path for Go plugins
 *
 * @packageDocumentation
 */

export {};
