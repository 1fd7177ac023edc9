import { Kysely, sql } from 'kysely';

// Data keys wrapped with a key-encryption key that is not in the database, so a dump of it opens
// no personal data. The key-encryption key is not here either, so the rows made before cannot be
// wrapped by this migration: they keep their data_key until their next use wraps it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE person_keys ALTER COLUMN data_key DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE person_keys ADD COLUMN wrapped_key bytea, ADD COLUMN key_id text`.execute(db);
  await sql`
    ALTER TABLE person_keys
      ADD CONSTRAINT person_keys_one_form CHECK ((data_key IS NULL) <> (wrapped_key IS NULL)),
      ADD CONSTRAINT person_keys_wrapped_by CHECK ((wrapped_key IS NULL) = (key_id IS NULL))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Wrapped keys cannot be unwrapped here (the key-encryption key is not in the database).
  await sql`ALTER TABLE person_keys DROP CONSTRAINT person_keys_one_form, DROP CONSTRAINT person_keys_wrapped_by`.execute(db);
  await sql`ALTER TABLE person_keys DROP COLUMN wrapped_key, DROP COLUMN key_id`.execute(db);
}
