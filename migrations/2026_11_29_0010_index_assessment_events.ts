import { Kysely, sql } from 'kysely';

// Two narrow partial indexes over the event table, so recalculations neither scan it to find the
// closed assessments of a model version nor to count their progress. Only the few events of these
// types are indexed; appends of every other type pay only the predicate check.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX events_assessment_model ON events ((data->'model'->>'key'), (data->'model'->>'version'))
     WHERE type = 'AssessmentOpened'`.execute(db);
  await sql`
    CREATE INDEX events_recalculation_progress ON events ((data->>'recalculationId'), stream_id)
     WHERE type = 'ScoreRecalculated'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS events_recalculation_progress`.execute(db);
  await sql`DROP INDEX IF EXISTS events_assessment_model`.execute(db);
}
