export * from './database';
export { openDatabase, databaseNameOf, withDatabaseName, type Database } from './connection';
export { migrateToLatest, createDatabaseIfMissing, type MigrationOutcome } from './migrate';
