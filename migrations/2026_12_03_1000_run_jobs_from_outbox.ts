import { Kysely, sql } from 'kysely';

// Without Redis the worker runs the jobs itself from the outbox (the embedded mode of npm start):
// a row is claimed until `locked_until` (renewed while the job runs, so a dead worker's job comes
// back when it runs out), retried after `run_after` with a doubling pause, and ends completed or
// failed with its reason. With Redis these columns stay empty: BullMQ keeps that state.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE outbox
      ADD COLUMN run_after timestamptz,
      ADD COLUMN locked_until timestamptz,
      ADD COLUMN job_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN job_error text,
      ADD COLUMN completed_at timestamptz,
      ADD COLUMN failed_at timestamptz`.execute(db);
  await sql`CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX outbox_failed`.execute(db);
  await sql`ALTER TABLE outbox DROP COLUMN run_after, DROP COLUMN locked_until, DROP COLUMN job_attempts, DROP COLUMN job_error, DROP COLUMN completed_at, DROP COLUMN failed_at`.execute(db);
}
