import type { GoServiceInsights } from '@golden-path/plugin-golden-path-common';

/** Insights with a bit of everything to count. */
export function sampleInsights(
  overrides: Partial<GoServiceInsights> = {},
): GoServiceInsights {
  const problem = (severity: 'error' | 'warning' | 'info', code = 'x') => ({
    severity,
    code,
    message: code,
  });
  return {
    entityRef: 'component:default/order-service',
    generatedAt: '2026-12-04T10:00:00.000Z',
    source: {
      location: 'dir:/x/',
      serviceDir: 'services/order-service',
      fileCount: 3,
      problems: [],
    },
    layers: {
      layers: [],
      packages: [],
      violations: [
        {
          path: 'a.go',
          line: 1,
          column: 1,
          fromPackage: 'a',
          fromLayer: 'domain',
          toPackage: 'b',
          toLayer: 'adapter',
          rule: 'domain must not import adapter',
        },
      ],
      problems: [problem('warning'), problem('info')],
      totals: { packages: 0, files: 0, testFiles: 0, lines: 0 },
    },
    protos: {
      files: [
        {
          path: 'api/proto/order/v1/order.proto',
          imports: [],
          services: [],
          messages: [],
          enums: [],
          problems: [problem('error', 'proto-enum-zero'), problem('info')],
        },
      ],
      problems: [problem('warning', 'proto-none')],
    },
    migrations: {
      dir: 'services/order-service/db/migrations',
      format: 'atlas',
      formatReason: 'atlas.sum',
      files: [],
      sum: { status: 'mismatch', added: [], edited: [], removed: [] },
      problems: [problem('error', 'atlas-sum')],
      environments: [
        {
          name: 'dev',
          status: 'pending',
          revisionsSchema: 'atlas_schema_revisions',
          currentVersion: '0001',
          versions: [
            { version: '0001', description: 'a', state: 'applied', types: [] },
            { version: '0002', description: 'b', state: 'pending', types: [] },
            { version: '0003', description: 'c', state: 'partial', types: [] },
          ],
        },
        {
          name: 'prod',
          status: 'failed',
          revisionsSchema: 'atlas_schema_revisions',
          versions: [
            { version: '0001', description: 'a', state: 'failed', types: [] },
            { version: '0009', description: 'z', state: 'drift', types: [] },
          ],
        },
      ],
    },
    ...overrides,
  };
}
