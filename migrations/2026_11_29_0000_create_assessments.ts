import { Kysely, sql } from 'kysely';

// Read model of assessments (which exist, whose, on which model version, in which state).
// Recalculations need no table of their own: each is a stream (`recalculation-<id>`), and their
// progress is counted from the events (see the partial indexes of the next migration).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE assessments (
      assessment_id text PRIMARY KEY,
      organisation_id text NOT NULL,
      period text NOT NULL,
      model_key text NOT NULL,
      model_version text NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'closed')),
      opened_at timestamptz NOT NULL,
      closed_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX assessments_model ON assessments (model_key, model_version, status)`.execute(db);
  await sql`CREATE INDEX assessments_organisation ON assessments (organisation_id, period)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS assessments`.execute(db);
}
