import { migrateToLatest, openDatabase, withDatabaseName } from '@maatlat/shared/database';
import { migrations } from '@maatlat/migrations';
import { dropDatabase, listTestDatabases, TEMPLATE_DATABASE, TEST_SERVER_URL, withAdmin } from './test-database';

/**
 * Jest global setup: a freshly migrated template database that every test file copies. Databases
 * left behind by an interrupted run are dropped first.
 */
export async function prepareTemplateDatabase(): Promise<void> {
  for (const leftover of await listTestDatabases()) await dropDatabase(leftover);
  await dropDatabase(TEMPLATE_DATABASE);
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`));
  const template = openDatabase({ databaseUrl: withDatabaseName(TEST_SERVER_URL, TEMPLATE_DATABASE), maxConnections: 1 });
  try {
    await migrateToLatest(template.db, migrations);
  } finally {
    await template.close();
  }
}

export default prepareTemplateDatabase;
