import { Kysely, sql } from 'kysely';

// Archival exports asked for over the API. The events in the organisation's archive export stream
// are the record (who asked, when, the archive's SHA-256); this table holds the packed archive's
// bytes, kept out of the event log, and says when the job started on it ("running").
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE archive_exports (
      export_id uuid PRIMARY KEY,
      organisation_id uuid NOT NULL,
      requested_by text NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      sha256 bytea CHECK (length(sha256) = 32),
      size bigint,
      archive bytea,
      finished_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX archive_exports_organisation ON archive_exports (organisation_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS archive_exports`.execute(db);
}
