import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Creates a throwaway PostgreSQL database for Atlas's dev URL, runs `fn`
 * with its URL, and drops it afterwards, also when `fn` fails or the task is
 * cancelled.
 */
export async function withDevDatabase<T>(adminUrl: string, fn: (devUrl: string) => Promise<T>): Promise<T> {
  const name = `gp_atlas_dev_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(
      `cannot reach the Atlas dev database server (goldenPath.atlas.devDatabase): ${(e as Error).message}`,
    );
  }
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', 'disable');
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}
