import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createAtlasMigrateHashAction } from '../actions/atlasMigrateHash';
import { createAtlasMigrateLintAction } from '../actions/atlasMigrateLint';
import {
  actionContext,
  makeSandbox,
  testSettings,
} from '../__testUtils__/context';
import { isLeftover, sweepDevDatabases, withDevDatabase } from './devDatabase';
import { runToolStep } from './toolStep';

const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable';
const options = { lifetimeMs: 15 * 60_000 };

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The role of a dev URL (postgres://role:password@/database?host=…; no host, so not a WHATWG URL). */
const roleOf = (url: string) => /^postgres:\/\/([^:]+):/.exec(url)![1];

const exists = (name: string) =>
  admin(async c => {
    const db = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      name,
    ]);
    const role = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
      name,
    ]);
    return { database: db.rowCount === 1, role: role.rowCount === 1 };
  });

/** Connects through the run's socket as `user` to `database`; resolves what the server or the gate said. */
async function connectThroughGate(
  socketDir: string,
  user: string,
  database: string,
  extra: object = {},
) {
  const c = new Client({
    host: socketDir,
    port: 5432,
    user,
    database,
    password: 'x',
    ...extra,
  });
  try {
    await c.connect();
    const r = await c.query(
      'SELECT current_user AS u, current_database() AS d',
    );
    return `connected as ${r.rows[0].u} to ${r.rows[0].d}`;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await c.end().catch(() => undefined);
  }
}

describe('withDevDatabase', () => {
  it('creates a throwaway role with no privileges beyond its own database', async () => {
    await withDevDatabase(ADMIN, options, async dev => {
      const name = roleOf(dev.url);
      const role = await admin(async c => {
        const r = await c.query(
          `SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin, rolvaliduntil,
                  (SELECT count(*) FROM pg_auth_members m WHERE m.member = r.oid)::int AS memberships,
                  (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1) AS owner
           FROM pg_roles r WHERE rolname = $1`,
          [name],
        );
        return r.rows[0];
      });
      expect(role).toMatchObject({
        rolsuper: false,
        rolcreatedb: false,
        rolcreaterole: false,
        rolreplication: false,
        rolbypassrls: false,
        rolcanlogin: true,
        memberships: 0,
        owner: name,
      });
      // Session defaults: nothing outlives the run (the test's admin is a superuser).
      const settings = await admin(async c => {
        const r = await c.query(
          `SELECT unnest(setconfig) AS setting FROM pg_db_role_setting s
           JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = $1`,
          [name],
        );
        return r.rows.map(row => row.setting).sort();
      });
      expect(settings).toEqual([
        `idle_in_transaction_session_timeout=${options.lifetimeMs}`,
        `statement_timeout=${options.lifetimeMs}`,
        'temp_file_limit=1GB',
      ]);
      expect(role.rolvaliduntil.getTime()).toBeGreaterThan(Date.now());
      expect(role.rolvaliduntil.getTime()).toBeLessThanOrEqual(
        Date.now() + options.lifetimeMs,
      );
      const password = /^postgres:\/\/[^:]+:([^@]+)@\//.exec(dev.url)![1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      // The task log shows the URL without it.
      const { ctx } = actionContext(os.tmpdir(), {});
      await runToolStep(ctx, {
        settings: testSettings(),
        actionId: 'atlas:migrate:lint',
        tool: 'atlas',
        args: ['version', dev.url],
        cwd: fs.realpathSync(os.tmpdir()),
      }).catch(() => undefined);
      const logged = JSON.stringify((ctx.logger.info as jest.Mock).mock.calls);
      expect(logged).toContain(`postgres://${roleOf(dev.url)}:***@/`);
      expect(logged).not.toContain(password);
    });
  });

  it('lets only its role into its database through the run socket', async () => {
    await withDevDatabase(ADMIN, options, async dev => {
      const name = roleOf(dev.url);
      expect(fs.statSync(dev.socketDir).mode & 0o777).toBe(0o700);
      expect(await connectThroughGate(dev.socketDir, name, name)).toBe(
        `connected as ${name} to ${name}`,
      );
      expect(await connectThroughGate(dev.socketDir, 'postgres', name)).toBe(
        `golden-path dev database gate: only role ${name} may connect here`,
      );
      expect(await connectThroughGate(dev.socketDir, name, 'postgres')).toBe(
        `golden-path dev database gate: only database ${name} may be used here`,
      );
      expect(
        await connectThroughGate(dev.socketDir, name, name, {
          options: '-c role=postgres',
        }),
      ).toBe(
        'golden-path dev database gate: startup parameter "options" is not allowed',
      );
      expect(
        await connectThroughGate(dev.socketDir, name, name, {
          replication: 'database',
        } as object),
      ).toMatch(/startup parameter "replication" is not allowed/);
    });
  });

  it('drops the role and database after success, failure and cancel', async () => {
    const names: string[] = [];
    const socketDirs: string[] = [];
    await withDevDatabase(ADMIN, options, async dev => {
      names.push(roleOf(dev.url));
      socketDirs.push(dev.socketDir);
    });
    await expect(
      withDevDatabase(ADMIN, options, async dev => {
        names.push(roleOf(dev.url));
        socketDirs.push(dev.socketDir);
        throw new Error('atlas failed');
      }),
    ).rejects.toThrow('atlas failed');
    const abort = new AbortController();
    await expect(
      withDevDatabase(ADMIN, options, async dev => {
        names.push(roleOf(dev.url));
        socketDirs.push(dev.socketDir);
        // A connection still open at the end (a cancelled tool) does not keep the database.
        const c = new Client({
          host: dev.socketDir,
          port: 5432,
          user: names[2],
          database: names[2],
        });
        await c.connect();
        c.on('error', () => undefined);
        abort.abort();
        throw new Error('the task was cancelled');
      }),
    ).rejects.toThrow('cancelled');
    for (const name of names)
      expect(await exists(name)).toEqual({ database: false, role: false });
    // No socket of these runs is left behind (other runs' leftovers in the
    // shared /tmp, e.g. of a killed backend, are the sweep's business).
    expect(socketDirs).toHaveLength(3);
    for (const dir of socketDirs)
      expect(fs.existsSync(path.join(dir, '.s.PGSQL.5432'))).toBe(false);
  });

  it('says where the admin URL points when the server cannot be reached', async () => {
    await expect(
      withDevDatabase(
        'postgres://postgres@127.0.0.1:1/postgres',
        options,
        async () => undefined,
      ),
    ).rejects.toThrow(
      /cannot reach the Atlas dev database server \(goldenPath.atlas.devDatabase\)/,
    );
  });
});

describe('a hostile migration replayed on the dev database', () => {
  it('can neither create a role nor run a program as the server', async () => {
    const planted = path.join(os.tmpdir(), `gp-copy-program-${process.pid}`);
    const evilRole = `gp_evil_${process.pid}`;
    const sb = makeSandbox({
      'migrations/20240101000000_evil.sql': `CREATE ROLE ${evilRole};\nCOPY (SELECT 1) TO PROGRAM 'id > ${planted}';\n`,
    });
    try {
      const { ctx } = actionContext(sb.workspace, {
        dir: 'migrations',
        latest: 1,
      });
      await createAtlasMigrateHashForTest(sb.workspace);
      await expect(
        createAtlasMigrateLintAction({ settings: testSettings() }).handler(ctx),
      ).rejects.toThrow(
        /permission denied to create role|must be superuser|permission denied/,
      );
      expect(fs.existsSync(planted)).toBe(false);
      const roles = await admin(c =>
        c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [evilRole]),
      );
      expect(roles.rowCount).toBe(0);
    } finally {
      sb.cleanup();
      fs.rmSync(planted, { force: true });
    }
  });
});

/** atlas.sum for the workspace's migrations (lint refuses an unhashed directory). */
async function createAtlasMigrateHashForTest(workspace: string) {
  const { ctx } = actionContext(workspace, { dir: 'migrations' });
  await createAtlasMigrateHashAction({ settings: testSettings() }).handler(ctx);
}

describe('sweepDevDatabases', () => {
  it('drops leftovers whose run is gone or that are older than the cutoff, and keeps those a live run (any replica) holds', async () => {
    const stamp = (msAgo: number) =>
      Math.floor((Date.now() - msAgo) / 1000).toString(36);
    const old = `gp_atlas_dev_${stamp(2 * 3_600_000)}_${'a1'.repeat(6)}`;
    const orphan = `gp_atlas_dev_${stamp(60_000)}_${'b2'.repeat(6)}`;
    const inUse = `gp_atlas_dev_${stamp(60_000)}_${'c3'.repeat(6)}`;
    await admin(async c => {
      for (const n of [old, orphan, inUse]) {
        await c.query(`DROP DATABASE IF EXISTS "${n}"`);
        await c.query(`DROP ROLE IF EXISTS "${n}"`);
        await c.query(`CREATE ROLE "${n}" LOGIN`);
        await c.query(`CREATE DATABASE "${n}" OWNER "${n}"`);
      }
    });
    // The run holding inUse: its admin session, named after it, as withDevDatabase connects.
    const owner = new Client({
      connectionString: ADMIN,
      application_name: inUse,
    });
    await owner.connect();
    try {
      const dropped = await sweepDevDatabases(ADMIN, 3_600_000);
      expect(dropped).toContain(old);
      expect(dropped).toContain(orphan);
      expect(dropped).not.toContain(inUse);
      expect(await exists(old)).toEqual({ database: false, role: false });
      expect(await exists(orphan)).toEqual({ database: false, role: false });
      expect(await exists(inUse)).toEqual({ database: true, role: true });
    } finally {
      await owner.end();
      await admin(async c => {
        for (const n of [old, orphan, inUse]) {
          await c.query(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
          await c.query(`DROP ROLE IF EXISTS "${n}"`);
        }
      });
    }
  });

  it('keeps the dev database of a run in flight and drops it once the run ends', async () => {
    let seen: string[] = [];
    let name = '';
    await withDevDatabase(ADMIN, options, async dev => {
      name = roleOf(dev.url);
      seen = await sweepDevDatabases(ADMIN, options.lifetimeMs);
      expect(await exists(name)).toEqual({ database: true, role: true });
    });
    expect(seen).not.toContain(name);
    expect(await exists(name)).toEqual({ database: false, role: false });
  });

  it.each([
    ['gp_atlas_dev_0a1b2c3d4e5f', true], // an older bundle's name, without a time: always a leftover
    ['gp_atlas_dev_zzzzzzzz_0a1b2c3d4e5f', false], // far in the future
    ['gp_atlas_dev_1_0a1b2c3d4e5f', false], // not a name this bundle makes
    ['gp_atlas_devx_0a1b2c3d4e5f', false],
    ['orders_db', false],
  ])('treats %s as a leftover: %s', (name, leftover) => {
    expect(isLeftover(name, Date.now())).toBe(leftover);
  });
});
