import { Kysely, sql } from 'kysely';

// A checkpoint keeps the roots of its Merkle tree's subtrees of 1,024 stream heads, with the first
// stream of each: an inclusion proof then rebuilds one subtree and the tree above the kept roots
// (about a thousand for a million streams) instead of reading every stream head and hashing them
// all (3.1 s at 300,000 streams). Immutable like the checkpoints. Checkpoints recorded before this
// have none; their proofs are made the long way.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE log_checkpoint_subtrees (
      sequence bigint NOT NULL REFERENCES log_checkpoints (sequence),
      subtree integer NOT NULL,
      first_stream_id text NOT NULL,
      leaves integer NOT NULL,
      root bytea NOT NULL,
      PRIMARY KEY (sequence, subtree)
    )`.execute(db);
  await sql`
    CREATE TRIGGER log_checkpoint_subtrees_immutable_rows BEFORE UPDATE OR DELETE ON log_checkpoint_subtrees
      FOR EACH ROW EXECUTE FUNCTION refuse_event_mutation()`.execute(db);
  await sql`
    CREATE TRIGGER log_checkpoint_subtrees_immutable_table BEFORE TRUNCATE ON log_checkpoint_subtrees
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_mutation()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE log_checkpoint_subtrees`.execute(db);
}
