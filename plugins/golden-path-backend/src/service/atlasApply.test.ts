import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import {
  copyRenderedService,
  SERVICE_DIR,
  serviceEntity,
} from '../__fixtures__/renderedService';
import { DefaultInsightsService } from './InsightsService';

/*
 * A failed migration recorded in a real PostgreSQL by the real
 * `atlas migrate apply` (the project's .tools/bin/atlas), then read by the
 * insights service. The migrations are those of the service the Go service
 * template rendered (src/__fixtures__/go-service), plus one that fails
 * half-way, hashed by `atlas migrate hash`: the template's versions applied,
 * the added one failed with its error and statement, atlas.sum verified.
 */
const run = promisify(execFile);
const ATLAS = path.resolve(__dirname, '../../../../.tools/bin/atlas');
const ADMIN =
  process.env.GOLDEN_PATH_TEST_PG ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const DB = `gp_insights_test_apply_${process.pid}_${Date.now().toString(36)}`;
const FAILING = '9999_add_total.sql';
const dbUrl = () => {
  const u = new URL(ADMIN);
  u.pathname = `/${DB}`;
  u.searchParams.set('sslmode', 'disable');
  return u.toString();
};

describe('insights of a migration that failed under atlas migrate apply', () => {
  let root: string;
  let admin: Client;
  let rendered: string[];

  beforeAll(async () => {
    admin = new Client({ connectionString: ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${DB}"`);
    root = copyRenderedService(
      fs.mkdtempSync(path.join(os.tmpdir(), 'gp-apply-')),
    );
    const migrations = path.join(root, SERVICE_DIR, 'db/migrations');
    rendered = fs
      .readdirSync(migrations)
      .filter(f => f.endsWith('.sql'))
      .sort();
    // the first statement succeeds, the second names a table that does not exist
    fs.writeFileSync(
      path.join(migrations, FAILING),
      'ALTER TABLE accounts ADD COLUMN total bigint;\nINSERT INTO missing_table VALUES (1);\n',
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
      throw new Error(
        `atlas migrate apply exited with ${applied}, expected 1 (${FAILING} fails)`,
      );
    }
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
    await admin.end();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports the rendered versions applied and the added one failed with its statement', async () => {
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
    try {
      const { migrations } = await service.getInsights(serviceEntity(root));
      expect(migrations.sum.status).toBe('ok');
      const [env] = migrations.environments;
      expect(env.status).toBe('failed');
      const versions = env.versions.map(v => v.file);
      expect(versions).toEqual([...rendered, FAILING]);
      for (const v of env.versions.slice(0, -1)) {
        expect(v).toMatchObject({ state: 'applied' });
      }
      const failed = env.versions[env.versions.length - 1];
      expect(failed).toMatchObject({
        version: '9999',
        state: 'failed',
        applied: 1,
        total: 2,
      });
      expect(failed.error).toMatch(/missing_table/);
      expect(failed.errorStatement).toMatch(/INSERT INTO missing_table/);
    } finally {
      await service.close();
    }
  });
});
