/**
 * Marks a Component as a Go service made by the Golden Path templates. The
 * value is the service's directory relative to its repository root (for
 * example `services/order-service`); the insights backend reads that part of
 * the source tree.
 *
 * @public
 */
export const ANNOTATION_GO_SERVICE = 'golden-path.dev/go-service';

/**
 * The Atlas migration directory of a Go service, relative to the service
 * directory (default `db/migrations`).
 *
 * @public
 */
export const ANNOTATION_MIGRATIONS_DIR = 'golden-path.dev/migrations-dir';

/**
 * Marks the entities of a Go monorepo made by the Golden Path templates (its
 * System, or its gateway Component when it joined an existing System). The
 * value is the project name.
 *
 * @public
 */
export const ANNOTATION_MONOREPO = 'golden-path.dev/monorepo';
