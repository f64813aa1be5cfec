import { Pool, PoolConfig } from 'pg';
import type { AtlasRevision } from './migrationStatus';

/** How to reach one environment's database. */
export interface AtlasDatabaseConnection {
  /** A `postgres://` URL; takes precedence over the fields below. */
  url?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  /** Require TLS (certificates verified). */
  ssl?: boolean;
}

/** Timeouts for reading revisions, in milliseconds. */
export interface AtlasRevisionsTimeouts {
  /** Connecting (default 5000). */
  connectMs?: number;
  /** Server-side statement_timeout (default 5000). */
  statementMs?: number;
  /** Server-side lock_timeout (default 2000). */
  lockMs?: number;
}

/** Why revisions could not be read; the message is safe to show (no credentials). */
export class AtlasRevisionsError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'AtlasRevisionsError';
  }
}

/** What common PostgreSQL error codes mean here. */
const ERROR_HINTS: Record<string, string> = {
  '55P03': 'the revisions table is locked (lock_timeout)',
  '57014': 'reading the revisions timed out (statement_timeout)',
  '42501':
    'permission denied reading the revisions (grant USAGE on the schema and SELECT on atlas_schema_revisions)',
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

function quoteIdent(name: string): string {
  if (!IDENT.test(name))
    throw new AtlasRevisionsError(`"${name}" is not a valid schema name`);
  return `"${name}"`;
}

/**
 * The schema Atlas keeps its revisions in: the configured one, else the
 * `search_path` of a schema-bound URL (Atlas then writes the table into that
 * schema), else `atlas_schema_revisions`.
 */
export function atlasRevisionsSchema(
  connection: AtlasDatabaseConnection,
  configured?: string,
): string {
  if (configured) return configured;
  if (connection.url) {
    try {
      const sp = new URL(connection.url).searchParams.get('search_path');
      if (sp && IDENT.test(sp)) return sp;
    } catch {
      // invalid URLs fail when connecting
    }
  }
  return 'atlas_schema_revisions';
}

/** `2500` → `2.5 s`. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** Removes credentials from a message (pg errors may echo the connection string). */
function redact(message: string, connection: AtlasDatabaseConnection): string {
  let out = message.replace(/(postgres(?:ql)?:\/\/)[^@\s/]*@/gi, '$1***@');
  if (connection.password) out = out.split(connection.password).join('***');
  return out;
}

function poolConfig(
  connection: AtlasDatabaseConnection,
  timeouts: Required<AtlasRevisionsTimeouts>,
): PoolConfig {
  const base: PoolConfig = connection.url
    ? { connectionString: connection.url }
    : {
        host: connection.host,
        port: connection.port,
        user: connection.user,
        password: connection.password,
        database: connection.database,
      };
  return {
    ...base,
    ...(connection.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
    max: 2,
    idleTimeoutMillis: 30000,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    lock_timeout: timeouts.lockMs,
    // client-side guard in case the server never answers
    query_timeout: timeouts.statementMs + 2000,
    idle_in_transaction_session_timeout: timeouts.statementMs + 5000,
    application_name: 'backstage-golden-path-insights',
  };
}

/**
 * Reads Atlas revision tables with small read-only pools, one per database.
 * Every read runs in a READ ONLY transaction with `statement_timeout` and
 * `lock_timeout`, so a locked or slow database yields an error quickly
 * instead of hanging a request. A role with `USAGE` on the revisions schema
 * and `SELECT` on the table is enough.
 */
export class AtlasRevisionsReader {
  /** Least recently used first. */
  private readonly pools = new Map<string, Pool>();
  private readonly timeouts: Required<AtlasRevisionsTimeouts>;

  /**
   * `maxPools`: most pools kept (one per database, up to two connections
   * each, idle ones closed after 30 s); beyond it the least recently used
   * pool is ended, so a fleet of services does not pile up pools.
   */
  constructor(
    timeouts: AtlasRevisionsTimeouts = {},
    private readonly maxPools = 50,
  ) {
    this.timeouts = {
      connectMs: 5000,
      statementMs: 5000,
      lockMs: 2000,
      ...timeouts,
    };
  }

  /** How many pools are open. */
  get poolCount(): number {
    return this.pools.size;
  }

  private pool(connection: AtlasDatabaseConnection): Pool {
    const key = JSON.stringify(connection);
    let pool = this.pools.get(key);
    if (pool) {
      this.pools.delete(key);
    } else {
      pool = new Pool(poolConfig(connection, this.timeouts));
      // an idle client losing its connection must not crash the backend
      pool.on('error', () => {});
    }
    this.pools.set(key, pool);
    for (const [oldest, evicted] of this.pools) {
      if (this.pools.size <= this.maxPools) break;
      this.pools.delete(oldest);
      // ends idle clients now, clients in use when they are released
      evicted.end().catch(() => {});
    }
    return pool;
  }

  /**
   * The revisions in `schema`, or `undefined` when the revisions table does
   * not exist (nothing applied yet). Throws {@link AtlasRevisionsError}.
   */
  async read(
    connection: AtlasDatabaseConnection,
    schema: string,
  ): Promise<AtlasRevision[] | undefined> {
    const table = `${quoteIdent(schema)}."atlas_schema_revisions"`;
    let client;
    try {
      client = await this.pool(connection).connect();
    } catch (e) {
      const err = e as Error & { code?: string };
      // pg-pool: "timeout exceeded when trying to connect"; pg: "... connection timeout"
      const timedOut = !err.code && /timeout/i.test(err.message);
      throw new AtlasRevisionsError(
        timedOut
          ? `cannot connect: timed out after ${seconds(
              this.timeouts.connectMs,
            )} without an answer from the database (goldenPath.insights.migrations.timeouts.connect); is it up, and is it a PostgreSQL server?`
          : `cannot connect: ${redact(err.message, connection)}`,
        err.code ?? (timedOut ? 'CONNECT_TIMEOUT' : undefined),
      );
    }
    let failed = false;
    let rollback = false;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(
        `SET LOCAL statement_timeout = ${Math.floor(
          this.timeouts.statementMs,
        )}`,
      );
      await client.query(
        `SET LOCAL lock_timeout = ${Math.floor(this.timeouts.lockMs)}`,
      );
      const exists = await client.query('SELECT to_regclass($1) AS t', [
        `${quoteIdent(schema)}.atlas_schema_revisions`,
      ]);
      if (!exists.rows[0]?.t) {
        await client.query('COMMIT');
        return undefined;
      }
      const res = await client.query(
        `SELECT version, description, type, applied, total, executed_at, execution_time, error, error_stmt, hash, operator_version FROM ${table} ORDER BY version`,
      );
      await client.query('COMMIT');
      return res.rows.map(row => ({
        version: String(row.version),
        description: String(row.description ?? ''),
        type: Number(row.type),
        applied: Number(row.applied),
        total: Number(row.total),
        executedAt: row.executed_at ? new Date(row.executed_at) : undefined,
        executionTimeNs: Number(row.execution_time ?? 0),
        error: row.error ?? undefined,
        errorStmt: row.error_stmt ?? undefined,
        hash: String(row.hash ?? ''),
        operatorVersion: row.operator_version ?? undefined,
      }));
    } catch (e) {
      failed = true;
      const err = e as Error & { code?: string };
      rollback = !!err.code; // a server-side error leaves a usable connection
      let what = ERROR_HINTS[err.code ?? ''];
      if (!what)
        what = /timeout/i.test(err.message)
          ? `the database did not answer within ${seconds(
              this.timeouts.statementMs + 2000,
            )} (goldenPath.insights.migrations.timeouts.statement)`
          : 'cannot read the revisions';
      throw new AtlasRevisionsError(
        `${what}: ${redact(err.message, connection)}`,
        err.code,
      );
    } finally {
      if (rollback) {
        try {
          await client.query('ROLLBACK');
        } catch {
          // the connection is broken; release() below discards it
        }
      }
      client.release(failed);
    }
  }

  /** Closes every pool. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map(p => p.end().catch(() => {})));
  }
}
