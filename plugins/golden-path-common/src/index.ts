/**
 * Types, annotations and template-value validation shared by the Golden Path
 * for Go plugins (no Node or React dependencies).
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './monorepo';
export * from './onboarding';
export * from './service';
export * from './insights';
