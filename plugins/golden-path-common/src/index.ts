/**
 * Types, annotations and the proto and Go source readers shared by the Golden Path for Go
 * plugins (no Node or React dependencies).
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './onboarding';
export * from './insights';
export * from './proto';
export * from './go';
export * from './dependencies';
