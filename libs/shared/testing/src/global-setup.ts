import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase, withDatabaseName } from '@maatlat/shared/database';
import { migrations } from '@maatlat/migrations';
import { dropDatabase, listTestDatabases, testServerUrl, withAdmin } from './test-database';

interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresScript {
  startEmbeddedPostgres(options: { dataDir: string; port: number; fast: boolean; settings: Record<string, string | number> }): Promise<EmbeddedServer>;
  freePort(): Promise<number>;
}

/** What global teardown must undo; jest runs both in one process. */
const run = globalThis as typeof globalThis & { maatlatTestServer?: { server: EmbeddedServer; dataDir: string } };

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Without TEST_DATABASE_URL or DATABASE_URL the run gets a PostgreSQL of its own: the embedded one
 * of `npm start`, on a throwaway data directory and a free port, tuned for tests (no fsync: a
 * crash loses nothing a test needs). The test files learn its URL through TEST_DATABASE_URL.
 */
async function startEmbeddedServerIfNeeded(): Promise<void> {
  if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) return;
  // A script shared with `npm start` (plain JavaScript, outside the workspace's libraries).
  const embedded = require(join(__dirname, '..', '..', '..', '..', 'scripts', 'embedded-postgres.js')) as EmbeddedPostgresScript;
  const dataDir = mkdtempSync(join(tmpdir(), 'maatlat-test-pg-'));
  // Run as root, the server runs as the user postgres, which must be able to enter it.
  chmodSync(dataDir, 0o711);
  let server: EmbeddedServer;
  try {
    server = await embedded.startEmbeddedPostgres({
      dataDir: join(dataDir, 'data'),
      port: await embedded.freePort(),
      fast: true,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: 300 },
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  run.maatlatTestServer = { server, dataDir };
  process.env.TEST_DATABASE_URL = server.url;
}

/** Stops the run's embedded PostgreSQL, if it started one, and removes its throwaway data. */
export async function stopEmbeddedServer(): Promise<void> {
  const started = run.maatlatTestServer;
  if (!started) return;
  run.maatlatTestServer = undefined;
  await started.server.stop();
  rmSync(started.dataDir, { recursive: true, force: true });
}

/**
 * Makes a freshly migrated template database for this run (named after its process, so two runs
 * on one machine — tests and a benchmark, say — never drop each other's databases) and publishes
 * its name to the test files through the environment. Databases left behind by runs whose process
 * is gone are dropped first.
 */
export async function prepareTemplateDatabase(): Promise<string> {
  for (const leftover of await listTestDatabases()) {
    const pid = Number(/_(\d+)(?:_|$)/.exec(leftover)?.[1]);
    if (!pid || !processIsAlive(pid)) await dropDatabase(leftover);
  }
  const template = `maatlat_test_template_${process.pid}`;
  await dropDatabase(template);
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${template}"`));
  const database = openDatabase({ databaseUrl: withDatabaseName(testServerUrl(), template), maxConnections: 1 });
  try {
    await migrateToLatest(database.db, migrations);
  } finally {
    await database.close();
  }
  process.env.MAATLAT_TEST_TEMPLATE = template;
  return template;
}

/** Jest global setup. */
export default async function globalSetup(): Promise<void> {
  await startEmbeddedServerIfNeeded();
  try {
    await prepareTemplateDatabase();
  } catch (error) {
    await stopEmbeddedServer();
    throw error;
  }
}
