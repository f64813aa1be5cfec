import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { actionContext, testSettings } from '../__testUtils__/context';
import { useSandboxes } from '../__testUtils__/sandboxes';
import { createAtlasMigrateDiffAction } from './atlasMigrateDiff';
import { createAtlasMigrateHashAction } from './atlasMigrateHash';
import { createAtlasMigrateLintAction } from './atlasMigrateLint';
import { createAtlasMigrateValidateAction } from './atlasMigrateValidate';

const deps = { settings: testSettings() };
const sandbox = useSandboxes();

const USERS =
  'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n';
const ORDERS =
  'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n';
const migrations = (files: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(files).map(([name, sql]) => [
      `svc/db/migrations/${name}`,
      sql,
    ]),
  );

/** Hashes svc/db/migrations with the real atlas, through the action. */
async function hash(workspace: string) {
  const { ctx, outputs } = actionContext(workspace, {
    workingDirectory: 'svc/db',
  });
  await createAtlasMigrateHashAction(deps).handler(ctx);
  return outputs;
}

/** Names of the dev databases the action passed to atlas (from its log lines). */
function devDatabasesUsed(ctx: any): string[] {
  const lines: string[] = ctx.logger.info.mock.calls.map((c: unknown[]) =>
    String(c[0]),
  );
  return lines.flatMap(l =>
    [...l.matchAll(/\/(gp_atlas_dev_[0-9a-z]+_[0-9a-f]+)\?/g)].map(m => m[1]),
  );
}

async function existingDatabases(names: string[]): Promise<string[]> {
  const client = new Client({
    connectionString: deps.settings.atlasDevDatabase,
  });
  await client.connect();
  try {
    const r = await client.query(
      'SELECT datname FROM pg_database WHERE datname = ANY($1)',
      [names],
    );
    return r.rows.map(row => row.datname);
  } finally {
    await client.end();
  }
}

describe('atlas actions with the real atlas', () => {
  it('atlas:migrate:hash writes atlas.sum and reports versions and sum', async () => {
    const s = sandbox(
      migrations({
        '20240101000000_users.sql': USERS,
        '20240102000000_orders.sql': ORDERS,
      }),
    );
    const outputs = await hash(s.workspace);
    expect(outputs.versions).toEqual(['20240101000000', '20240102000000']);
    expect(outputs.sum).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
    const sum = fs
      .readFileSync(
        path.join(s.workspace, 'svc/db/migrations/atlas.sum'),
        'utf8',
      )
      .split('\n');
    expect(sum[0]).toBe(outputs.sum);
    expect(sum[1]).toMatch(/^20240101000000_users\.sql h1:[A-Za-z0-9+/]{43}=$/);
    expect(sum[2]).toMatch(/^20240102000000_orders\.sql h1:/);
    // Hashing is stable.
    expect((await hash(s.workspace)).sum).toBe(outputs.sum);
  });

  it('atlas:migrate:hash reads no host file through an atlas.sum symlink', async () => {
    // atlas writes atlas.sum through the link inside its sandbox (where /tmp
    // is its own); the backend then read the host's file into the output.
    const secret = path.join(os.tmpdir(), `gp-atlas-sum-secret-${process.pid}`);
    fs.writeFileSync(secret, 'hunter2\n');
    try {
      const s = sandbox(migrations({ '20240101000000_users.sql': USERS }));
      fs.symlinkSync(
        secret,
        path.join(s.workspace, 'svc/db/migrations/atlas.sum'),
      );
      const { ctx, outputs } = actionContext(s.workspace, {
        workingDirectory: 'svc/db',
      });
      await expect(
        createAtlasMigrateHashAction(deps).handler(ctx),
      ).rejects.toThrow(
        'atlas.sum "svc/db/migrations/atlas.sum" goes through a symlink (svc/db/migrations/atlas.sum) that leads outside the task workspace',
      );
      expect(JSON.stringify(outputs)).not.toContain('hunter2');
      expect(fs.readFileSync(secret, 'utf8')).toBe('hunter2\n');
    } finally {
      fs.rmSync(secret, { force: true });
    }
  });

  it('atlas:migrate:validate passes a hashed directory', async () => {
    const s = sandbox(migrations({ '20240101000000_users.sql': USERS }));
    await hash(s.workspace);
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
    });
    await createAtlasMigrateValidateAction(deps).handler(ctx);
    expect(outputs).toEqual({
      versions: ['20240101000000'],
      ok: true,
      violations: [],
    });
  });

  it('atlas:migrate:validate fails on a tampered atlas.sum', async () => {
    const s = sandbox(
      migrations({
        '20240101000000_users.sql': USERS,
        '20240102000000_orders.sql': ORDERS,
      }),
    );
    await hash(s.workspace);
    const sumFile = path.join(s.workspace, 'svc/db/migrations/atlas.sum');
    fs.writeFileSync(
      sumFile,
      fs
        .readFileSync(sumFile, 'utf8')
        .replace(/orders\.sql h1:./, 'orders.sql h1:X'),
    );
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
    });
    await expect(
      createAtlasMigrateValidateAction(deps).handler(ctx),
    ).rejects.toThrow(
      /atlas migrate validate reported 1 violation\(s\); first: migrations:0:0 checksum: You have a checksum error in your migration directory/,
    );
    expect(outputs.ok).toBe(false);
    expect(outputs.violations[0].message).toContain('Error: checksum mismatch');
  });

  it('atlas:migrate:validate names an edited migration', async () => {
    const s = sandbox(
      migrations({
        '20240101000000_users.sql': USERS,
        '20240102000000_orders.sql': ORDERS,
      }),
    );
    await hash(s.workspace);
    fs.appendFileSync(
      path.join(s.workspace, 'svc/db/migrations/20240101000000_users.sql'),
      'DROP TABLE users;\n',
    );
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
      failOnViolations: false,
    });
    await createAtlasMigrateValidateAction(deps).handler(ctx);
    expect(outputs.ok).toBe(false);
    expect(outputs.violations).toEqual([
      expect.objectContaining({
        rule: 'checksum',
        message: expect.stringContaining(
          'L2: 20240101000000_users.sql was edited',
        ),
      }),
    ]);
  });

  it('atlas:migrate:diff writes a migration, then finds nothing to do, and drops its dev databases', async () => {
    const s = sandbox({ 'svc/db/schema/schema.sql': USERS + ORDERS });
    const first = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
      to: 'schema/schema.sql',
      name: 'init',
    });
    await createAtlasMigrateDiffAction(deps).handler(first.ctx);
    expect(first.outputs.versions).toEqual([expect.stringMatching(/^\d{14}$/)]);
    const version = first.outputs.versions[0];
    expect(first.outputs.files).toEqual([
      `svc/db/migrations/${version}_init.sql`,
      'svc/db/migrations/atlas.sum',
    ]);
    const sql = fs.readFileSync(
      path.join(s.workspace, `svc/db/migrations/${version}_init.sql`),
      'utf8',
    );
    expect(sql).toContain('CREATE TABLE "public"."users"');
    expect(sql).toContain(
      'CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users" ("id")',
    );

    const second = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
      to: 'schema/schema.sql',
      name: 'again',
    });
    await createAtlasMigrateDiffAction(deps).handler(second.ctx);
    expect(second.outputs.versions).toEqual([]);
    expect(second.outputs.files).toEqual([]);

    const used = [
      ...devDatabasesUsed(first.ctx),
      ...devDatabasesUsed(second.ctx),
    ];
    expect(used).toHaveLength(2);
    expect(await existingDatabases(used)).toEqual([]);
  });

  it('atlas:migrate:diff drops its dev database after a failed diff', async () => {
    const s = sandbox({
      'svc/db/schema/schema.sql': `${USERS}CREATE TABLE broken (id bigint REFERENCES missing (id));\n`,
    });
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
      to: 'schema/schema.sql',
      name: 'init',
    });
    await expect(
      createAtlasMigrateDiffAction(deps).handler(ctx),
    ).rejects.toThrow(/exit code 1/);
    expect(outputs.versions).toBeUndefined();
    const used = devDatabasesUsed(ctx);
    expect(used).toHaveLength(1);
    expect(await existingDatabases(used)).toEqual([]);
    expect(fs.readdirSync(path.join(s.workspace, 'svc/db/migrations'))).toEqual(
      [],
    );
  });

  it('atlas:migrate:lint reports a DROP TABLE with file, line and code', async () => {
    const s = sandbox(
      migrations({
        '20240101000000_users.sql': USERS + ORDERS,
        '20240102000000_drop_orders.sql':
          '-- orders moved to the billing service\nDROP TABLE orders;\n',
      }),
    );
    await hash(s.workspace);
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
      latest: 1,
    });
    await expect(
      createAtlasMigrateLintAction(deps).handler(ctx),
    ).rejects.toThrow(/atlas migrate lint reported 2 violation\(s\)/);
    expect(outputs.ok).toBe(false);
    expect(outputs.violations).toEqual(
      expect.arrayContaining([
        {
          path: '20240102000000_drop_orders.sql',
          line: 2,
          column: 1,
          rule: 'DS102',
          message: 'destructive changes detected: Dropping table "orders"',
        },
        expect.objectContaining({
          rule: 'error',
          message: 'destructive changes detected',
        }),
      ]),
    );
    expect(await existingDatabases(devDatabasesUsed(ctx))).toEqual([]);
  });

  it('atlas:migrate:lint passes an additive migration', async () => {
    const s = sandbox(
      migrations({
        '20240101000000_users.sql': USERS,
        '20240102000000_orders.sql': ORDERS,
      }),
    );
    await hash(s.workspace);
    const { ctx, outputs } = actionContext(s.workspace, {
      workingDirectory: 'svc/db',
      latest: 2,
    });
    await createAtlasMigrateLintAction(deps).handler(ctx);
    expect(outputs).toEqual({ ok: true, violations: [] });
  });
});
