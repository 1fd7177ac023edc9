import { Kysely, sql } from 'kysely';

// Read model of insights: one trend point per assessment, with the score that stands for it (the
// closing score or its latest recalculation) as cited JSON. Trends and benchmarks are computed from
// these rows; the per-respondent answers stay in the assessment streams.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE insights_trend_points (
      assessment_id text PRIMARY KEY,
      organisation_id text NOT NULL,
      scope_kind text NOT NULL CHECK (scope_kind IN ('organisation', 'unit', 'chain')),
      unit_id text,
      chain_id text,
      period text NOT NULL,
      model_key text NOT NULL,
      native_model_version text NOT NULL,
      closed_at timestamptz,
      score jsonb
    )`.execute(db);
  await sql`CREATE INDEX insights_trend_points_organisation ON insights_trend_points (organisation_id, period)`.execute(db);
  await sql`CREATE INDEX insights_trend_points_chain ON insights_trend_points (chain_id, period) WHERE chain_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX insights_trend_points_model_period ON insights_trend_points (model_key, period) WHERE score IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS insights_trend_points`.execute(db);
}
