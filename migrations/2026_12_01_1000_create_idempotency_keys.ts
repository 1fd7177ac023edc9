import { Kysely, sql } from 'kysely';

// Idempotency-Key at the HTTP edge: per caller and key, what the first request was (its method,
// path and a SHA-256 fingerprint of what it asked) and the response it got, so that a replay gets
// that response and a different request under the same key is refused. A row without a status is
// a request still running. Routes whose responses carry personal data or credentials keep none
// (response stays null): their replays run again and find the first outcome by the key. The
// response is json, not jsonb: jsonb reorders keys, and a replay answers the first text exactly.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE idempotency_keys (
      caller text NOT NULL,
      key text NOT NULL,
      method text NOT NULL,
      path text NOT NULL,
      fingerprint bytea NOT NULL CHECK (length(fingerprint) = 32),
      status integer,
      response json,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      PRIMARY KEY (caller, key)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS idempotency_keys`.execute(db);
}
