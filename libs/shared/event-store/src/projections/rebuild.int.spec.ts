import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase, eventually, type TestDatabase } from '@maatlat/shared/testing';
import { PostgresEventStore } from '../event-store';
import type { AppendMetadata, NewEvent } from '../types';
import type { Projection } from './projection';
import { ProjectionRunner, projectionStatus } from './projection-runner';
import { rebuildProjection, shadowSchemaOf } from './rebuild';
import { streamIndexProjection } from './stream-index.projection';

const meta: AppendMetadata = { actor: 'user-1', tenantId: 'org-1', correlationId: 'corr-1' };
const newEvent = (type = 'Happened'): NewEvent => ({ eventId: randomUUID(), type, data: { n: 1 } });

/**
 * Counts events per stream in one table and keeps every event in another (a json column, which has
 * no equality operator, and a table without a primary key), reading its own rows as it goes.
 */
const tally: Projection = {
  name: 'tally',
  eventTypes: 'all',
  tables: ['tally', 'tally_log'],
  async apply(trx, events) {
    for (const event of events) {
      await sql`INSERT INTO tally (stream_id, events, last_type) VALUES (${event.streamId}, 1, ${event.type})
                ON CONFLICT (stream_id) DO UPDATE SET events = tally.events + 1, last_type = excluded.last_type`.execute(trx);
      await sql`INSERT INTO tally_log (position, payload) VALUES (${event.position}, ${JSON.stringify({ type: event.type })}::json)`.execute(trx);
    }
  },
  async reset(trx) {
    await sql`DELETE FROM tally`.execute(trx);
    await sql`DELETE FROM tally_log`.execute(trx);
  },
};

describe('rebuildProjection: a rebuild into shadow tables, swapped in at the end', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;

  const rows = async () => ({
    tally: (await sql<{ stream_id: string; events: number; last_type: string }>`SELECT * FROM tally ORDER BY stream_id`.execute(database.db)).rows,
    log: (await sql`SELECT position, payload::text FROM tally_log ORDER BY position`.execute(database.db)).rows,
    index: await database.db.selectFrom('stream_index').selectAll().orderBy('stream_id').execute(),
  });
  const shadowExists = async (name: string) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = ${shadowSchemaOf(name)}`.execute(database.db)).rows[0].n > 0;
  const append = async (count: number) => {
    for (let i = 0; i < count; i++) await store.append(`thing-${i % 7}`, 'any', [newEvent(`Type${i % 3}`), newEvent()], meta);
  };
  /** What a bug in a projection leaves behind: a wrong count, a row too many, a row missing. */
  const damage = async () => {
    await sql`UPDATE tally SET events = 999 WHERE stream_id = 'thing-0'`.execute(database.db);
    await sql`INSERT INTO tally (stream_id, events, last_type) VALUES ('ghost', 1, 'Ghost')`.execute(database.db);
    await sql`DELETE FROM tally_log WHERE position = (SELECT min(position) FROM tally_log)`.execute(database.db);
  };

  beforeEach(async () => {
    database = await createTestDatabase({ maxConnections: 20 });
    store = new PostgresEventStore(database.db, database.pool);
    await sql`CREATE TABLE tally (stream_id text PRIMARY KEY, events int NOT NULL, last_type text NOT NULL)`.execute(database.db);
    await sql`CREATE TABLE tally_log (position bigint NOT NULL, payload json NOT NULL)`.execute(database.db);
    runner = new ProjectionRunner(database.db, database.pool, store, [tally, streamIndexProjection], { batchSize: 10 });
    await append(30);
    await runner.catchUp();
  });
  afterEach(async () => {
    await runner.stop();
    await database.drop();
  });

  it('replaces the read model with one rebuilt from zero that equals the incremental one, and leaves no shadow behind', async () => {
    const incremental = await rows();
    expect(incremental.tally).toHaveLength(7);
    await damage();
    expect((await rows()).tally).not.toEqual(incremental.tally);

    const result = await rebuildProjection(database.db, database.pool, store, tally, { batchSize: 7 });
    expect(await rows()).toEqual(incremental);
    expect(result.eventsProcessed).toBe(60);
    // Only the damaged rows were touched: one corrected and one removed in tally, one restored in the log (which has no key, so it is rewritten).
    expect(result.tables).toEqual([
      { table: 'tally', written: 1, removed: 1 },
      { table: 'tally_log', written: 60, removed: 59 },
    ]);
    expect(await projectionStatus(database.db, store, 'tally')).toMatchObject({ lag: 0, eventsProcessed: 60 });
    expect(await shadowExists('tally')).toBe(false);
    // The live runner carries on from the swapped-in checkpoint: nothing twice, nothing missed.
    await append(3);
    await runner.catchUp();
    expect((await rows()).log).toHaveLength(66);
    expect((await sql<{ events: number }>`SELECT sum(events)::int AS events FROM tally`.execute(database.db)).rows[0].events).toBe(66);
  });

  it('keeps the old rows serving and the live runner current (no lag) while it is held half-way; the swap brings in what came meanwhile', async () => {
    await damage();
    const before = await rows();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let halfway!: () => void;
    const reachedHalfway = new Promise<void>((resolve) => (halfway = resolve));
    const rebuilding = rebuildProjection(database.db, database.pool, store, tally, {
      batchSize: 10,
      afterBatch: async ({ eventsProcessed }) => {
        if (eventsProcessed === 30) {
          halfway();
          await held;
        }
      },
    });
    await reachedHalfway;
    expect(await shadowExists('tally')).toBe(true);
    expect(await rows()).toEqual(before);
    runner.start();
    await append(5);
    // The live runner keeps the live tables (the old model, damage included) current.
    await eventually(async () => expect((await projectionStatus(database.db, store, 'tally')).lag).toBe(0));
    const live = await rows();
    expect(live.tally.find((r) => r.stream_id === 'thing-0')).toMatchObject({ events: 999 + 2 });
    expect(live.log).toHaveLength(before.log.length + 10);

    release();
    await rebuilding;
    await runner.stop();
    await runner.catchUp();
    const rebuilt = await rows();
    expect(rebuilt.tally.find((r) => r.stream_id === 'ghost')).toBeUndefined();

    // The same events projected from zero by a runner of its own, into fresh tables.
    await sql`DELETE FROM tally`.execute(database.db);
    await sql`DELETE FROM tally_log`.execute(database.db);
    await sql`DELETE FROM projection_checkpoints WHERE name = 'tally'`.execute(database.db);
    await runner.catchUp('tally');
    expect(await rows()).toEqual(rebuilt);
    expect((await projectionStatus(database.db, store, 'tally')).eventsProcessed).toBe(70);
  });

  it('leaves the old read model and its checkpoint intact when it fails half-way, and drops its shadow', async () => {
    await damage();
    const before = await rows();
    const checkpoint = await projectionStatus(database.db, store, 'tally');
    await expect(
      rebuildProjection(database.db, database.pool, store, tally, {
        batchSize: 10,
        afterBatch: ({ eventsProcessed }) => {
          if (eventsProcessed >= 30) throw new Error('the machine went down');
        },
      }),
    ).rejects.toThrow('the machine went down');
    expect(await rows()).toEqual(before);
    expect(await projectionStatus(database.db, store, 'tally')).toEqual(checkpoint);
    expect(await shadowExists('tally')).toBe(false);

    // A projection that fails on an event: same outcome.
    const poisoned: Projection = {
      ...tally,
      async apply(trx, events) {
        await tally.apply(trx, events);
        if (events.some((e) => e.position > 40)) throw new Error('cannot project this event');
      },
    };
    await expect(rebuildProjection(database.db, database.pool, store, poisoned, { batchSize: 10 })).rejects.toThrow('cannot project this event');
    expect(await rows()).toEqual(before);
    expect(await projectionStatus(database.db, store, 'tally')).toEqual(checkpoint);
  });

  it('runs one rebuild of a projection at a time, and refuses a projection whose tables do not exist', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = rebuildProjection(database.db, database.pool, store, tally, {
      afterBatch: async () => {
        started();
        await held;
      },
    });
    await running;
    await expect(rebuildProjection(database.db, database.pool, store, tally)).rejects.toThrow('a rebuild of tally is already running');
    // The refused one left the running one's shadow alone.
    expect(await shadowExists('tally')).toBe(true);
    release();
    await first;
    await expect(rebuildProjection(database.db, database.pool, store, { ...tally, name: 'other', tables: ['no_such_table'] })).rejects.toThrow(
      'the projection names table no_such_table, which does not exist',
    );
  });

  it('rebuilds the stream index, which reads no event data, to what it reached live', async () => {
    const live = (await rows()).index;
    await sql`UPDATE stream_index SET event_count = 0`.execute(database.db);
    await rebuildProjection(database.db, database.pool, store, streamIndexProjection, { batchSize: 4 });
    expect((await rows()).index).toEqual(live);
  });
});
