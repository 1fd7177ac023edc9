import { Kysely, sql } from 'kysely';

// A dataset version records the latest signed checkpoint it carries, so a checkpoint recorded after
// the last publication gets a version of its own (the copies outside the database stay current).
// Versions made before this carry whatever checkpoints they were given; theirs is left unknown
// (null), so on a platform with checkpoints the worker's first look makes one version that records it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE open_data_versions ADD COLUMN checkpoint_sequence bigint`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE open_data_versions DROP COLUMN checkpoint_sequence`.execute(db);
}
