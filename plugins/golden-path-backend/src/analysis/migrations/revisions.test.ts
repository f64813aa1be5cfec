import type { MigrationFileInsight } from '@golden-path/plugin-golden-path-common';
import { Client } from 'pg';
import {
  ATLAS_REVISION_TYPE,
  AtlasRevision,
  compareMigrations,
} from './migrationStatus';
import {
  AtlasRevisionsError,
  AtlasRevisionsReader,
  atlasRevisionsSchema,
} from './revisions';

/*
 * Runs against the local PostgreSQL (127.0.0.1:5432, trust auth for user
 * postgres, as scripts/test.sh provides) in a database of its own that it
 * drops afterwards. The table is Atlas's own DDL for atlas_schema_revisions.
 */
const ADMIN =
  process.env.GOLDEN_PATH_TEST_PG ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const DB = `gp_insights_test_${process.pid}_${Date.now().toString(36)}`;
const conn = (() => {
  const u = new URL(ADMIN);
  u.pathname = `/${DB}`;
  return u.toString();
})();

const ATLAS_DDL = `
CREATE SCHEMA "atlas_schema_revisions";
CREATE TABLE "atlas_schema_revisions"."atlas_schema_revisions" ("version" character varying NOT NULL, "description" character varying NOT NULL, "type" bigint NOT NULL DEFAULT 2, "applied" bigint NOT NULL DEFAULT 0, "total" bigint NOT NULL DEFAULT 0, "executed_at" timestamptz NOT NULL, "execution_time" bigint NOT NULL, "error" text NULL, "error_stmt" text NULL, "hash" character varying NOT NULL, "partial_hashes" jsonb NULL, "operator_version" character varying NOT NULL, PRIMARY KEY ("version"));
`;

const files: MigrationFileInsight[] = [
  {
    name: '20250101000000_create_orders.sql',
    version: '20250101000000',
    description: 'create_orders',
    hash: 'h-1',
    sumIgnored: false,
  },
  {
    name: '20250102000000_add_status.sql',
    version: '20250102000000',
    description: 'add_status',
    hash: 'h-2',
    sumIgnored: false,
  },
  {
    name: '20250104000000_add_customer.sql',
    version: '20250104000000',
    description: 'add_customer',
    hash: 'h-4',
    sumIgnored: false,
  },
];

describe('AtlasRevisionsReader (real PostgreSQL)', () => {
  let admin: Client;
  let db: Client;
  const reader = new AtlasRevisionsReader({
    statementMs: 1500,
    lockMs: 300,
    connectMs: 2000,
  });

  beforeAll(async () => {
    admin = new Client({ connectionString: ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${DB}"`);
    db = new Client({ connectionString: conn });
    await db.connect();
  });

  afterAll(async () => {
    await reader.close();
    await db?.end();
    await admin?.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
    await admin?.end();
  });

  it('reports no table as nothing applied yet', async () => {
    await expect(
      reader.read({ url: conn }, 'atlas_schema_revisions'),
    ).resolves.toBeUndefined();
    const env = compareMigrations(
      'dev',
      'atlas_schema_revisions',
      files,
      undefined,
    );
    expect(env).toMatchObject({
      status: 'pending',
      message: expect.stringContaining('no revisions table'),
    });
    expect(env.versions.map(v => v.state)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
  });

  it('reads revisions and classifies applied, failed and drifted versions', async () => {
    await db.query(ATLAS_DDL);
    await db.query(
      `INSERT INTO atlas_schema_revisions.atlas_schema_revisions
         (version, description, type, applied, total, executed_at, execution_time, error, error_stmt, hash, operator_version) VALUES
       ('20241231000000', 'hotfix', 2, 1, 1, now(), 1000000, NULL, NULL, 'h-0', 'Atlas CLI v0.32.1'),
       ('20250101000000', 'create_orders', 2, 1, 1, '2025-01-01T00:00:00Z', 12000000, NULL, NULL, 'h-1', 'Atlas CLI v0.32.1'),
       ('20250102000000', 'add_status', 2, 1, 2, now(), 5000000, 'pq: column "status" already exists', 'CREATE INDEX "orders_status_idx" ON "orders" ("status");', 'h-2', 'Atlas CLI v0.32.1')`,
    );
    const revisions = await reader.read(
      { url: conn },
      'atlas_schema_revisions',
    );
    expect(revisions).toHaveLength(3);
    expect(revisions![1]).toMatchObject({
      version: '20250101000000',
      type: 2,
      applied: 1,
      total: 1,
      executionTimeNs: 12000000,
      hash: 'h-1',
    });
    expect(revisions![1].executedAt?.toISOString()).toBe(
      '2025-01-01T00:00:00.000Z',
    );

    const env = compareMigrations(
      'dev',
      'atlas_schema_revisions',
      files,
      revisions,
    );
    expect(env.status).toBe('failed');
    expect(env.currentVersion).toBe('20250102000000');
    expect(env.versions.map(v => [v.version, v.state])).toEqual([
      ['20241231000000', 'drift'],
      ['20250101000000', 'applied'],
      ['20250102000000', 'failed'],
      ['20250104000000', 'pending'],
    ]);
    expect(env.versions[2]).toMatchObject({
      error: 'pq: column "status" already exists',
      errorStatement: expect.stringContaining('CREATE INDEX'),
      applied: 1,
      total: 2,
    });
    expect(env.versions[1]).toMatchObject({
      executionTimeMs: 12,
      hashMatches: true,
      types: ['execute'],
    });
  });

  it('reads a schema-scoped revisions table (search_path in the URL)', async () => {
    await db.query(
      'CREATE SCHEMA app; CREATE TABLE app.atlas_schema_revisions (LIKE atlas_schema_revisions.atlas_schema_revisions INCLUDING ALL)',
    );
    const url = `${conn}?search_path=app`;
    expect(atlasRevisionsSchema({ url })).toBe('app');
    expect(atlasRevisionsSchema({ url }, 'custom')).toBe('custom');
    await expect(reader.read({ url }, 'app')).resolves.toEqual([]);
  });

  it('reports a locked table as an error within the lock timeout, and keeps working', async () => {
    const holder = new Client({ connectionString: conn });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        'LOCK TABLE atlas_schema_revisions.atlas_schema_revisions IN ACCESS EXCLUSIVE MODE',
      );
      const start = Date.now();
      const err = await reader
        .read({ url: conn }, 'atlas_schema_revisions')
        .catch(e => e);
      expect(err).toBeInstanceOf(AtlasRevisionsError);
      expect(err.message).toMatch(/locked \(lock_timeout\)/);
      expect(err.code).toBe('55P03');
      expect(Date.now() - start).toBeLessThan(1500);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    // the pool recovered
    await expect(
      reader.read({ url: conn }, 'atlas_schema_revisions'),
    ).resolves.toHaveLength(3);
  });

  it('reports an unreachable database without leaking the password', async () => {
    const err = await reader
      .read(
        {
          host: '127.0.0.1',
          port: 1,
          user: 'u',
          password: 's3cret-pw',
          database: 'x',
        },
        'atlas_schema_revisions',
      )
      .catch(e => e);
    expect(err).toBeInstanceOf(AtlasRevisionsError);
    expect(err.message).toMatch(/^cannot connect: /);
    expect(err.message).not.toContain('s3cret-pw');
  });

  it('reports a missing database', async () => {
    const u = new URL(ADMIN);
    u.pathname = '/gp_insights_test_does_not_exist';
    const err = await reader
      .read({ url: u.toString() }, 'atlas_schema_revisions')
      .catch(e => e);
    expect(err).toBeInstanceOf(AtlasRevisionsError);
    expect(err.message).toContain('does not exist');
  });

  it('keeps at most maxPools pools, ending the least recently used', async () => {
    const small = new AtlasRevisionsReader({ connectMs: 2000 }, 2);
    const url = (n: number) => `${conn}?application_name=pool-${n}`;
    const applicationNames = async () =>
      (
        await admin.query(
          `SELECT application_name FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'pool-%'`,
          [DB],
        )
      ).rows.map(r => r.application_name as string);
    try {
      for (const n of [1, 2, 1, 3]) await small.read({ url: url(n) }, 's');
      // pool-2 was the least recently used when pool-3 came: ended
      expect(small.poolCount).toBe(2);
      await new Promise(r => setTimeout(r, 200));
      expect((await applicationNames()).sort()).toEqual(['pool-1', 'pool-3']);
    } finally {
      await small.close();
    }
  });

  it('refuses a schema name that is not an identifier', async () => {
    await expect(
      reader.read({ url: conn }, 'x"; DROP TABLE y; --'),
    ).rejects.toThrow('is not a valid schema name');
  });
});

describe('compareMigrations', () => {
  const rev = (
    version: string,
    over: Partial<AtlasRevision> = {},
  ): AtlasRevision => ({
    version,
    description: '',
    type: ATLAS_REVISION_TYPE.execute,
    applied: 1,
    total: 1,
    executionTimeNs: 0,
    hash: `h-${Number(version.slice(-7, -6))}`,
    ...over,
  });

  it('marks baselines, resolved revisions, partial runs, edited files and out-of-order files', () => {
    const env = compareMigrations(
      'prod',
      'atlas_schema_revisions',
      [
        ...files,
        {
          name: '20250103000000_late.sql',
          version: '20250103000000',
          description: 'late',
          hash: 'h-3',
          sumIgnored: false,
        },
      ],
      [
        rev('20250101000000', { type: ATLAS_REVISION_TYPE.baseline, hash: '' }),
        rev('20250102000000', {
          hash: 'h-changed',
          type: ATLAS_REVISION_TYPE.execute | ATLAS_REVISION_TYPE.resolved,
        }),
        rev('20250104000000', { applied: 0, total: 3, hash: 'h-4' }),
      ],
    );
    expect(env.versions.map(v => [v.version, v.state])).toEqual([
      ['20250101000000', 'baseline'],
      ['20250102000000', 'drift'],
      ['20250103000000', 'pending'],
      ['20250104000000', 'partial'],
    ]);
    expect(env.versions[1].types).toEqual(['execute', 'resolved']);
    expect(env.versions[1].note).toContain('resolved manually');
    expect(env.versions[2].note).toContain('added out of order');
    expect(env.status).toBe('failed');
  });

  it('is ok when everything is applied with matching hashes', () => {
    const env = compareMigrations(
      'dev',
      's',
      files,
      files.map(f => rev(f.version, { hash: f.hash })),
    );
    expect(env.status).toBe('ok');
    expect(
      env.versions.every(v => v.state === 'applied' && v.hashMatches),
    ).toBe(true);
  });
});
