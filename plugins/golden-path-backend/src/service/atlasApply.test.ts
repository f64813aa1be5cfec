import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DefaultInsightsService } from './InsightsService';

/*
 * A failed migration recorded in a real PostgreSQL by the real
 * `atlas migrate apply` (the project's .tools/bin/atlas), then read by the
 * insights service: the first version applied, the second failed with its
 * error and statement, and the migration directory's atlas.sum verified.
 */
const run = promisify(execFile);
const ATLAS = path.resolve(__dirname, '../../../../.tools/bin/atlas');
const ADMIN =
  process.env.GOLDEN_PATH_TEST_PG ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const DB = `gp_insights_test_apply_${process.pid}_${Date.now().toString(36)}`;
const dbUrl = () => {
  const u = new URL(ADMIN);
  u.pathname = `/${DB}`;
  u.searchParams.set('sslmode', 'disable');
  return u.toString();
};

describe('insights of a migration that failed under atlas migrate apply', () => {
  let root: string;
  let admin: Client;

  beforeAll(async () => {
    admin = new Client({ connectionString: ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${DB}"`);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-apply-'));
    const migrations = path.join(root, 'services/order-service/db/migrations');
    fs.mkdirSync(migrations, { recursive: true });
    fs.writeFileSync(
      path.join(root, 'go.mod'),
      'module example.com/shop\n\ngo 1.26\n',
    );
    fs.writeFileSync(
      path.join(migrations, '20250101000000_create_orders.sql'),
      'CREATE TABLE orders (id uuid PRIMARY KEY);\n',
    );
    fs.writeFileSync(
      path.join(migrations, '20250102000000_add_total.sql'),
      'ALTER TABLE orders ADD COLUMN total bigint;\nINSERT INTO missing_table VALUES (1);\n',
    );
    await run(ATLAS, ['migrate', 'hash', '--dir', `file://${migrations}`]);
    const applied = await run(ATLAS, [
      'migrate',
      'apply',
      '--dir',
      `file://${migrations}`,
      '--url',
      dbUrl(),
      '--tx-mode',
      'none',
    ]).then(
      () => 0,
      e => e.code,
    );
    if (applied !== 1) {
      throw new Error(`atlas migrate apply exited with ${applied}, expected 1 (the second migration fails)`);
    }
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
    await admin.end();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports the first version applied and the second failed with its statement', async () => {
    const service = DefaultInsightsService.fromConfig(
      new ConfigReader({
        goldenPath: {
          insights: {
            localRoots: [root],
            migrations: { environments: [{ name: 'local', url: dbUrl() }] },
          },
        },
      }),
      {
        logger: mockServices.logger.mock(),
        urlReader: mockServices.urlReader.mock(),
        cache: mockServices.cache.mock(),
      },
    );
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'order-service',
        namespace: 'default',
        annotations: {
          'golden-path.dev/go-service': 'services/order-service',
          'backstage.io/source-location': `dir:${root}/`,
        },
      },
      spec: { type: 'service', owner: 'team', lifecycle: 'experimental' },
    };
    try {
      const { migrations } = await service.getInsights(entity);
      expect(migrations.sum.status).toBe('ok');
      const [env] = migrations.environments;
      expect(env.status).toBe('failed');
      const [first, second] = env.versions;
      expect(first).toMatchObject({
        version: '20250101000000',
        state: 'applied',
      });
      expect(second).toMatchObject({
        version: '20250102000000',
        state: 'failed',
        applied: 1,
        total: 2,
      });
      expect(second.error).toMatch(/missing_table/);
      expect(second.errorStatement).toMatch(/INSERT INTO missing_table/);
    } finally {
      await service.close();
    }
  });
});
