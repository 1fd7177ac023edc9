import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types } from 'pg';
import type { DB } from './database';

// bigint columns (positions, versions, counts) stay far below 2^53: read them as numbers. Set on
// our pools only, never globally, so no other library's parser choice can change what we read.
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === types.builtins.INT8
      ? (value: string) => Number(value)
      : // A date is a calendar day, not a moment: keep 'YYYY-MM-DD' rather than a midnight Date.
        oid === types.builtins.DATE
        ? (value: string) => value
        : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

export interface Database {
  db: Kysely<DB>;
  /** The pool under `db`, for the few hot paths that use named prepared statements. */
  pool: Pool;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl: string;
  maxConnections?: number;
  applicationName?: string;
  /** Statement, lock and connection bounds (none when absent: migrations and operator commands may run long). */
  timeouts?: { statementMs: number; lockMs: number; connectMs: number };
  /** Hears a connection that failed while checked out (PostgreSQL restarted, say); the query using it has failed already. */
  onConnectionError?: (error: Error) => void;
}

/**
 * Opens a pool and a Kysely instance over it.
 * @example const { db, close } = openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1/maatlat' });
 */
export function openDatabase(options: OpenDatabaseOptions): Database {
  const { timeouts } = options;
  const pool = new Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'maatlat',
    types: typeParsers,
    ...(timeouts
      ? {
          statement_timeout: timeouts.statementMs,
          lock_timeout: timeouts.lockMs,
          connectionTimeoutMillis: timeouts.connectMs,
          // A transaction left open by a crashed request must not hold its locks for ever.
          idle_in_transaction_session_timeout: Math.max(timeouts.statementMs, 60_000),
        }
      : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Nor may a checked-out one: pg emits 'error' on a client between two queries (a transaction's
  // statements, a lease held open) when its server goes away, and the pool listens only on idle
  // clients. The query in flight fails by itself, and the pool drops the broken client on release.
  pool.on('connect', (client) => client.on('error', (error) => options.onConnectionError?.(error)));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** The database name in a PostgreSQL URL, and the same URL pointed at another database. */
export function databaseNameOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
}

export function withDatabaseName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}
