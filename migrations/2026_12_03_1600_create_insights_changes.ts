import { Kysely, sql } from 'kysely';

// The change between two points of a trend line with its bootstrap interval, kept once computed.
// The bootstrap is seeded from the two assessment ids and a score event never changes, so the
// change of two score events on one model version is the same on every replay: a row is keyed by
// exactly that and is never invalidated (a new score or a new model version is a new key).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE insights_changes (
      previous_score_event_id text NOT NULL,
      current_score_event_id text NOT NULL,
      model_version text NOT NULL,
      -- json, not jsonb: served as stored, keys in the order they were computed.
      change json NOT NULL,
      computed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (current_score_event_id, previous_score_event_id, model_version)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS insights_changes`.execute(db);
}
