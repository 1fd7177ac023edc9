import { Kysely, sql } from 'kysely';

// Read model of the model catalogue: one row per model version, built by the model_versions
// projection from the ModelVersion* events.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE model_versions (
      key text NOT NULL,
      version text NOT NULL,
      status text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
      title jsonb NOT NULL,
      content_hash text,
      legal_basis text,
      effective_from date,
      predecessor text,
      factor_count integer NOT NULL,
      question_count integer NOT NULL,
      drafted_at timestamptz NOT NULL,
      drafted_by text NOT NULL,
      published_at timestamptz,
      published_by text,
      retired_at timestamptz,
      retired_by text,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (key, version)
    )`.execute(db);
  await upIndexes(db);
}

// Lets a category's streams be listed without a scan (e.g. every version of one model).
export async function upIndexes(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX streams_category ON streams (category, stream_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS streams_category`.execute(db);
  await sql`DROP TABLE IF EXISTS model_versions`.execute(db);
}
