import { Kysely, sql } from 'kysely';

// Score events run to 100-200 kB of JSON. PostgreSQL's default compression (pglz) costs about as
// much as the rest of such an append; lz4 writes them in about half the time and reads them back
// faster. Only new rows use it: stored rows are never rewritten, and PostgreSQL reads both.
// A server built without lz4 (the embedded PostgreSQL of npm start has none) keeps pglz: the
// compression is storage only, the data and every query are the same.
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ lz4: boolean }>`
    SELECT 'lz4' = ANY (enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`.execute(db);
  if (!rows[0]?.lz4) return;
  await sql`ALTER TABLE events ALTER COLUMN data SET COMPRESSION lz4, ALTER COLUMN metadata SET COMPRESSION lz4`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE events ALTER COLUMN data SET COMPRESSION pglz, ALTER COLUMN metadata SET COMPRESSION pglz`.execute(db);
}
