import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@maatlat/shared/testing';
import { GuardRefused, StreamMoved, WrongExpectedVersion } from './errors';
import { PostgresEventStore } from './event-store';
import { contentHash, genesisHash, linkHash } from './hashing';
import type { AppendMetadata, NewEvent } from './types';
import { EventUpcasters } from './upcasters';
import { verifyEventStore } from './verify';

const metadata = (extra: Partial<AppendMetadata> = {}): AppendMetadata => ({
  actor: 'user-1',
  tenantId: 'org-1',
  correlationId: randomUUID(),
  ...extra,
});

const event = (type: string, data: unknown = {}): NewEvent => ({ eventId: randomUUID(), type, data });

describe('PostgresEventStore', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 30 });
    store = new PostgresEventStore(database.db, database.pool);
  });
  afterAll(() => database.drop());

  describe('append and readStream', () => {
    it('appends to a new stream and reads the events back in version order with their metadata', async () => {
      const stream = `assessment-${randomUUID()}`;
      const result = await store.append(stream, 0, [event('Opened', { period: '2026' }), event('Invited', { layer: 'strategic' })], metadata({ commandId: 'c1', causationId: 'cause-1', reason: 'yearly cycle' }));
      expect(result).toMatchObject({ streamId: stream, duplicate: false, firstVersion: 1, nextExpectedVersion: 2 });

      const events = await store.readStream(stream);
      expect(events.map((e) => [e.version, e.type, e.data])).toEqual([
        [1, 'Opened', { period: '2026' }],
        [2, 'Invited', { layer: 'strategic' }],
      ]);
      expect(events[0].metadata).toEqual({
        actor: 'user-1',
        tenantId: 'org-1',
        correlationId: expect.any(String),
        causationId: 'cause-1',
        commandId: 'c1',
        reason: 'yearly cycle',
      });
      expect(events[1].position).toBeGreaterThan(events[0].position);
      expect(await store.streamVersion(stream)).toBe(2);
    });

    it('reads back exactly what was written, whatever the text, numbers and nesting, with place, time and hash', async () => {
      const stream = `assessment-${randomUUID()}`;
      const awkward = {
        text: 'quote " backslash \\ newline \n tab \t café ✓ 𝄞 \u2028 <>&\'',
        numbers: [0, -0.5, 0.1, 123456789012345, 1e-7, 2 ** 53 - 1],
        nested: { empty: {}, list: [[], [null, true, false]], 'key with "quotes"': 1 },
      };
      await store.append(stream, 0, [event('Opened', awkward), event('Answer "odd" type', { n: 1 })], metadata({ reason: 'line one\nline "two"' }));
      const events = await store.readStream(stream, { withHashes: true });
      expect(events.map((e) => [e.version, e.type, e.data])).toEqual([
        [1, 'Opened', awkward],
        [2, 'Answer "odd" type', { n: 1 }],
      ]);
      expect(events[0].metadata.reason).toBe('line one\nline "two"');
      const { rows } = await database.pool.query(
        `SELECT position, transaction_id::text AS tx, recorded_at, encode(hash, 'hex') AS hash FROM events WHERE stream_id = $1 ORDER BY version`,
        [stream],
      );
      expect(events.map((e) => [e.position, e.transactionId, e.recordedAt.getTime(), e.hash])).toEqual(
        rows.map((r) => [Number(r.position), r.tx, new Date(r.recorded_at).getTime(), r.hash]),
      );
      expect(await store.readStream(`assessment-${randomUUID()}`)).toEqual([]);
    });

    it('reads a long stream the same way the first time (one JSON array) and after (rows)', async () => {
      const stream = `assessment-${randomUUID()}`;
      for (let batch = 0; batch < 5; batch++) {
        await store.append(stream, batch * 50, Array.from({ length: 50 }, (_, i) => event('AnswerRecorded', { n: batch * 50 + i, text: 'é"\\' })), metadata());
      }
      const reader = new PostgresEventStore(database.db, database.pool);
      const first = await reader.readStream(stream, { withHashes: true });
      const again = await reader.readStream(stream, { withHashes: true });
      expect(first).toHaveLength(250);
      expect(again).toEqual(first);
      expect(await reader.readStream(stream, { fromVersion: 10, toVersion: 12 })).toEqual(first.slice(9, 12).map(({ hash: _hash, ...rest }) => rest));
      expect((await reader.readStream(stream, { asOf: first[99].recordedAt })).length).toBe(first.filter((e) => e.recordedAt <= first[99].recordedAt).length);
    });

    it('refuses a wrong expected version with a typed error naming stream, expected and actual', async () => {
      const stream = `assessment-${randomUUID()}`;
      await store.append(stream, 0, [event('Opened')], metadata());
      const attempt = store.append(stream, 0, [event('Opened')], metadata());
      await expect(attempt).rejects.toThrow(WrongExpectedVersion);
      await expect(store.append(stream, 5, [event('X')], metadata())).rejects.toMatchObject({
        streamId: stream,
        expectedVersion: 5,
        actualVersion: 1,
        message: `stream ${stream} is at version 1, not the expected version 5`,
      });
      await expect(store.append(`assessment-${randomUUID()}`, 3, [event('X')], metadata())).rejects.toMatchObject({ actualVersion: 0 });
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('appends at any version when asked to', async () => {
      const stream = `log-${randomUUID()}`;
      await store.append(stream, 'any', [event('A')], metadata());
      await store.append(stream, 'any', [event('B')], metadata());
      expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B']);
    });

    it('treats a retried command id as a no-op that returns the original result', async () => {
      const stream = `assessment-${randomUUID()}`;
      const first = await store.append(stream, 0, [event('Opened')], metadata({ commandId: 'open-1' }));
      const retry = await store.append(stream, 0, [event('Opened')], metadata({ commandId: 'open-1' }));
      expect(retry).toEqual({ ...first, duplicate: true });
      expect(await store.readStream(stream)).toHaveLength(1);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE stream_id = ${stream}`.execute(database.db);
      expect(rows[0].n).toBe(1);
    });

    it('reads a version range and the stream as it stood at a moment', async () => {
      const stream = `assessment-${randomUUID()}`;
      await store.append(stream, 0, [event('A'), event('B')], metadata());
      const [, b] = await store.readStream(stream);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await store.append(stream, 2, [event('C')], metadata());
      expect((await store.readStream(stream, { fromVersion: 2 })).map((e) => e.type)).toEqual(['B', 'C']);
      expect((await store.readStream(stream, { toVersion: 1 })).map((e) => e.type)).toEqual(['A']);
      expect((await store.readStream(stream, { asOf: b.recordedAt })).map((e) => e.type)).toEqual(['A', 'B']);
      expect(await store.readStream(stream, { asOf: new Date(b.recordedAt.getTime() - 60_000) })).toEqual([]);
    });

    it('applies upcasters on read and never rewrites the stored event', async () => {
      const stream = `assessment-${randomUUID()}`;
      await store.append(stream, 0, [{ ...event('AnswerRecorded', { level: 4 }), schemaVersion: 1 }], metadata());
      const upcasting = new PostgresEventStore(
        database.db,
        database.pool,
        new EventUpcasters([{ type: 'AnswerRecorded', fromSchemaVersion: 1, upcast: (d) => ({ answer: { level: (d as { level: number }).level } }) }]),
      );
      const [read] = await upcasting.readStream(stream);
      expect(read).toMatchObject({ schemaVersion: 2, storedSchemaVersion: 1, data: { answer: { level: 4 } } });
      const stored = await database.db.selectFrom('events').select(['data', 'schema_version']).where('stream_id', '=', stream).executeTakeFirstOrThrow();
      expect(stored).toEqual({ data: { level: 4 }, schema_version: 1 });
      expect((await verifyEventStore(database.db, { streamId: stream })).ok).toBe(true);
    });
  });

  describe('guarded appends that need another stream unchanged', () => {
    it('appends while the other stream is at the version named, and refuses once it moved, saying where it is', async () => {
      const guard = `assessment-${randomUUID()}`;
      const respondent = `respondent-${randomUUID()}`;
      const response = `response-${randomUUID()}`;
      await store.append(respondent, 0, [event('Registered'), event('Invited')], metadata());
      const at = (version: number) => ({ guard: { streamId: guard, refuseIfAny: ['Closed'], unchanged: { streamId: respondent, version } } });

      await store.append(response, 0, [event('AnswerRecorded', { q: 1 })], metadata(), at(2));
      await store.append(respondent, 2, [event('InvitationRevoked')], metadata());
      const refused = await store.append(response, 1, [event('AnswerRecorded', { q: 2 })], metadata(), at(2)).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StreamMoved);
      expect(refused).toMatchObject({ streamId: respondent, expectedVersion: 2, actualVersion: 3, code: 'stream.moved' });
      expect((await store.readStream(response)).map((e) => e.data)).toEqual([{ q: 1 }]);

      // At the version it is at now, the append goes through; a stream that does not exist is at 0.
      await store.append(response, 1, [event('AnswerRecorded', { q: 2 })], metadata(), at(3));
      await expect(store.append(response, 2, [event('AnswerRecorded', { q: 3 })], metadata(), { guard: { streamId: guard, refuseIfAny: ['Closed'], unchanged: { streamId: `respondent-${randomUUID()}`, version: 0 } } })).resolves.toMatchObject({ nextExpectedVersion: 3 });
      await expect(store.append(response, 3, [event('AnswerRecorded', { q: 4 })], metadata(), { guard: { streamId: guard, refuseIfAny: ['Closed'], unchanged: { streamId: `respondent-${randomUUID()}`, version: 1 } } })).rejects.toMatchObject({ actualVersion: 0 });
    });

    it('still answers to the guard and to the expected version of the stream appended to', async () => {
      const guard = `assessment-${randomUUID()}`;
      const respondent = `respondent-${randomUUID()}`;
      const response = `response-${randomUUID()}`;
      await store.append(respondent, 0, [event('Registered')], metadata());
      const options = { guard: { streamId: guard, refuseIfAny: ['Closed'], unchanged: { streamId: respondent, version: 1 } } };
      await store.append(response, 0, [event('AnswerRecorded')], metadata(), options);
      await expect(store.append(response, 0, [event('AnswerRecorded')], metadata(), options)).rejects.toBeInstanceOf(WrongExpectedVersion);
      await store.append(guard, 0, [event('Closed')], metadata());
      await expect(store.append(response, 1, [event('AnswerRecorded')], metadata(), options)).rejects.toBeInstanceOf(GuardRefused);
      expect(await store.streamVersion(response)).toBe(1);
    });
  });

  describe('concurrency', () => {
    it('lets exactly one of 20 concurrent appends at the same expected version win, per version', async () => {
      const stream = `assessment-${randomUUID()}`;
      await store.append(stream, 0, [event('Opened')], metadata());
      for (let version = 1; version <= 3; version++) {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => store.append(stream, version, [event('Revised', { writer: i, version })], metadata())),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(19);
        for (const loss of lost) {
          expect(loss.reason).toBeInstanceOf(WrongExpectedVersion);
          expect(loss.reason.actualVersion).toBe(version + 1);
        }
      }
      const events = await store.readStream(stream);
      expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4]);
      expect((await verifyEventStore(database.db, { streamId: stream })).ok).toBe(true);
    });

    it('lets exactly one of 20 concurrent creators of a new stream win', async () => {
      const stream = `assessment-${randomUUID()}`;
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => store.append(stream, 0, [event('Opened')], metadata())));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof WrongExpectedVersion)).toHaveLength(19);
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('applies a command once when its retries race each other', async () => {
      const stream = `assessment-${randomUUID()}`;
      await store.append(stream, 0, [event('Opened')], metadata());
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, () => store.append(stream, 1, [event('Closed')], metadata({ commandId: 'close-once' }))),
      );
      const fulfilled = outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<{ duplicate: boolean }>).value);
      expect(fulfilled).toHaveLength(10);
      expect(fulfilled.filter((r) => !r.duplicate)).toHaveLength(1);
      expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['Opened', 'Closed']);
    });
  });

  describe('immutability and the hash chain', () => {
    it('refuses UPDATE, DELETE and TRUNCATE of events in the database itself', async () => {
      const stream = `assessment-${randomUUID()}`;
      await store.append(stream, 0, [event('Opened', { a: 1 })], metadata());
      await expect(sql`UPDATE events SET data = '{"a":2}' WHERE stream_id = ${stream}`.execute(database.db)).rejects.toThrow('events are immutable: UPDATE on events is refused');
      await expect(sql`DELETE FROM events WHERE stream_id = ${stream}`.execute(database.db)).rejects.toThrow('events are immutable: DELETE on events is refused');
      await expect(sql`TRUNCATE events CASCADE`.execute(database.db)).rejects.toThrow('events are immutable: TRUNCATE on events is refused');
      await expect(sql`DELETE FROM streams WHERE stream_id = ${stream}`.execute(database.db)).rejects.toThrow('DELETE on streams is refused');
      expect((await store.readStream(stream))[0].data).toEqual({ a: 1 });
    });

    it('stores a chain that can be recomputed outside the database', async () => {
      const stream = `assessment-${randomUUID()}`;
      await store.append(stream, 0, [event('A', { x: [1, 2] }), event('B')], metadata());
      const rows = await database.db.selectFrom('events').selectAll().where('stream_id', '=', stream).orderBy('version').execute();
      let previous = genesisHash(stream);
      for (const row of rows) {
        const content = contentHash({ eventId: row.event_id, type: row.type, schemaVersion: row.schema_version, data: row.data, metadata: row.metadata });
        expect(row.content_hash.equals(content)).toBe(true);
        expect(row.previous_hash.equals(previous)).toBe(true);
        expect(row.hash.equals(linkHash(previous, content, row.version, row.recorded_at))).toBe(true);
        previous = row.hash;
      }
      const head = await database.db.selectFrom('streams').select('head_hash').where('stream_id', '=', stream).executeTakeFirstOrThrow();
      expect(head.head_hash.equals(previous)).toBe(true);
    });
  });
});
