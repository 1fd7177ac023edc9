export * from './database';
export { openDatabase, databaseNameOf, withDatabaseName, type Database, type OpenDatabaseOptions } from './connection';
export { migrateToLatest, createDatabaseIfMissing, type MigrationOutcome } from './migrate';
export { isDependencyUnavailable } from './unavailable';
