import { Kysely, sql, type RawBuilder, type Selectable } from 'kysely';
import type { Pool } from 'pg';
import type { DB, EventsTable } from '@maatlat/shared/database';
import { DuplicateEventId, GuardRefused, StreamMoved, WrongExpectedVersion } from './errors';
import { canonicalJson, type DomainEvent } from '@maatlat/shared/domain';
import { contentHash, contentHashOfCanonicalParts } from './hashing';
import type {
  AppendMetadata,
  AppendResult,
  EventMetadata,
  ExpectedVersion,
  LogCheckpoint,
  LogFilter,
  NewEvent,
  OutboxJob,
  ReadStreamOptions,
  RecordedEvent,
  StoredEvent,
} from './types';
import { EventUpcasters } from './upcasters';

const APPEND_SQL = 'SELECT * FROM append_to_stream($1, $2, $3, $4, $5, $6, $7, $8)';
const GUARDED_APPEND_SQL = 'SELECT * FROM append_to_stream_guarded($9, $10, $1, $2, $3, $4, $5, $6, $7, $8)';
/** The overload that also needs another stream unchanged (migration 2026_12_05_0900_guarded_appends_on_unchanged_stream). */
const GUARDED_UNCHANGED_APPEND_SQL = 'SELECT * FROM append_to_stream_guarded($9, $10, $11, $12, $1, $2, $3, $4, $5, $6, $7, $8)';
/** The same key as append_to_stream_guarded's shared lock (migration 2026_12_03_0900_guarded_appends). */
const GUARD_EXCLUSIVELY_SQL = "SELECT pg_advisory_xact_lock(hashtextextended('maatlat:guard:' || $1, 0))";

/**
 * A guarded append (see `PostgresEventStore.exclusively`): it takes the guard stream's lock shared,
 * and is refused (`GuardRefused`) once the guard stream holds an event of one of these types.
 */
export interface AppendGuard {
  streamId: string;
  refuseIfAny: readonly string[];
  /**
   * Another stream the append holds only while it is still at `version` (0: it does not exist):
   * for a decision taken on that stream's state as of that version, which may be this process's
   * remembered state (see FoldedStreams.peek). Checked in the append's own statement; a stream
   * that moved on refuses the append (`StreamMoved`, with its version now).
   * @example
   *   { streamId: assessmentStreamId(id), refuseIfAny: ['AssessmentClosed'], unchanged: { streamId: respondentStreamId(r), version: 3 } }
   */
  unchanged?: StreamAtVersion;
}

/** A stream and the version it was seen at. */
export interface StreamAtVersion {
  streamId: string;
  version: number;
}

/** What a read or an append runs on: the pool, or the connection of an `exclusively` transaction. */
type Queryable = Pick<Pool, 'query'>;

// Hot path, in two forms that give the same events. Most streams are short, and for them the cost is
// per row in Node: so the stream comes back as the text of one JSON array of arrays, written by
// concatenation (the data as PostgreSQL prints jsonb anyway; json_build_array costs twice as much),
// one field to decode and one native JSON.parse. A long stream (an assessment of thousands of
// answers) is faster as rows, which Node parses while PostgreSQL is still sending the rest.
// Either way the stream id is left out (the caller knows it) and the time is epoch milliseconds.
const STREAM_FILTER = 'stream_id = $1 AND version >= $2 AND version <= $3 AND recorded_at <= $4';
const jsonArraySql = (extraColumns: string) => `
  SELECT '[' || string_agg(
           '[' || position || ',"' || transaction_id || '",' || version || ',"' || event_id || '",' || to_json(type)
               || ',' || schema_version || ',' || data || ',' || metadata
               || ',' || (extract(epoch FROM recorded_at) * 1000)::bigint${extraColumns} || ']',
           ',' ORDER BY version) || ']'
    FROM events WHERE ${STREAM_FILTER}`;
const rowsSql = (extraColumns: string) => `
  SELECT position, transaction_id::text, version, event_id, type, schema_version, data, metadata,
         (extract(epoch FROM recorded_at) * 1000)::bigint${extraColumns}
    FROM events WHERE ${STREAM_FILTER} ORDER BY version`;
const READ_STREAM = {
  short: { name: 'maatlat-read-stream', text: jsonArraySql('') },
  shortWithHashes: { name: 'maatlat-read-stream-with-hashes', text: jsonArraySql(` || ',"' || encode(hash, 'hex') || '"'`) },
  long: { name: 'maatlat-read-long-stream', text: rowsSql('') },
  longWithHashes: { name: 'maatlat-read-long-stream-with-hashes', text: rowsSql(", encode(hash, 'hex')") },
};
/** From this many events on, a stream read once is read as rows from then on. */
const LONG_STREAM = 200;
const LONG_STREAMS_REMEMBERED = 10_000;

type StreamEntry = [number, string, number, string, string, number, unknown, EventMetadata, number, string?];

/** An events row as the log reader selects it: the table's own columns, the hashes left out. */
type EventRow = Omit<Selectable<EventsTable>, 'content_hash' | 'previous_hash' | 'hash' | 'metadata'> & { metadata: EventMetadata };

/** The part of a stream id before the first '-': `assessment-42` is in category `assessment`. */
export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}

/**
 * The append-only, hash-chained event store on PostgreSQL.
 * @example
 *   const result = await store.append('assessment-1', 0, [{ eventId, type: 'AssessmentOpened', data }], meta);
 *   const events = await store.readStream('assessment-1', { asOf: new Date('2026-06-01') });
 */
/**
 * The fence of the log, as common table expressions `snapshot` and `fence` (its `below`): the oldest
 * transaction still running in this database, as the statement's snapshot sees it. Every event of a
 * transaction below it is final, and none can later appear before it. Transactions of other
 * databases of the cluster cannot write here, so they do not hold readers back; one not (or no
 * longer) listed in pg_stat_activity counts as ours, to be safe. Put after `WITH`.
 */
export const LOG_FENCE = `snapshot AS (SELECT pg_current_snapshot() AS s),
     fence AS (
       SELECT coalesce(
         (SELECT min(running.xid)
            FROM snapshot, pg_snapshot_xip(snapshot.s) AS running(xid)
           WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                              WHERE a.backend_xid = xid(running.xid)
                                AND a.datname IS DISTINCT FROM current_database())),
         (SELECT pg_snapshot_xmax(s) FROM snapshot)) AS below)`;

/**
 * Whether the log holds committed events not yet settled (at or above the fence): readers that want
 * all that was committed before they asked wait while it says so. One row, `unsettled`.
 */
export const UNSETTLED_EVENTS_SQL = `WITH ${LOG_FENCE} SELECT EXISTS (SELECT 1 FROM events WHERE transaction_id >= (SELECT below FROM fence)) AS unsettled`;

export class PostgresEventStore {
  /** Streams seen to be long (see LONG_STREAM): read as rows. Streams only grow, so this stays true. */
  private readonly longStreams = new Set<string>();
  /** The pool, or inside `exclusively` its transaction's connection. */
  private executor: Queryable;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly pool: Pool,
    readonly upcasters: EventUpcasters = new EventUpcasters(),
  ) {
    this.executor = pool;
  }

  /**
   * Runs `work` in one transaction holding the guard stream's lock exclusively: guarded appends
   * (`append(…, { guard })`) already under way have committed before `work` starts, and those that
   * come later wait until it has committed, then see what it appended (and are refused when that
   * closes the guard). Reads and appends through the store `work` is given run in that transaction.
   * @example
   *   await store.exclusively(assessmentStreamId(id), async (tx) => { const all = await tx.readStreams(ids); await tx.append(…); });
   */
  async exclusively<T>(guardStreamId: string, work: (store: PostgresEventStore) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query(GUARD_EXCLUSIVELY_SQL, [guardStreamId]);
      const bound = new PostgresEventStore(this.db, this.pool, this.upcasters);
      bound.executor = client;
      const result = await work(bound);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => (broken = rollbackFailed));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Appends events in one round trip. Throws `WrongExpectedVersion` when the stream is not at
   * `expectedVersion`; with a `commandId` already applied to this stream it appends nothing and
   * returns the first result (`duplicate: true`). `jobs` land in the outbox in the same transaction.
   * With a `guard` (AppendGuard) it is refused by a closed guard (`GuardRefused`) and, when the
   * guard names a stream that must be `unchanged`, by that stream having moved (`StreamMoved`).
   */
  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    metadata: AppendMetadata,
    options: { jobs?: readonly OutboxJob[]; guard?: AppendGuard } = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const base = eventMetadataOf(metadata);
    // The shared metadata travels once per append; the function merges each event's extras over it.
    const baseCanonical = canonicalJson(base);
    const hashes = Buffer.allocUnsafe(32 * events.length);
    // Each event's data is written once, canonically: hashed with the rest of the event, and sent as
    // that same text (jsonb keeps its own key order, so any text of the same value would do).
    let payload = '[';
    for (let index = 0; index < events.length; index++) {
      const event = events[index];
      const schemaVersion = event.schemaVersion ?? this.upcasters.currentSchemaVersion(event.type);
      const dataJson = canonicalJson(event.data);
      const hash = event.metadata
        ? contentHash({ eventId: event.eventId, type: event.type, schemaVersion, data: event.data, metadata: { ...base, ...event.metadata } })
        : contentHashOfCanonicalParts({ eventId: event.eventId, type: event.type, schemaVersion, dataJson }, baseCanonical);
      hash.copy(hashes, 32 * index);
      payload +=
        `${index ? ',' : ''}{"eventId":${JSON.stringify(event.eventId)},"type":${JSON.stringify(event.type)},"schemaVersion":${schemaVersion},"data":${dataJson}` +
        `${event.metadata ? `,"metadata":${canonicalJson(event.metadata)}` : ''}}`;
    }
    payload += ']';
    const jobs = options.jobs?.length ? JSON.stringify(options.jobs) : null;
    try {
      const values: unknown[] = [
        streamId,
        categoryOf(streamId),
        expectedVersion === 'any' ? -1 : expectedVersion,
        metadata.commandId ?? null,
        baseCanonical,
        payload,
        hashes,
        jobs,
      ];
      const { guard } = options;
      const { rows } = await this.executor.query(
        !guard
          ? { name: 'maatlat-append', text: APPEND_SQL, values }
          : guard.unchanged
            ? { name: 'maatlat-append-guarded-unchanged', text: GUARDED_UNCHANGED_APPEND_SQL, values: [...values, guard.streamId, [...guard.refuseIfAny], guard.unchanged.streamId, guard.unchanged.version] }
            : { name: 'maatlat-append-guarded', text: GUARDED_APPEND_SQL, values: [...values, guard.streamId, [...guard.refuseIfAny]] },
      );
      const row = rows[0];
      return {
        streamId,
        duplicate: row.duplicate,
        firstVersion: Number(row.first_version),
        nextExpectedVersion: Number(row.last_version),
        firstPosition: row.first_position === null ? null : Number(row.first_position),
        lastPosition: row.last_position === null ? null : Number(row.last_position),
      };
    } catch (error) {
      throw await this.translateAppendError(error, streamId, expectedVersion, options.guard?.unchanged);
    }
  }

  private async translateAppendError(error: unknown, streamId: string, expected: ExpectedVersion, unchanged: StreamAtVersion | undefined): Promise<unknown> {
    const pgError = error as { code?: string; detail?: string; constraint?: string };
    const expectedNumber = expected === 'any' ? -1 : expected;
    if (pgError.code === 'MTL04') {
      return new GuardRefused(pgError.detail ?? '');
    }
    if (pgError.code === 'MTL05' && unchanged) {
      return new StreamMoved(unchanged.streamId, unchanged.version, Number(pgError.detail));
    }
    if (pgError.code === 'MTL01') {
      return new WrongExpectedVersion(streamId, expectedNumber, Number(pgError.detail));
    }
    if (pgError.code === '23505' && pgError.constraint === 'streams_pkey') {
      // Another writer created the stream between our look-up and our insert.
      return new WrongExpectedVersion(streamId, expectedNumber, await this.streamVersion(streamId));
    }
    if (pgError.code === '23505' && pgError.constraint === 'events_event_id_key') {
      return new DuplicateEventId(streamId);
    }
    return error;
  }

  /** The stream's current version; 0 when it does not exist. */
  async streamVersion(streamId: string): Promise<number> {
    const row = await this.db
      .selectFrom('streams')
      .select('version')
      .where('stream_id', '=', streamId)
      .executeTakeFirst();
    return row ? Number(row.version) : 0;
  }

  /** The recorded outcome of a command already applied to a stream, if any. */
  async findCommandResult(streamId: string, commandId: string): Promise<AppendResult | undefined> {
    const row = await this.db
      .selectFrom('stream_commands')
      .selectAll()
      .where('stream_id', '=', streamId)
      .where('command_id', '=', commandId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      streamId,
      duplicate: true,
      firstVersion: row.first_version,
      nextExpectedVersion: row.last_version,
      firstPosition: row.first_position,
      lastPosition: row.last_position,
    };
  }

  /** One stream's events in version order, upcast to their current schema. */
  async readStream<E extends DomainEvent = DomainEvent>(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent<E>[]> {
    const long = this.longStreams.has(streamId);
    const statement = long
      ? options.withHashes ? READ_STREAM.longWithHashes : READ_STREAM.long
      : options.withHashes ? READ_STREAM.shortWithHashes : READ_STREAM.short;
    const { rows } = await this.executor.query<StreamEntry | [string | null]>({
      ...statement,
      rowMode: 'array',
      values: [streamId, options.fromVersion ?? 1, options.toVersion ?? Number.MAX_SAFE_INTEGER, options.asOf ?? 'infinity'],
    });
    const entries: StreamEntry[] = long ? (rows as StreamEntry[]) : rows[0]?.[0] ? JSON.parse(rows[0][0] as string) : [];
    if (!long && entries.length >= LONG_STREAM) {
      if (this.longStreams.size >= LONG_STREAMS_REMEMBERED) this.longStreams.clear();
      this.longStreams.add(streamId);
    }
    return entries.map((entry) => this.recordedOf<E>(streamId, entry));
  }

  private recordedOf<E extends DomainEvent>(streamId: string, [position, transactionId, version, eventId, type, schemaVersion, data, metadata, recordedAtMs, hash]: StreamEntry): RecordedEvent<E> {
    const upcast = this.upcasters.upcast(type, schemaVersion, data);
    const event: StoredEvent = {
      position: Number(position),
      transactionId,
      streamId,
      version: Number(version),
      eventId,
      type,
      schemaVersion: upcast.schemaVersion,
      storedSchemaVersion: schemaVersion,
      data: upcast.data,
      metadata,
      recordedAt: new Date(Number(recordedAtMs)),
    };
    if (hash !== undefined && hash !== null) event.hash = hash;
    // The stream's events are the union `E` the caller names: the stream id says which aggregate.
    return event as RecordedEvent<E>;
  }

  /**
   * Several streams' events together, in the order they were appended (by position; each stream's
   * in version order), upcast to their current schema: an aggregate kept in several streams (an
   * assessment and its respondents' response streams) read in one round trip.
   */
  async readStreams<E extends DomainEvent = DomainEvent>(streamIds: readonly string[], options: Pick<ReadStreamOptions, 'asOf' | 'withHashes'> = {}): Promise<RecordedEvent<E>[]> {
    if (streamIds.length === 0) return [];
    const { rows } = await this.executor.query<[string, ...StreamEntry]>({
      name: options.withHashes ? 'maatlat-read-streams-with-hashes' : 'maatlat-read-streams',
      text: `SELECT stream_id, position, transaction_id::text, version, event_id, type, schema_version, data, metadata,
                    (extract(epoch FROM recorded_at) * 1000)::bigint${options.withHashes ? ", encode(hash, 'hex')" : ''}
               FROM events WHERE stream_id = ANY($1) AND recorded_at <= $2 ORDER BY position`,
      rowMode: 'array',
      values: [[...streamIds], options.asOf ?? 'infinity'],
    });
    return rows.map(([streamId, ...entry]) => this.recordedOf<E>(streamId, entry));
  }

  /**
   * The global log after `after`, in (transactionId, position) order, never beyond the oldest
   * transaction still running: everything returned is final and nothing can later appear before
   * it, so a reader that checkpoints the last event it saw never skips a late commit.
   * Pass a transaction as `executor` to read inside it (projection batches do).
   * `filter.types` returns only events of those types, and `filter.withData: false` leaves their
   * data out; either way the checkpoint moves past every event scanned (`scanned` counts them), and
   * PostgreSQL never reads (nor decompresses) the data it does not return.
   */
  async readAll(
    after: LogCheckpoint,
    limit: number,
    executor: Kysely<DB> = this.db,
    filter: LogFilter = {},
  ): Promise<{ events: StoredEvent[]; checkpoint: LogCheckpoint; scanned: number }> {
    const withData = filter.withData ?? true;
    const data = (filter.dataWithout ?? []).reduce((expression, path) => sql`(${expression} #- ${[...path]}::text[])`, sql`e.data`);
    if (!filter.types) return this.readAllEvents(after, limit, executor, withData ? data : undefined, filter.withHashes ?? false);
    const wanted = sql<boolean>`e.type = ANY(${[...filter.types]}::text[])`;
    // The batch is scanned in PostgreSQL, and only what the reader wants (and the batch's last
    // event, which carries the checkpoint) comes back: every other event costs a row read there,
    // not a row sent, parsed and dated here. The scan takes only each event's place and type; the
    // rest of a row is fetched for the events returned alone. `scanned` counts the events the batch
    // moved past.
    const { rows } = await sql<EventRow & { wanted: boolean; scanned: string; hash: string | null }>`
      WITH ${sql.raw(LOG_FENCE)},
      batch AS (
        SELECT e.transaction_id, e.position, ${wanted} AS wanted
          FROM events e
         WHERE (e.transaction_id, e.position) > (${after.transactionId}::xid8, ${after.position})
           AND e.transaction_id < (SELECT below FROM fence)
         ORDER BY e.transaction_id, e.position
         LIMIT ${limit}),
      counted AS (
        SELECT b.*, count(*) OVER () AS scanned, row_number() OVER (ORDER BY b.transaction_id, b.position) AS n FROM batch b),
      picked AS (
        SELECT c.* FROM counted c WHERE c.wanted OR c.n = c.scanned)
      -- Qualified on purpose: a bare name would sort by the text alias below, and '9' > '10'.
      SELECT e.position, e.transaction_id::text AS transaction_id, e.stream_id, e.version, e.event_id, e.type,
             e.schema_version, e.recorded_at, p.wanted,
             CASE WHEN p.wanted THEN e.metadata END AS metadata,
             ${withData ? sql`CASE WHEN p.wanted THEN ${data} END` : sql`NULL::jsonb`} AS data,
             ${filter.withHashes ? sql`CASE WHEN p.wanted THEN encode(e.hash, 'hex') END` : sql`NULL::text`} AS hash,
             p.scanned::text AS scanned
        FROM picked p JOIN events e ON e.transaction_id = p.transaction_id AND e.position = p.position
       ORDER BY p.transaction_id, p.position`.execute(executor);
    const events = rows.filter((row) => row.wanted).map((row) => this.toStoredEvent(row, withData, filter.withHashes ? row.hash : null));
    const last = rows[rows.length - 1];
    return {
      events,
      checkpoint: last ? { transactionId: last.transaction_id, position: Number(last.position) } : after,
      scanned: last ? Number(last.scanned) : 0,
    };
  }

  /** `readAll` for a reader of every event: one scan returns them all, so nothing is counted or fetched twice. */
  private async readAllEvents(
    after: LogCheckpoint,
    limit: number,
    executor: Kysely<DB>,
    data: RawBuilder<unknown> | undefined,
    withHashes: boolean,
  ): Promise<{ events: StoredEvent[]; checkpoint: LogCheckpoint; scanned: number }> {
    const { rows } = await sql<EventRow & { hash: string | null }>`
      WITH ${sql.raw(LOG_FENCE)}
      SELECT e.position, e.transaction_id::text AS transaction_id, e.stream_id, e.version, e.event_id, e.type,
             e.schema_version, e.recorded_at, e.metadata,
             ${data ?? sql`NULL::jsonb`} AS data,
             ${withHashes ? sql`encode(e.hash, 'hex')` : sql`NULL::text`} AS hash
        FROM events e
       WHERE (e.transaction_id, e.position) > (${after.transactionId}::xid8, ${after.position})
         AND e.transaction_id < (SELECT below FROM fence)
       -- Qualified on purpose: the bare name would sort by the text alias above, and '9' > '10'.
       ORDER BY e.transaction_id, e.position
       LIMIT ${limit}`.execute(executor);
    const last = rows[rows.length - 1];
    return {
      events: rows.map((row) => this.toStoredEvent(row, data !== undefined, withHashes ? row.hash : null)),
      checkpoint: last ? { transactionId: last.transaction_id, position: Number(last.position) } : after,
      scanned: rows.length,
    };
  }

  /** How many events lie after a checkpoint (counted up to `cap`, to keep health checks cheap). */
  async countAfter(after: LogCheckpoint, cap = 1_000_000, executor: Kysely<DB> = this.db): Promise<number> {
    const { rows } = await sql<{ behind: number }>`
      SELECT count(*)::int AS behind FROM (
        SELECT 1 FROM events
         WHERE (transaction_id, position) > (${after.transactionId}::xid8, ${after.position})
         LIMIT ${cap}) AS pending`.execute(executor);
    return rows[0]?.behind ?? 0;
  }

  private toStoredEvent(row: EventRow, withData = true, hash: string | null = null): StoredEvent {
    const upcast = withData ? this.upcasters.upcast(row.type, row.schema_version, row.data) : { schemaVersion: row.schema_version, data: null };
    const event: StoredEvent = {
      position: Number(row.position),
      transactionId: row.transaction_id,
      streamId: row.stream_id,
      version: Number(row.version),
      eventId: row.event_id,
      type: row.type,
      schemaVersion: upcast.schemaVersion,
      storedSchemaVersion: row.schema_version,
      data: upcast.data,
      metadata: row.metadata,
      recordedAt: row.recorded_at,
    };
    if (hash !== null) event.hash = hash;
    return event;
  }
}

function eventMetadataOf(metadata: AppendMetadata): EventMetadata {
  const result: EventMetadata = { actor: metadata.actor, correlationId: metadata.correlationId };
  if (metadata.tenantId !== undefined) result.tenantId = metadata.tenantId;
  if (metadata.causationId !== undefined) result.causationId = metadata.causationId;
  if (metadata.commandId !== undefined) result.commandId = metadata.commandId;
  if (metadata.reason !== undefined) result.reason = metadata.reason;
  if (metadata.now !== undefined) result.occurredAt = metadata.now.toISOString();
  return result;
}
