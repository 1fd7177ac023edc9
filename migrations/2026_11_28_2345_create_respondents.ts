import { Kysely, sql } from 'kysely';

// Per-person data keys, apart from the events: destroying a key (AVG art. 17) makes that person's
// sealed personal data unreadable everywhere, while the events and their hash chain stay intact.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE person_keys (
      respondent_id text PRIMARY KEY,
      data_key bytea NOT NULL CHECK (length(data_key) = 32),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // Read model of respondents: pseudonyms and status only, never personal data.
  await sql`
    CREATE TABLE respondents (
      respondent_id text PRIMARY KEY,
      organisation_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'erased')),
      registered_at timestamptz NOT NULL,
      erased_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX respondents_organisation ON respondents (organisation_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS respondents, person_keys`.execute(db);
}
