// Throwaway databases on the local PostgreSQL for end-to-end tests.
import { execFileSync } from 'node:child_process';

export const PG = {
  host: process.env.POSTGRES_HOST ?? '127.0.0.1',
  port: process.env.POSTGRES_PORT ?? '5432',
  user: process.env.POSTGRES_USER ?? 'postgres',
};

export function psql(sql, database = 'postgres') {
  return execFileSync(
    'psql',
    [
      '-h',
      PG.host,
      '-p',
      PG.port,
      '-U',
      PG.user,
      '-d',
      database,
      '-XAtq',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      sql,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
}

export function databasesWithPrefix(prefix) {
  return psql(
    `select datname from pg_database where datname like '${prefix.replace(
      /[^a-z0-9_]/g,
      '',
    )}%'`,
  )
    .split('\n')
    .filter(Boolean);
}

export function dropDatabasesWithPrefix(prefix) {
  for (const db of databasesWithPrefix(prefix)) {
    psql(`drop database if exists "${db}" with (force)`);
  }
}
