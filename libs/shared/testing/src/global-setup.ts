import { migrateToLatest, openDatabase, withDatabaseName } from '@maatlat/shared/database';
import { migrations } from '@maatlat/migrations';
import { dropDatabase, listTestDatabases, TEST_SERVER_URL, withAdmin } from './test-database';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
  const database = openDatabase({ databaseUrl: withDatabaseName(TEST_SERVER_URL, template), maxConnections: 1 });
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
  await prepareTemplateDatabase();
}
