import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';

const FIXTURES = resolvePackagePath(
  '@golden-path/plugin-golden-path-backend',
  'src/__fixtures__',
);

/** The values the fixture was rendered with (see README.md). */
export const FIXTURE_VALUES = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'go-service.values.json'), 'utf8'),
) as { name: string; aggregate: string; owner: string };

/** `ledger-service`. */
export const SERVICE = `${FIXTURE_VALUES.name}-service`;
/** `services/ledger-service`. */
export const SERVICE_DIR = `services/${SERVICE}`;
/** `api/proto/ledger`: the template names it after the proto package. */
export const PROTO_DIR = `api/proto/${FIXTURE_VALUES.name.replace(/-/g, '')}`;

const RENDERED = path.join(FIXTURES, 'go-service');

/**
 * Copies the service the Go service template rendered into `root` (a
 * monorepo-shaped directory: `services/…` and `api/proto/…`), for a test to
 * break as it likes. Returns `root`.
 */
export function copyRenderedService(root: string): string {
  if (!fs.existsSync(path.join(RENDERED, SERVICE_DIR))) {
    throw new Error(
      `${RENDERED} has no ${SERVICE_DIR}: render it with UPDATE_INSIGHTS_FIXTURE=1 (see README.md)`,
    );
  }
  fs.cpSync(RENDERED, root, { recursive: true });
  return root;
}

/** The Component of a copy at `root`, as the template registers it (name, annotation). */
export function serviceEntity(
  root: string,
  name: string = SERVICE,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'golden-path.dev/go-service': SERVICE_DIR,
        'golden-path.dev/migrations-dir': 'db/migrations',
        'backstage.io/source-location': `dir:${root}/`,
        // registered from its own monorepo, as the catalog records it
        'backstage.io/managed-by-location': `file:${root}/${SERVICE_DIR}/catalog-info.yaml`,
        ...annotations,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: FIXTURE_VALUES.owner,
    },
  };
}
