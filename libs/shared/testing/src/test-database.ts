import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, withDatabaseName, type Database } from '@maatlat/shared/database';

/**
 * The server tests run against; its `postgres` database is used for creating and dropping. Jest's
 * global setup settles it for the run: TEST_DATABASE_URL, else the server of DATABASE_URL, else an
 * embedded PostgreSQL it starts (and publishes as TEST_DATABASE_URL to the test files). Outside
 * jest (benchmarks) without either variable it is the local server.
 */
export function testServerUrl(env: Record<string, string | undefined> = process.env): string {
  if (env.TEST_DATABASE_URL) return env.TEST_DATABASE_URL;
  if (env.DATABASE_URL) return withDatabaseName(env.DATABASE_URL, 'postgres');
  return 'postgres://postgres@127.0.0.1:5432/postgres';
}
export const TEST_DATABASE_PREFIX = 'maatlat_test_';
/**
 * The Redis of the tests that need one (BullMQ): TEST_REDIS_URL, else REDIS_URL. Unset, the
 * platform under test runs its jobs from the outbox, and the BullMQ suites say they were skipped.
 */
export const TEST_REDIS_URL: string | undefined = process.env.TEST_REDIS_URL || process.env.REDIS_URL || undefined;

export interface TestDatabase extends Database {
  name: string;
  url: string;
  /** Closes the connections and drops the database. */
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: testServerUrl() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * A database of its own for one test file, copied from the migrated template that jest's global
 * setup made, so test files run in parallel without seeing each other's rows.
 * @example const database = await createTestDatabase(); afterAll(() => database.drop());
 */
export async function createTestDatabase(options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = process.env.MAATLAT_TEST_TEMPLATE;
  if (!template) throw new Error('no template database: run the tests through jest (its global setup makes one) or call prepareTemplateDatabase()');
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = withDatabaseName(testServerUrl(), name);
  const database = openDatabase({ databaseUrl: url, maxConnections: options.maxConnections ?? 20, applicationName: 'maatlat-test' });
  return {
    ...database,
    name,
    url,
    async drop() {
      await database.close();
      await dropDatabase(name);
    },
  };
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Names of databases left behind by test runs that did not finish. */
export async function listTestDatabases(): Promise<string[]> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${TEST_DATABASE_PREFIX}%`],
    );
    return rows.map((r) => r.datname);
  });
}

export { withAdmin };
