import { Kysely, sql } from 'kysely';

// The digest a benchmark read checks its kept figures against (per model key, period and level:
// per model version the number of peer-score rows and the XOR of their hashes) was computed from
// every row on each read, so a read grew with the number of organisations. The projection now keeps
// it beside the rows, in the same transaction: XOR undoes itself, so a row deleted is taken out and
// a row written put in without reading the others. Filled here from the rows as they stand.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE insights_peer_digests (
      model_key text NOT NULL,
      period text NOT NULL,
      level text NOT NULL,
      model_version text NOT NULL,
      organisations integer NOT NULL,
      hash_xor bigint NOT NULL,
      PRIMARY KEY (model_key, period, level, model_version)
    )`.execute(db);
  await sql`
    INSERT INTO insights_peer_digests (model_key, period, level, model_version, organisations, hash_xor)
    SELECT model_key, period, level, model_version, count(*), bit_xor(row_hash)
      FROM insights_peer_scores GROUP BY model_key, period, level, model_version`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE insights_peer_digests`.execute(db);
}
