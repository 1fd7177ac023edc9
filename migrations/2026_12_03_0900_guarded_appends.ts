import { Kysely, sql } from 'kysely';

// Appends under a guard stream: many writers of independent streams (respondents' response
// streams) proceed side by side while one decision about all of them (closing the assessment that
// is their guard) waits for those in flight and stops new ones.
//
// Each guarded append takes the guard's advisory lock in shared mode for its transaction, so guarded
// appends never wait for each other; a decision over them takes it exclusively (see the event
// store's `exclusively`), waits for the appends that already hold it to commit, and makes later ones
// wait until it has committed. Then the append checks, under the lock and with a fresh snapshot,
// that the guard stream holds no event of the refusing types (AssessmentClosed): an append is either
// seen by the decision or refused, never lost between them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION append_to_stream_guarded(
      p_guard_stream text,
      p_refuse_types text[],
      p_stream_id text,
      p_category text,
      p_expected_version bigint,
      p_command_id text,
      p_metadata jsonb,
      p_events jsonb,
      p_content_hashes bytea,
      p_jobs jsonb
    ) RETURNS TABLE (
      duplicate boolean,
      first_version bigint,
      last_version bigint,
      first_position bigint,
      last_position bigint
    ) LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock_shared(hashtextextended('maatlat:guard:' || p_guard_stream, 0));
      IF EXISTS (SELECT 1 FROM events e WHERE e.stream_id = p_guard_stream AND e.type = ANY(p_refuse_types)) THEN
        RAISE EXCEPTION 'the guard stream refuses appends' USING ERRCODE = 'MTL04', DETAIL = p_guard_stream;
      END IF;
      RETURN QUERY SELECT * FROM append_to_stream(p_stream_id, p_category, p_expected_version, p_command_id,
                                                  p_metadata, p_events, p_content_hashes, p_jobs);
    END $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS append_to_stream_guarded(text, text[], text, text, bigint, text, jsonb, jsonb, bytea, jsonb)`.execute(db);
}
