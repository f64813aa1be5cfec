import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PostgresGate } from './postgresGate';
import { GoldenPathSettings } from './settings';

/** Names of the throwaway roles and databases: a prefix, the creation time (base 36 seconds), a random part. */
const PREFIX = 'gp_atlas_dev_';
const NAME = /^gp_atlas_dev_([0-9a-z]{6,8})_[0-9a-f]{12}$/;
/** Names an older version of the bundle used (no creation time): always leftovers. */
const LEGACY_NAME = /^gp_atlas_dev_[0-9a-f]{12}$/;

/** The dev database of one tool run. */
export interface DevDatabase {
  /** URL the tool connects with: the throwaway role, through the run's Unix socket. */
  url: string;
  /** Directory holding that socket, to mount into the tool's sandbox. */
  socketDir: string;
}

/** Options of {@link withDevDatabase}. */
export interface DevDatabaseOptions {
  /** How long the role may log in; a leftover is swept once it is older than this. */
  lifetimeMs: number;
}

/** How long a dev database may live: the longest atlas step, and a margin. */
export function devDatabaseOptions(
  settings: GoldenPathSettings,
): DevDatabaseOptions {
  const longest = Math.max(
    settings.defaultTimeoutMs,
    ...Object.entries(settings.timeouts)
      .filter(([action]) => action.startsWith('atlas:'))
      .map(([, ms]) => ms),
  );
  return { lifetimeMs: longest + 10 * 60_000 };
}

function adminClient(adminUrl: string, applicationName?: string): Client {
  // An application_name of the URL would hide the run's name from the sweep.
  const url = new URL(adminUrl);
  url.searchParams.delete('application_name');
  return new Client({
    connectionString: url.toString(),
    connectionTimeoutMillis: 10_000,
    // The run's admin session carries the dev database's name: while it is
    // connected, its backend (whichever replica) is alive and the database is
    // in use; once it is gone the database is a leftover (see sweepDevDatabases).
    application_name: applicationName,
  });
}

async function connectAdmin(
  adminUrl: string,
  applicationName?: string,
): Promise<Client> {
  const admin = adminClient(adminUrl, applicationName);
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(
      `cannot reach the Atlas dev database server (goldenPath.atlas.devDatabase): ${
        (e as Error).message
      }`,
    );
  }
  return admin;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The temporary files a dev run's sessions may write (sorts, hashes) on the shared server. */
const DEV_TEMP_FILE_LIMIT = '1GB';

/**
 * Session defaults of the throwaway role, so a migration cannot hold the shared
 * server longer than its run: no statement or idle transaction outlives the
 * role's lifetime (the run's end drops the database and its sessions in any
 * case). Where the admin is a superuser, temporary files are capped too
 * (temp_file_limit, which the role itself cannot raise).
 */
async function limitDevRole(admin: Client, name: string, lifetimeMs: number) {
  const role = quoteIdent(name);
  for (const setting of [
    'statement_timeout',
    'idle_in_transaction_session_timeout',
  ])
    await admin.query(`ALTER ROLE ${role} SET ${setting} = ${lifetimeMs}`);
  const { rows } = await admin.query(
    'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
  );
  if (rows[0]?.rolsuper)
    await admin.query(
      `ALTER ROLE ${role} SET temp_file_limit = '${DEV_TEMP_FILE_LIMIT}'`,
    );
}

/**
 * Creates, for one tool run, a throwaway database owned by a throwaway LOGIN
 * role with no privileges beyond it (NOSUPERUSER, NOCREATEDB, NOCREATEROLE,
 * NOREPLICATION, NOBYPASSRLS, granted no role, so none of
 * pg_execute_server_program, pg_read_server_files or pg_write_server_files)
 * and a random password. The tool reaches it only through a Unix socket of
 * the run's own ({@link PostgresGate}), which lets that role into that
 * database and nothing else. The admin URL is used only to create and drop
 * them; both are dropped after `fn`, also when it fails or the task is
 * cancelled, and {@link sweepDevDatabases} removes what a killed backend left.
 */
export async function withDevDatabase<T>(
  adminUrl: string,
  options: DevDatabaseOptions,
  fn: (dev: DevDatabase) => Promise<T>,
): Promise<T> {
  const name = `${PREFIX}${Math.floor(Date.now() / 1000).toString(
    36,
  )}_${randomBytes(6).toString('hex')}`;
  const password = randomBytes(24).toString('base64url');
  // Connected under the name before the role and database exist, so the sweep
  // never sees them without their owner's session.
  const admin = await connectAdmin(adminUrl, name);
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-pgdev-'));
  fs.chmodSync(socketDir, 0o700);
  const gate = new PostgresGate({
    upstream: new URL(adminUrl),
    user: name,
    database: name,
  });
  try {
    const validUntil = new Date(Date.now() + options.lifetimeMs).toISOString();
    await admin.query(
      `CREATE ROLE ${quoteIdent(
        name,
      )} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS ` +
        `CONNECTION LIMIT 20 PASSWORD '${password}' VALID UNTIL '${validUntil}'`,
    );
    await limitDevRole(admin, name, options.lifetimeMs);
    await admin.query(
      `CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(name)}`,
    );
    await admin.query(`REVOKE ALL ON DATABASE ${quoteIdent(name)} FROM PUBLIC`);
    await gate.listen(path.join(socketDir, '.s.PGSQL.5432'));
    const query = new URLSearchParams({
      host: socketDir,
      port: '5432',
      sslmode: 'disable',
    });
    return await fn({
      url: `postgres://${name}:${password}@/${name}?${query}`,
      socketDir,
    });
  } finally {
    await gate.close();
    fs.rmSync(socketDir, { recursive: true, force: true });
    await dropDevDatabase(admin, name);
    await admin.end().catch(() => undefined);
  }
}

async function dropDevDatabase(admin: Client, name: string): Promise<void> {
  await admin
    .query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
    .catch(() => undefined);
  await admin
    .query(`DROP ROLE IF EXISTS ${quoteIdent(name)}`)
    .catch(() => undefined);
}

/** Whether a role or database name is one of this bundle's throwaways, created before `cutoff` (ms). */
export function isLeftover(name: string, cutoff: number): boolean {
  if (LEGACY_NAME.test(name)) return true;
  const m = NAME.exec(name);
  return !!m && parseInt(m[1], 36) * 1000 < cutoff;
}

/**
 * Drops the throwaway databases and roles a killed backend left behind: those
 * whose run's admin session (connected under the database's name, see
 * {@link withDevDatabase}) is gone from PostgreSQL, whichever replica ran it,
 * and those older than `olderThanMs` in any case. A database whose run is
 * still connected, on any replica, is kept. Returns the names dropped.
 */
export async function sweepDevDatabases(
  adminUrl: string,
  olderThanMs: number,
): Promise<string[]> {
  const admin = await connectAdmin(adminUrl);
  try {
    const cutoff = Date.now() - olderThanMs;
    const { rows } = await admin.query<{ name: string; live: boolean }>(
      `SELECT t.name, EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name = t.name) AS live
       FROM (SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1)
             UNION SELECT rolname AS name FROM pg_roles WHERE starts_with(rolname, $1)) t`,
      [PREFIX],
    );
    const names = rows
      .filter(r => (NAME.test(r.name) && !r.live) || isLeftover(r.name, cutoff))
      .map(r => r.name);
    for (const name of names) await dropDevDatabase(admin, name);
    return names;
  } finally {
    await admin.end().catch(() => undefined);
  }
}
