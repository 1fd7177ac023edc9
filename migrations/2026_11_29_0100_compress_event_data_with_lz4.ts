import { Kysely, sql } from 'kysely';

// Score events run to 100-200 kB of JSON. PostgreSQL's default compression (pglz) costs about as
// much as the rest of such an append; lz4 writes them in about half the time and reads them back
// faster. Only new rows use it: stored rows are never rewritten, and PostgreSQL reads both.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE events ALTER COLUMN data SET COMPRESSION lz4, ALTER COLUMN metadata SET COMPRESSION lz4`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE events ALTER COLUMN data SET COMPRESSION pglz, ALTER COLUMN metadata SET COMPRESSION pglz`.execute(db);
}
