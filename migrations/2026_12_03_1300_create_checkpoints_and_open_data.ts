import { Kysely, sql } from 'kysely';

// Signed checkpoints of the log, and the versions of the open-data dataset. Both are written once
// and never changed: the same trigger that guards the events refuses updates and deletes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE log_checkpoints (
      sequence bigint PRIMARY KEY,
      transaction_id xid8 NOT NULL,
      position bigint NOT NULL,
      streams bigint NOT NULL,
      root text NOT NULL,
      recorded_at timestamptz NOT NULL,
      key_id text NOT NULL,
      -- The signed statement exactly as signed (its canonical JSON) and the Ed25519 signature.
      statement jsonb NOT NULL,
      signature text NOT NULL
    )`.execute(db);

  await sql`
    CREATE TABLE open_data_versions (
      version integer PRIMARY KEY,
      -- sha256 over the distributions' hashes: the version's content address.
      content_id text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      -- sha256 over the publications it was built from: a new version only when they changed.
      publications_hash text NOT NULL,
      -- DCAT-AP as JSON-LD, and the distributions by file name (their text, exactly as served).
      metadata jsonb NOT NULL,
      files jsonb NOT NULL
    )`.execute(db);

  for (const table of ['log_checkpoints', 'open_data_versions']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_immutable_rows`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION refuse_event_mutation()`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_immutable_table`)} BEFORE TRUNCATE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_mutation()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE open_data_versions`.execute(db);
  await sql`DROP TABLE log_checkpoints`.execute(db);
}
