import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Pool } from 'pg';
import type { DB } from '@maatlat/shared/database';
import { createTestDatabase, eventually, type TestDatabase } from '@maatlat/shared/testing';
import { PostgresEventStore, UNSETTLED_EVENTS_SQL } from '../event-store';
import type { AppendMetadata, NewEvent } from '../types';
import type { Projection } from './projection';
import { ProjectionRunner, projectionStatus, resetProjection } from './projection-runner';
import { streamIndexProjection } from './stream-index.projection';

const meta: AppendMetadata = { actor: 'user-1', tenantId: 'org-1', correlationId: 'corr-1' };
const newEvent = (type = 'AnswerRecorded', data: unknown = {}): NewEvent => ({ eventId: randomUUID(), type, data });

/** A projection that writes down every event it is given, so "exactly once" can be counted. */
const seenEvents: Projection = {
  name: 'seen_events',
  eventTypes: 'all',
  tables: ['seen_events'],
  async apply(trx, events) {
    await trx
      .insertInto('seen_events' as never)
      .values(events.map((e) => ({ event_id: e.eventId, position: e.position, stream_id: e.streamId, version: e.version })) as never)
      .execute();
  },
  async reset(trx) {
    await sql`DELETE FROM seen_events`.execute(trx);
  },
};

async function seen(db: Kysely<DB>): Promise<{ total: number; distinct: number }> {
  const { rows } = await sql<{ total: number; distinct: number }>`
    SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct FROM seen_events`.execute(db);
  return rows[0];
}

async function totalEvents(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(db);
  return rows[0].n;
}

describe('projections over the global log', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    database = await createTestDatabase({ maxConnections: 30 });
    store = new PostgresEventStore(database.db, database.pool);
    await sql`CREATE TABLE seen_events (event_id uuid NOT NULL, position bigint NOT NULL, stream_id text NOT NULL, version bigint NOT NULL)`.execute(database.db);
  });
  afterEach(() => database.drop());

  it('never skips an event whose transaction commits after later-numbered events', async () => {
    const runner = new ProjectionRunner(database.db, database.pool, store, [seenEvents], { batchSize: 7 });
    await store.append(`assessment-${randomUUID()}`, 0, [newEvent(), newEvent()], meta);

    // A writer takes positions, then stays uncommitted while others append and commit.
    const held = await database.pool.connect();
    const heldStream = `assessment-held-${randomUUID()}`;
    try {
      await held.query('BEGIN');
      const heldAppend = await new PostgresEventStore(database.db, held as unknown as Pool).append(heldStream, 0, [newEvent(), newEvent(), newEvent()], meta);
      for (let i = 0; i < 10; i++) await store.append(`assessment-${randomUUID()}`, 0, [newEvent(), newEvent()], meta);

      // The scenario is real: 20 later-numbered events are committed and visible to any query,
      // so a reader going by position alone would now move past the held ones for good.
      const committedAfter = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE position > ${heldAppend.lastPosition}`.execute(database.db);
      expect(committedAfter.rows[0].n).toBe(20);

      // The fenced reader waits instead: nothing at or after the open transaction is handed out.
      expect(await runner.catchUp()).toBe(2);
      expect(await seen(database.db)).toEqual({ total: 2, distinct: 2 });

      await held.query('COMMIT');
    } finally {
      held.release();
    }
    await store.append(`assessment-${randomUUID()}`, 0, [newEvent()], meta);
    expect(await runner.catchUp()).toBe(24);

    expect(await seen(database.db)).toEqual({ total: 26, distinct: 26 });
    expect(await totalEvents(database.db)).toBe(26);
    // The held events come out in the log before the ones that overtook them.
    const { rows } = await sql<{ stream_id: string }>`SELECT stream_id FROM seen_events ORDER BY ctid`.execute(database.db);
    expect(rows.slice(2, 5).map((r) => r.stream_id)).toEqual([heldStream, heldStream, heldStream]);
  });

  it('is not held back by a transaction running in another database of the same server', async () => {
    const other = await createTestDatabase({ maxConnections: 2 });
    const client = await other.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      await store.append(`assessment-${randomUUID()}`, 0, [newEvent(), newEvent()], meta);
      const runner = new ProjectionRunner(database.db, database.pool, store, [seenEvents]);
      expect(await runner.catchUp()).toBe(2);
      await client.query('ROLLBACK');
    } finally {
      client.release();
      await other.drop();
    }
  });

  it('sees every event exactly once while appends sleep inside their transactions and a runner polls', async () => {
    const runner = new ProjectionRunner(database.db, database.pool, store, [seenEvents], { batchSize: 5, idleMs: 10 });
    runner.start();
    try {
      const slowWriters = Array.from({ length: 3 }, async (_, i) => {
        const client = await database.pool.connect();
        try {
          await client.query('BEGIN');
          await new PostgresEventStore(database.db, client as unknown as Pool).append(`assessment-slow-${i}`, 0, [newEvent(), newEvent()], meta);
          await client.query('SELECT pg_sleep(0.4)');
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      });
      const fastWriters = Array.from({ length: 40 }, (_, i) => store.append(`assessment-fast-${i}`, 0, [newEvent()], meta));
      await Promise.all([...slowWriters, ...fastWriters]);
      await eventually(async () => expect(await seen(database.db)).toEqual({ total: 46, distinct: 46 }));
    } finally {
      await runner.stop();
    }
  });

  it('keeps every stream in version order in the global log, even when appends to it race', async () => {
    const stream = `assessment-${randomUUID()}`;
    await store.append(stream, 0, [newEvent()], meta);
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        for (let attempt = 0; attempt < 50; attempt++) {
          try {
            await store.append(stream, await store.streamVersion(stream), [newEvent()], meta);
            return;
          } catch {
            /* lost the race: read the version again */
          }
        }
      }),
    );
    const runner = new ProjectionRunner(database.db, database.pool, store, [seenEvents], { batchSize: 4 });
    await runner.catchUp();
    const { rows } = await sql<{ version: number }>`SELECT version::int FROM seen_events WHERE stream_id = ${stream} ORDER BY position`.execute(database.db);
    const versions = rows.map((r) => r.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions.length).toBe(await store.streamVersion(stream));
  });

  it('rebuilds from zero to exactly the rows the live projection built', async () => {
    const runner = new ProjectionRunner(database.db, database.pool, store, [streamIndexProjection, seenEvents], { batchSize: 16, idleMs: 10 });
    runner.start();
    try {
      await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          for (let i = 0; i < 10; i++) {
            const stream = `${i % 2 ? 'assessment' : 'organisation'}-${writer}-${i % 4}`;
            const tenant = { ...meta, tenantId: `org-${writer}` };
            await store.append(stream, 'any', [newEvent(`Event${i}`), newEvent(`Event${i}b`)], tenant);
          }
        }),
      );
      const total = await totalEvents(database.db);
      await eventually(async () => expect((await projectionStatus(database.db, store, 'stream_index')).lag).toBe(0));
      await eventually(async () => expect((await seen(database.db)).total).toBe(total));
    } finally {
      await runner.stop();
    }
    const live = await database.db.selectFrom('stream_index').selectAll().orderBy('stream_id').execute();
    expect(live).toHaveLength(32);

    await resetProjection(database.db, streamIndexProjection);
    expect(await database.db.selectFrom('stream_index').selectAll().execute()).toEqual([]);
    const rebuilder = new ProjectionRunner(database.db, database.pool, store, [streamIndexProjection], { batchSize: 5 });
    await rebuilder.catchUp();
    const rebuilt = await database.db.selectFrom('stream_index').selectAll().orderBy('stream_id').execute();
    expect(rebuilt).toEqual(live);
    expect((await projectionStatus(database.db, store, 'stream_index')).eventsProcessed).toBe(160);
  });

  it('commits a batch rows and checkpoint together: a failing batch moves neither', async () => {
    let failOn: string | undefined = 'Poison';
    const fragile: Projection = {
      ...seenEvents,
      name: 'fragile',
      async apply(trx, events) {
        await seenEvents.apply(trx, events);
        if (events.some((e) => e.type === failOn)) throw new Error('cannot project this event');
      },
    };
    const runner = new ProjectionRunner(database.db, database.pool, store, [fragile], { batchSize: 100 });
    await store.append(`assessment-${randomUUID()}`, 0, [newEvent('Fine'), newEvent('Poison')], meta);
    await expect(runner.catchUp()).rejects.toThrow('cannot project this event');
    expect(await seen(database.db)).toEqual({ total: 0, distinct: 0 });
    expect(await projectionStatus(database.db, store, 'fragile')).toMatchObject({ eventsProcessed: 0, lag: 2 });

    failOn = undefined;
    expect(await runner.catchUp()).toBe(2);
    expect(await seen(database.db)).toEqual({ total: 2, distinct: 2 });
    expect(await projectionStatus(database.db, store, 'fragile')).toMatchObject({ eventsProcessed: 2, lag: 0 });
  });

  it('reads the next batch while applying one, and drops that batch when the checkpoint moved meanwhile', async () => {
    const order = async () => (await sql<{ position: string }>`SELECT position FROM seen_events`.execute(database.db)).rows.map((r) => Number(r.position));
    const runner = new ProjectionRunner(database.db, database.pool, store, [seenEvents], { batchSize: 3 });
    for (let i = 0; i < 4; i++) await store.append(`assessment-${randomUUID()}`, 0, [newEvent(), newEvent()], meta);
    const positions = (await sql<{ position: string }>`SELECT position FROM events ORDER BY transaction_id, position`.execute(database.db)).rows.map((r) => Number(r.position));
    // The fence can stay a moment behind a transaction of another database that just ended (test
    // files run side by side, and such a transaction can no longer be told apart from ours): a batch
    // read then would hand out fewer events than this test counts on.
    await eventually(async () => {
      const { rows } = await database.pool.query<{ unsettled: boolean }>(UNSETTLED_EVENTS_SQL);
      expect(rows[0].unsettled).toBe(false);
    });

    // A full batch: the next one (events 4 to 6) is read ahead. Then the projection is reset, as a
    // rebuild does: the batch read ahead no longer starts at the checkpoint and must not be applied.
    expect(await runner.runBatch(seenEvents)).toBe(3);
    expect(await order()).toEqual(positions.slice(0, 3));
    await resetProjection(database.db, seenEvents);
    expect(await runner.runBatch(seenEvents)).toBe(3);
    expect(await order()).toEqual(positions.slice(0, 3));

    // Caught up from there, batch after batch read ahead: every event once, in log order.
    expect(await runner.catchUp()).toBe(5);
    expect(await order()).toEqual(positions);
    expect(await seen(database.db)).toEqual({ total: 8, distinct: 8 });
  });

  it('lets only one of several runners be active per projection, and hands over when it stops', async () => {
    const runners = Array.from({ length: 3 }, () => new ProjectionRunner(database.db, database.pool, store, [seenEvents], { batchSize: 3, idleMs: 10, standbyMs: 20 }));
    runners.forEach((r) => r.start());
    const leaseHolders = async () => {
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_locks
         WHERE locktype = 'advisory' AND granted
           AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('maatlat:projection:seen_events', 0)`.execute(database.db);
      return rows[0].n;
    };
    try {
      for (let i = 0; i < 30; i++) await store.append(`assessment-${i}`, 0, [newEvent(), newEvent()], meta);
      await eventually(async () => expect(await seen(database.db)).toEqual({ total: 60, distinct: 60 }));
      expect(await leaseHolders()).toBe(1);

      await runners[0].stop();
      await runners[1].stop();
      for (let i = 30; i < 40; i++) await store.append(`assessment-${i}`, 0, [newEvent()], meta);
      await eventually(async () => expect(await seen(database.db)).toEqual({ total: 70, distinct: 70 }));
      expect(await leaseHolders()).toBe(1);
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
  });

  it('keeps an idle process quiet: caught-up projections share one question per pause, and an append still wakes each', async () => {
    let queries = 0;
    const counted = database.db.withPlugin({
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const projectedBy = new Map<string, number>();
    const projections: Projection[] = Array.from({ length: 8 }, (_, i) => ({
      name: `idle_${i}`,
      eventTypes: 'all',
      tables: [],
      async apply(_trx, events) {
        projectedBy.set(`idle_${i}`, (projectedBy.get(`idle_${i}`) ?? 0) + events.length);
      },
      async reset() {
        // Nothing kept: these projections only count what they are given.
      },
    }));
    const runner = new ProjectionRunner(counted, database.pool, store, projections, { idleMs: 50 });
    runner.start();
    try {
      await store.append(`assessment-${randomUUID()}`, 0, [newEvent()], meta);
      await eventually(async () => expect(projections.every((p) => projectedBy.get(p.name) === 1)).toBe(true));
      await new Promise((resolve) => setTimeout(resolve, 200));

      const before = queries;
      const startedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const pauses = (Date.now() - startedAt) / 50;
      // Each loop polling alone would ask at least three queries per pause (checkpoint row, lock, log batch).
      expect(queries - before).toBeLessThan(pauses * 2);

      await store.append(`assessment-${randomUUID()}`, 0, [newEvent()], meta);
      await eventually(async () => expect(projections.every((p) => projectedBy.get(p.name) === 2)).toBe(true));
    } finally {
      await runner.stop();
    }
  });

  it('reports its lag: the events behind the head of the log', async () => {
    const runner = new ProjectionRunner(database.db, database.pool, store, [streamIndexProjection]);
    for (let i = 0; i < 5; i++) await store.append(`assessment-${i}`, 0, [newEvent(), newEvent()], meta);
    expect((await runner.status())[0]).toMatchObject({ name: 'stream_index', lag: 10, eventsProcessed: 0 });
    await runner.catchUp();
    expect((await runner.status())[0]).toMatchObject({ name: 'stream_index', lag: 0, eventsProcessed: 10 });
  });

  it('leaves out of the data the paths a projection skips, typed or not, and keeps the rest of each event', async () => {
    const given: unknown[] = [];
    const skipping = (name: string, eventTypes: Projection['eventTypes']): Projection => ({
      name,
      tables: [],
      eventTypes,
      skipsData: [['score', 'questions'], ['responses']],
      async apply(_trx, events) {
        given.push(...events.map((e) => e.data));
      },
      async reset() {
        // Nothing kept, nothing to empty.
      },
    });
    const score = { overall: 2.5, factors: [{ factorId: 'F01', score: 2.5 }], questions: [{ questionId: 'F01-Q1', explanation: 'x'.repeat(1000) }] };
    await store.append('assessment-s', 0, [newEvent('ScoreCalculated', { score, responses: ['r1'], answersUpToVersion: 7 }), newEvent('AssessmentClosed', { at: 'now' })], meta);
    const runner = new ProjectionRunner(database.db, database.pool, store, [skipping('typed', ['ScoreCalculated', 'AssessmentClosed']), skipping('all', 'all')]);
    for (const name of ['typed', 'all']) {
      expect(await runner.catchUp(name)).toBe(2);
      expect(given.splice(0)).toEqual([{ score: { overall: 2.5, factors: [{ factorId: 'F01', score: 2.5 }] }, answersUpToVersion: 7 }, { at: 'now' }]);
    }
    // Left out of what the projection reads only: the stored event is whole.
    expect((await store.readStream('assessment-s'))[0].data).toEqual({ score, responses: ['r1'], answersUpToVersion: 7 });
  });

  it('gives a projection only the event types it asks for, without data when it reads none, and moves past the rest', async () => {
    const given: { type: string; data: unknown; tenantId?: string }[][] = [];
    const recording = (name: string, options: Pick<Projection, 'eventTypes' | 'readsData'>): Projection => ({
      name,
      tables: [],
      ...options,
      async apply(_trx, events) {
        given.push(events.map((e) => ({ type: e.type, data: e.data, tenantId: e.metadata.tenantId })));
      },
      async reset() {
        // Nothing kept, nothing to empty.
      },
    });
    await store.append('assessment-a', 0, [newEvent('AssessmentOpened', { n: 1 }), newEvent('AnswerRecorded', { n: 2 })], meta);
    await store.append('assessment-b', 0, [newEvent('AnswerRecorded', { n: 3 }), newEvent('AssessmentClosed', { n: 4 }), newEvent('AnswerRecorded', { n: 5 })], meta);
    const runner = new ProjectionRunner(database.db, database.pool, store, [
      recording('typed', { eventTypes: ['AssessmentOpened', 'AssessmentClosed'] }),
      recording('headers', { eventTypes: 'all', readsData: false }),
    ], { batchSize: 2 });
    // Batches of two log events: the typed projection is called only for batches holding its types.
    expect(await runner.catchUp('typed')).toBe(5);
    expect(given.splice(0)).toEqual([
      [{ type: 'AssessmentOpened', data: { n: 1 }, tenantId: 'org-1' }],
      [{ type: 'AssessmentClosed', data: { n: 4 }, tenantId: 'org-1' }],
    ]);
    expect(await runner.catchUp('headers')).toBe(5);
    expect(given.flat().map((e) => [e.type, e.data, e.tenantId])).toEqual([
      ['AssessmentOpened', null, 'org-1'],
      ['AnswerRecorded', null, 'org-1'],
      ['AnswerRecorded', null, 'org-1'],
      ['AssessmentClosed', null, 'org-1'],
      ['AnswerRecorded', null, 'org-1'],
    ]);
    const statuses = await runner.status();
    expect(statuses.map((s) => [s.name, s.lag, s.eventsProcessed])).toEqual([['typed', 0, 5], ['headers', 0, 5]]);
  });
});
