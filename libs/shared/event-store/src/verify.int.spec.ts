import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { createTestDatabase, type TestDatabase } from '@maatlat/shared/testing';
import { PostgresEventStore } from './event-store';
import { verifyEventStore } from './verify';

/** What someone with superuser rights could do: switch the guard off, change history, switch it on. */
async function tamper(db: Kysely<DB>, statement: ReturnType<typeof sql>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await statement.execute(trx);
  });
}

describe('verifyEventStore', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const streams = { intact: '', edited: '', rehashed: '', gap: '', truncated: '' };

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database.db, database.pool);
    for (const key of Object.keys(streams) as (keyof typeof streams)[]) {
      streams[key] = `assessment-${key}-${randomUUID()}`;
      for (let v = 0; v < 4; v++) {
        await store.append(streams[key], v, [{ eventId: randomUUID(), type: 'AnswerRecorded', data: { level: v } }], { actor: 'r-1', correlationId: 'c' });
      }
    }
  });
  afterAll(() => database.drop());

  it('passes an untouched store', async () => {
    const report = await verifyEventStore(database.db);
    expect(report).toEqual({ ok: true, streamsChecked: 5, eventsChecked: 20, breaks: [] });
  });

  it('reports the first broken link of each tampered stream by stream and version', async () => {
    // Someone "improves" an answer after the fact.
    await tamper(database.db, sql`UPDATE events SET data = '{"level": 5}' WHERE stream_id = ${streams.edited} AND version = 2`);
    // Someone edits an answer and recomputes its content hash, but cannot fix the links after it.
    const rehashed = await database.db.selectFrom('events').select(['event_id', 'metadata']).where('stream_id', '=', streams.rehashed).where('version', '=', 3).executeTakeFirstOrThrow();
    const { contentHash } = await import('./hashing');
    const forged = contentHash({ eventId: rehashed.event_id, type: 'AnswerRecorded', schemaVersion: 1, data: { level: 5 }, metadata: rehashed.metadata });
    await tamper(database.db, sql`UPDATE events SET data = '{"level": 5}', content_hash = ${forged} WHERE stream_id = ${streams.rehashed} AND version = 3`);
    // Someone removes an inconvenient event from the middle, and one from the end.
    await tamper(database.db, sql`DELETE FROM events WHERE stream_id = ${streams.gap} AND version = 2`);
    await tamper(database.db, sql`DELETE FROM events WHERE stream_id = ${streams.truncated} AND version = 4`);

    const report = await verifyEventStore(database.db);
    expect(report.ok).toBe(false);
    const byStream = Object.fromEntries(report.breaks.map((b) => [b.streamId, { version: b.version, problem: b.problem }]));
    expect(byStream).toEqual({
      [streams.edited]: { version: 2, problem: 'the event content does not match its content hash' },
      [streams.rehashed]: { version: 3, problem: 'the link hash does not match the event' },
      [streams.gap]: { version: 2, problem: 'version 2 is missing' },
      [streams.truncated]: { version: 4, problem: 'the stream head says version 4 but the events end at version 3' },
    });

    expect(await verifyEventStore(database.db, { streamId: streams.intact })).toMatchObject({ ok: true, eventsChecked: 4 });
    expect(await verifyEventStore(database.db, { streamId: streams.edited })).toMatchObject({ ok: false, breaks: [{ streamId: streams.edited, version: 2 }] });
  });
});
