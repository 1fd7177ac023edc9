import { Kysely, sql } from 'kysely';

// The PDFs the platform issued. The event ReportGenerated in the assessment's report stream is the
// record (who, when, what it was drawn from, the PDF's SHA-256); this table holds the bytes, kept
// out of the event log, and finds a report by the hash of a file someone presents for checking.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE report_files (
      report_id uuid PRIMARY KEY,
      assessment_id uuid NOT NULL,
      organisation_id uuid NOT NULL,
      sha256 bytea NOT NULL CHECK (length(sha256) = 32),
      pdf bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX report_files_sha256 ON report_files (sha256)`.execute(db);
  await sql`CREATE INDEX report_files_assessment ON report_files (assessment_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS report_files`.execute(db);
}
