/**
 * Types, annotations, template-value validation and the proto parser shared
 * by the Golden Path for Go plugins (no Node or React dependencies).
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './monorepo';
export * from './onboarding';
export * from './service';
export * from './insights';
export * from './proto';
