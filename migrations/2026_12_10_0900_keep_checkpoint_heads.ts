import { Kysely, sql } from 'kysely';

// A checkpoint keeps the stream heads it covers, as the change since the checkpoint before: the head
// of every stream with events in between (all heads for the first checkpoint that keeps them). The
// heads at any checkpoint are then the latest kept for each stream up to it, and they are trusted
// only when they give its signed root; `verify --checkpoint` can so name a rewritten stream with
// any copy of the checkpoint (the API's, the open dataset's, an export's), not only a file that
// carries the heads. Immutable like the checkpoints. Checkpoints recorded before this keep none
// (`heads_kept` false).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE log_checkpoints ADD COLUMN heads_kept boolean NOT NULL DEFAULT false`.execute(db);
  await sql`
    CREATE TABLE log_checkpoint_heads (
      stream_id text NOT NULL,
      sequence bigint NOT NULL REFERENCES log_checkpoints (sequence),
      version bigint NOT NULL,
      hash bytea NOT NULL,
      PRIMARY KEY (stream_id, sequence)
    )`.execute(db);
  await sql`
    CREATE TRIGGER log_checkpoint_heads_immutable_rows BEFORE UPDATE OR DELETE ON log_checkpoint_heads
      FOR EACH ROW EXECUTE FUNCTION refuse_event_mutation()`.execute(db);
  await sql`
    CREATE TRIGGER log_checkpoint_heads_immutable_table BEFORE TRUNCATE ON log_checkpoint_heads
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_mutation()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE log_checkpoint_heads`.execute(db);
  await sql`ALTER TABLE log_checkpoints DROP COLUMN heads_kept`.execute(db);
}
