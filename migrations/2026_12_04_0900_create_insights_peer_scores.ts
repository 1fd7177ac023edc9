import { Kysely, sql } from 'kysely';

// Benchmarks read each organisation's comparable score from a table the insights projection keeps,
// instead of recomputing every organisation's score from the trend points on a read. Per model
// key, period and level (organisation, or units folded into their organisation) one row per
// organisation: its score on the model's newest published version, its type and size band, and
// the score events that went in. A benchmark is one indexed read of the rows of its key, period
// and level; `row_hash` lets a reader tell, from the same rows, whether what it computed before
// still stands (the XOR of the rows' hashes changes with any row).
// The projection also keeps what it needs for that, from the log: the organisations' profiles and
// the model versions (documents, crosswalks, whether published).
// The trends projection's checkpoint goes back to the start of the log, so it fills these tables
// (and rewrites its trend points as they were) on its next run.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE insights_peer_scores (
      model_key text NOT NULL,
      period text NOT NULL,
      level text NOT NULL CHECK (level IN ('organisation', 'unit')),
      organisation_id text NOT NULL,
      model_version text NOT NULL,
      organisation_type text NOT NULL,
      size_band text NOT NULL,
      overall double precision,
      -- json, not jsonb: served as stored, keys in the order they were computed.
      factors json NOT NULL,
      score_events json NOT NULL,
      row_hash bigint NOT NULL,
      PRIMARY KEY (model_key, period, level, organisation_id)
    )`.execute(db);
  await sql`CREATE INDEX insights_peer_scores_organisation ON insights_peer_scores (organisation_id)`.execute(db);
  await sql`
    CREATE TABLE insights_peer_profiles (
      organisation_id text PRIMARY KEY,
      organisation_type text NOT NULL,
      size_band text NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE insights_peer_models (
      model_key text NOT NULL,
      version text NOT NULL,
      document jsonb NOT NULL,
      crosswalk jsonb,
      published boolean NOT NULL DEFAULT false,
      PRIMARY KEY (model_key, version)
    )`.execute(db);
  await sql`UPDATE projection_checkpoints SET transaction_id = '0', position = 0, events_processed = 0, updated_at = now() WHERE name = 'insights_trends'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS insights_peer_scores, insights_peer_profiles, insights_peer_models`.execute(db);
}
