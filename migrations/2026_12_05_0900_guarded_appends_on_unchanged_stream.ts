import { Kysely, sql } from 'kysely';

// A guarded append that also holds only while another stream has not moved: a decision taken on
// that stream's state as of a version (a respondent's invitation, checked on the respondent's
// stream as this process last folded it) is appended in the same statement that confirms the
// stream is still at that version. Moved on (an invitation revoked, the respondent erased, in any
// process), the append is refused with MTL05 and the stream's version now, and the caller checks
// again on the stream as it is. A stream that does not exist is at version 0.
//
// An overload of append_to_stream_guarded (two more arguments), which it delegates to: the guard's
// lock and its refusal stay in one place.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION append_to_stream_guarded(
      p_guard_stream text,
      p_refuse_types text[],
      p_unchanged_stream text,
      p_unchanged_version bigint,
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
    DECLARE
      v_version bigint;
    BEGIN
      SELECT coalesce((SELECT s.version FROM streams s WHERE s.stream_id = p_unchanged_stream), 0) INTO v_version;
      IF v_version <> p_unchanged_version THEN
        RAISE EXCEPTION 'the stream the append depends on has moved' USING ERRCODE = 'MTL05', DETAIL = v_version::text;
      END IF;
      RETURN QUERY SELECT * FROM append_to_stream_guarded(p_guard_stream, p_refuse_types, p_stream_id, p_category, p_expected_version,
                                                          p_command_id, p_metadata, p_events, p_content_hashes, p_jobs);
    END $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS append_to_stream_guarded(text, text[], text, bigint, text, text, bigint, text, jsonb, jsonb, bytea, jsonb)`.execute(db);
}
