import { Kysely, sql } from 'kysely';

// The event store's schema. Frozen in time: later changes come as new migrations.
//
// Global order: events are read in (transaction_id, position) order below the snapshot's xmin,
// so a transaction that committed late can never be overtaken by a reader (see event-store README).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE streams (
      stream_id text PRIMARY KEY,
      category text NOT NULL,
      version bigint NOT NULL CHECK (version >= 0),
      head_hash bytea NOT NULL,
      created_at timestamptz NOT NULL,
      last_recorded_at timestamptz NOT NULL
    )`.execute(db);

  await sql`
    CREATE TABLE events (
      -- Unique by construction (an identity never repeats); the log is read through
      -- events_log_order, so a separate index on position alone would only slow appends.
      position bigint GENERATED ALWAYS AS IDENTITY,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      stream_id text NOT NULL,
      version bigint NOT NULL CHECK (version >= 1),
      event_id uuid NOT NULL UNIQUE,
      type text NOT NULL,
      schema_version integer NOT NULL CHECK (schema_version >= 1),
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL,
      content_hash bytea NOT NULL,
      previous_hash bytea NOT NULL,
      hash bytea NOT NULL,
      CONSTRAINT events_pkey PRIMARY KEY (stream_id, version)
    )`.execute(db);
  await sql`CREATE INDEX events_log_order ON events (transaction_id, position)`.execute(db);

  await sql`
    CREATE TABLE stream_commands (
      stream_id text NOT NULL,
      command_id text NOT NULL,
      first_version bigint NOT NULL,
      last_version bigint NOT NULL,
      first_position bigint,
      last_position bigint,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (stream_id, command_id)
    )`.execute(db);

  await sql`
    CREATE TABLE outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      job_id text NOT NULL UNIQUE,
      job_name text NOT NULL,
      payload jsonb NOT NULL,
      caused_by_event_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      dispatched_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text
    )`.execute(db);
  await sql`CREATE INDEX outbox_pending ON outbox (id) WHERE dispatched_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE projection_checkpoints (
      name text PRIMARY KEY,
      transaction_id xid8 NOT NULL DEFAULT '0',
      position bigint NOT NULL DEFAULT 0,
      events_processed bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      rebuilt_at timestamptz
    )`.execute(db);

  // Read model of the stream_index projection: which streams exist, per organisation.
  await sql`
    CREATE TABLE stream_index (
      stream_id text PRIMARY KEY,
      category text NOT NULL,
      tenant_id text,
      version bigint NOT NULL,
      event_count bigint NOT NULL,
      first_recorded_at timestamptz NOT NULL,
      last_recorded_at timestamptz NOT NULL,
      last_event_type text NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX stream_index_tenant ON stream_index (tenant_id, category)`.execute(db);

  // Immutability lives in the database, so no code path (nor a hand-typed psql session) can
  // rewrite history. A superuser can still disable triggers: the hash chain catches that.
  await sql`
    CREATE FUNCTION refuse_event_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'events are immutable: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'MTL02';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER events_immutable_rows BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION refuse_event_mutation()`.execute(db);
  await sql`
    CREATE TRIGGER events_immutable_table BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_mutation()`.execute(db);
  await sql`
    CREATE TRIGGER stream_commands_immutable_rows BEFORE UPDATE OR DELETE ON stream_commands
      FOR EACH ROW EXECUTE FUNCTION refuse_event_mutation()`.execute(db);
  await sql`
    CREATE TRIGGER stream_commands_immutable_table BEFORE TRUNCATE ON stream_commands
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_mutation()`.execute(db);
  await sql`
    CREATE TRIGGER streams_never_deleted BEFORE DELETE ON streams
      FOR EACH ROW EXECUTE FUNCTION refuse_event_mutation()`.execute(db);
  await sql`
    CREATE TRIGGER streams_never_truncated BEFORE TRUNCATE ON streams
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_mutation()`.execute(db);

  // One round trip per append: idempotency check, expected-version check under the stream lock, hash
  // chain, insert, stream head and outbox, all in one statement's transaction.
  //   p_metadata: what every event of the append records about its cause
  //   p_events: [{ eventId, type, schemaVersion, data, metadata (extras, optional) }]
  //   p_content_hashes: the events' 32-byte content hashes, concatenated in event order
  //   p_jobs:   [{ jobId, jobName, payload, causedByEventId }] or null
  //   p_expected_version: -1 means "any version".
  // Link hash: sha256(previous hash || content hash || int8 version || int8 recorded_at millis);
  // the first link's previous hash is sha256('maatlat:' || stream id).
  await sql`
    CREATE FUNCTION append_to_stream(
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
      v_head bytea;
      v_last_at timestamptz;
      v_now timestamptz := date_trunc('milliseconds', clock_timestamp());
      v_count integer := jsonb_array_length(p_events);
      v_previous bytea[] := '{}';
      v_hashes bytea[] := '{}';
      v_contents bytea[] := '{}';
      v_millis bytea;
      v_first_position bigint;
      v_last_position bigint;
      v_done stream_commands%ROWTYPE;
      v_new_stream boolean := false;
    BEGIN
      IF v_count = 0 THEN
        RAISE EXCEPTION 'append_to_stream needs at least one event' USING ERRCODE = 'MTL03';
      END IF;

      -- The stream lock is taken before this transaction writes anything, so before it is given a
      -- transaction id: appends to one stream get ascending transaction ids, and the global log's
      -- (transaction_id, position) order keeps every stream in version order.
      PERFORM pg_advisory_xact_lock(hashtextextended('maatlat:stream:' || p_stream_id, 0));
      SELECT s.version, s.head_hash, s.last_recorded_at INTO v_version, v_head, v_last_at
        FROM streams s WHERE s.stream_id = p_stream_id;

      IF NOT FOUND THEN
        IF p_expected_version > 0 THEN
          RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'MTL01', DETAIL = '0';
        END IF;
        v_new_stream := true;
        v_version := 0;
        v_head := sha256(convert_to('maatlat:' || p_stream_id, 'UTF8'));
        v_last_at := v_now;
      ELSE
        IF p_command_id IS NOT NULL THEN
          -- Checked under the stream lock, so a concurrent retry that just committed is seen. A
          -- stream that does not exist yet cannot have seen the command.
          SELECT * INTO v_done FROM stream_commands c
            WHERE c.stream_id = p_stream_id AND c.command_id = p_command_id;
          IF FOUND THEN
            RETURN QUERY SELECT true, v_done.first_version, v_done.last_version,
              v_done.first_position, v_done.last_position;
            RETURN;
          END IF;
        END IF;
        IF p_expected_version >= 0 AND v_version <> p_expected_version THEN
          RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'MTL01', DETAIL = v_version::text;
        END IF;
      END IF;

      -- recorded_at never goes backwards within a stream, so "as of" reads are prefix-closed.
      v_now := greatest(v_now, v_last_at);
      v_millis := int8send((extract(epoch FROM v_now) * 1000)::bigint);
      IF length(p_content_hashes) <> 32 * v_count THEN
        RAISE EXCEPTION 'append_to_stream needs one 32-byte content hash per event' USING ERRCODE = 'MTL03';
      END IF;
      FOR i IN 1..v_count LOOP
        v_contents := v_contents || substring(p_content_hashes FROM 32 * (i - 1) + 1 FOR 32);
        v_previous := v_previous || v_head;
        v_head := sha256(v_head || v_contents[i] || int8send(v_version + i) || v_millis);
        v_hashes := v_hashes || v_head;
      END LOOP;

      WITH inserted AS (
        INSERT INTO events (stream_id, version, event_id, type, schema_version, data, metadata,
                            recorded_at, content_hash, previous_hash, hash)
        SELECT p_stream_id, v_version + e.ord, e.event_id, e.type, e.schema_version, e.data,
               CASE WHEN e.metadata IS NULL THEN p_metadata ELSE p_metadata || e.metadata END,
               v_now, v_contents[e.ord], v_previous[e.ord], v_hashes[e.ord]
          FROM ROWS FROM (jsonb_to_recordset(p_events)
                 AS ("eventId" uuid, type text, "schemaVersion" integer, data jsonb, metadata jsonb))
               WITH ORDINALITY AS e(event_id, type, schema_version, data, metadata, ord)
         ORDER BY e.ord
        RETURNING events.position
      )
      SELECT min(inserted.position), max(inserted.position) INTO v_first_position, v_last_position
        FROM inserted;

      IF v_new_stream THEN
        -- Creators of one stream are serialised by the stream lock; should anything else insert
        -- the row, the unique violation surfaces as a wrong expected version. Never ON CONFLICT
        -- DO NOTHING here.
        INSERT INTO streams (stream_id, category, version, head_hash, created_at, last_recorded_at)
          VALUES (p_stream_id, p_category, v_count, v_head, v_now, v_now);
      ELSE
        UPDATE streams SET version = v_version + v_count, head_hash = v_head, last_recorded_at = v_now
         WHERE streams.stream_id = p_stream_id;
      END IF;

      IF p_command_id IS NOT NULL THEN
        INSERT INTO stream_commands (stream_id, command_id, first_version, last_version,
                                     first_position, last_position, recorded_at)
          VALUES (p_stream_id, p_command_id, v_version + 1, v_version + v_count,
                  v_first_position, v_last_position, v_now);
      END IF;

      IF p_jobs IS NOT NULL THEN
        -- A job already recorded for the same cause is the same job: keeping the first is right.
        INSERT INTO outbox (job_id, job_name, payload, caused_by_event_id)
          SELECT j ->> 'jobId', j ->> 'jobName', j -> 'payload', (j ->> 'causedByEventId')::uuid
            FROM jsonb_array_elements(p_jobs) AS j
          ON CONFLICT (job_id) DO NOTHING;
      END IF;

      RETURN QUERY SELECT false, v_version + 1, v_version + v_count, v_first_position, v_last_position;
    END $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS append_to_stream(text, text, bigint, text, jsonb, jsonb, bytea, jsonb)`.execute(db);
  await sql`DROP TABLE IF EXISTS stream_index, projection_checkpoints, outbox, stream_commands, events, streams`.execute(db);
  await sql`DROP FUNCTION IF EXISTS refuse_event_mutation()`.execute(db);
}
