import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { DomainEvent } from '@maatlat/shared/domain';

// The event store's own tests use this library, so its `Projection<E>` and `RecordedEvent<E>` are
// restated here by shape (a projection of the event store fits them) rather than imported.
interface EventMetadata {
  actor: string;
  correlationId: string;
  [extra: string]: unknown;
}

/** What a projection's `apply` is given: the event store's `RecordedEvent<E>`, narrowed on `type`. */
export type RecordedTestEvent<E extends DomainEvent> = E extends DomainEvent
  ? {
      position: number;
      transactionId: string;
      streamId: string;
      version: number;
      eventId: string;
      type: E['type'];
      schemaVersion: number;
      storedSchemaVersion: number;
      data: E['data'];
      metadata: EventMetadata;
      recordedAt: Date;
    }
  : never;

/** The event store's `Projection<E>`, by shape. */
export interface ProjectionUnderTest<E extends DomainEvent> {
  name: string;
  eventTypes: readonly E['type'][] | 'all';
  readsData?: boolean;
  apply(trx: Transaction<DB>, events: readonly RecordedTestEvent<E>[]): Promise<void>;
  reset(trx: Transaction<DB>): Promise<void>;
}

/** Every given event is recorded at this moment unless it names its own `recordedAt`. */
export const GIVEN_RECORDED_AT = new Date('2026-01-01T09:00:00.000Z');
/** What every given event's metadata holds unless it names its own (merged over this). */
export const GIVEN_METADATA: EventMetadata = Object.freeze({ actor: 'test', correlationId: 'c' });

/** An event as a projection test writes it: type and data, with its place and time when they matter. */
export type GivenEvent<E extends DomainEvent> = E extends DomainEvent
  ? { type: E['type']; data: E['data']; streamId?: string; recordedAt?: Date; metadata?: Partial<EventMetadata> }
  : never;

/** Rows to compare: a table (read in primary-key order), or a query over the projection's transaction. */
export type RowSource = keyof DB | ((trx: Transaction<DB>) => { execute(): Promise<unknown[]> } | Promise<unknown[]>);

type ErrorType = abstract new (...args: never[]) => Error;

/**
 * Given/When/Then for projections, against the real test database: the given events are made into
 * recorded events (versions counting up per stream, positions across all of them) and handed to
 * `reset` and then `apply` in one transaction, as the projection runner would after a rebuild; the
 * rows are read in that transaction and compared with `toEqual`, and the transaction is rolled
 * back, so nothing stays behind and no event needs to be in the event store. As in the runner,
 * only the projection's `eventTypes` reach it, and without their data when it does not read data.
 * @example
 *   const spec = projectionSpec(organisationsProjection, database);
 *   await spec
 *     .given([{ type: 'OrganisationRegistered', data: { organisationId: 'o1', name: 'ILT', organisationType: 'ministry', sizeBand: 'large' } }], { streamId: 'organisation-o1' })
 *     .thenRows('organisations', [{ organisation_id: 'o1', name: 'ILT', organisation_type: 'ministry', size_band: 'large', registered_at: GIVEN_RECORDED_AT, updated_at: GIVEN_RECORDED_AT }]);
 *   await spec.given([registered, unitUnderUnknownParent], { streamId: 'organisation-o1' }).thenThrows(NoResultError);
 *   await spec.given(history, { streamId: 'organisation-o1' }).thenRebuildEqualsIncremental('organisation_units');
 */
export function projectionSpec<E extends DomainEvent>(projection: ProjectionUnderTest<E>, database: { db: Kysely<DB> }) {
  return {
    /** `streamId`: the stream of every event that does not name its own. */
    given(events: readonly GivenEvent<E>[], defaults: { streamId?: string } = {}) {
      const recorded = recordedEvents(projection, events, defaults.streamId);
      const run = async <T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> => {
        const trx = await database.db.startTransaction().execute();
        try {
          return await work(trx);
        } finally {
          await trx.rollback().execute();
        }
      };
      return {
        /** The projection's rows after the events, read from `source`, equal `expected`. */
        async thenRows(source: RowSource, expected: unknown[]): Promise<void> {
          const rows = await run(async (trx) => {
            await projection.reset(trx);
            if (recorded.length) await projection.apply(trx, recorded);
            return readRows(trx, source);
          });
          expect(rows).toEqual(expected);
        },
        /** Applying the events fails with this error (and, when given, a matching message). */
        async thenThrows(errorType: ErrorType, message?: string | RegExp): Promise<Error> {
          const thrown = await run(async (trx) => {
            await projection.reset(trx);
            try {
              await projection.apply(trx, recorded);
            } catch (error) {
              return error;
            }
            return undefined;
          });
          expect(thrown).toBeInstanceOf(errorType);
          if (message) expect((thrown as Error).message).toMatch(message);
          return thrown as Error;
        },
        /**
         * A rebuild from zero (reset, then every event in one batch) leaves the same rows as the
         * live projection that met the events in two batches, split at `splitAt` (default: the
         * middle). Returns those rows, for further assertions; refuses a comparison of no rows.
         */
        async thenRebuildEqualsIncremental(source: RowSource, splitAt = Math.ceil(recorded.length / 2)): Promise<unknown[]> {
          const { incremental, rebuilt } = await run(async (trx) => {
            await projection.reset(trx);
            for (const batch of [recorded.slice(0, splitAt), recorded.slice(splitAt)]) if (batch.length) await projection.apply(trx, batch);
            const live = await readRows(trx, source);
            await projection.reset(trx);
            await projection.apply(trx, recorded);
            return { incremental: live, rebuilt: await readRows(trx, source) };
          });
          expect(incremental.length).toBeGreaterThan(0);
          expect(rebuilt).toEqual(incremental);
          return incremental;
        },
      };
    },
  };
}

function recordedEvents<E extends DomainEvent>(projection: ProjectionUnderTest<E>, events: readonly GivenEvent<E>[], defaultStreamId: string | undefined): RecordedTestEvent<E>[] {
  const versions = new Map<string, number>();
  const recorded: RecordedTestEvent<E>[] = [];
  events.forEach((event, index) => {
    const streamId = event.streamId ?? defaultStreamId;
    if (!streamId) throw new Error(`projectionSpec: given event ${index} (${event.type}) has no stream id; give it one, or given(events, { streamId })`);
    const version = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, version);
    const position = index + 1;
    // The runner reads past the types a projection does not name, and reads no data for one that needs none.
    if (projection.eventTypes !== 'all' && !projection.eventTypes.includes(event.type)) return;
    recorded.push({
      position,
      transactionId: '1',
      streamId,
      version,
      eventId: `00000000-0000-7000-8000-${String(position).padStart(12, '0')}`,
      type: event.type,
      schemaVersion: 1,
      storedSchemaVersion: 1,
      data: projection.readsData === false ? null : event.data,
      metadata: { ...GIVEN_METADATA, ...event.metadata },
      recordedAt: event.recordedAt ?? GIVEN_RECORDED_AT,
    } as RecordedTestEvent<E>);
  });
  return recorded;
}

async function readRows(trx: Transaction<DB>, source: RowSource): Promise<unknown[]> {
  if (typeof source === 'function') {
    const query = source(trx);
    return 'execute' in query ? query.execute() : query;
  }
  const { rows: key } = await sql<{ column: string }>`
    SELECT a.attname AS column
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = ${source}::regclass AND i.indisprimary
     ORDER BY array_position(i.indkey::int2[], a.attnum)`.execute(trx);
  if (key.length === 0) throw new Error(`projectionSpec: ${source} has no primary key to order its rows by; read it with a query`);
  const { rows } = await sql`SELECT * FROM ${sql.table(source)} ORDER BY ${sql.join(key.map((k) => sql.ref(k.column)))}`.execute(trx);
  return rows;
}
