import { Kysely, Migration, MigrationProvider, Migrator } from 'kysely';
import type { DB } from './database';
import { Client } from 'pg';
import { databaseNameOf, withDatabaseName } from './connection';

export interface MigrationOutcome {
  applied: string[];
}

/**
 * Brings the schema to the latest migration. Safe to run from several processes at once: Kysely's
 * migrator takes an advisory lock, and a migration already applied is skipped.
 */
export async function migrateToLatest(db: Kysely<DB>, migrations: Record<string, Migration>): Promise<MigrationOutcome> {
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed ?? '(unknown)'} failed: ${reason}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Creates the database named in the URL when it does not exist yet; returns whether it did. */
export async function createDatabaseIfMissing(databaseUrl: string): Promise<boolean> {
  const name = databaseNameOf(databaseUrl);
  const admin = new Client({ connectionString: withDatabaseName(databaseUrl, 'postgres') });
  await admin.connect();
  try {
    const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return false;
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (error) {
    // Two starters racing: the other one created it.
    if ((error as { code?: string }).code === '42P04') return false;
    throw error;
  } finally {
    await admin.end();
  }
}
