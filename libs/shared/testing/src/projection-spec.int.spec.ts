import type { DomainEvent } from '@maatlat/shared/domain';
import { projectionSpec, GIVEN_METADATA, GIVEN_RECORDED_AT, type ProjectionUnderTest, type RecordedTestEvent } from './projection-spec';
import { createTestDatabase, type TestDatabase } from './test-database';

type NoteEvent = { type: 'Noted'; data: { text: string } } | { type: 'Ignored'; data: { text: string } };

/** Writes each event it is given into stream_index (a table with no rules of its own), and keeps what it saw. */
function recordingProjection(options: { readsData?: boolean } = {}) {
  const seen: RecordedTestEvent<NoteEvent>[] = [];
  const projection: ProjectionUnderTest<NoteEvent> = {
    name: 'notes',
    eventTypes: ['Noted'],
    readsData: options.readsData,
    async apply(trx, events) {
      seen.push(...events);
      for (const event of events) {
        await trx
          .insertInto('stream_index')
          .values({
            stream_id: `${event.streamId}#${event.version}`,
            category: String(event.position),
            tenant_id: event.data?.text ?? null,
            version: event.version,
            event_count: 1,
            first_recorded_at: event.recordedAt,
            last_recorded_at: event.recordedAt,
            last_event_type: event.type,
          })
          .execute();
      }
    },
    async reset(trx) {
      await trx.deleteFrom('stream_index').execute();
    },
  };
  return { projection, seen };
}

describe('projectionSpec', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 4 });
  });
  afterAll(() => database.drop());

  it('numbers versions per stream and positions across streams, with the fixed moment and metadata, and passes only the named types', async () => {
    const { projection, seen } = recordingProjection();
    await projectionSpec(projection, database)
      .given(
        [
          { type: 'Noted', data: { text: 'a1' } },
          { type: 'Noted', data: { text: 'b1' }, streamId: 'note-b' },
          { type: 'Ignored', data: { text: 'a2' } },
          { type: 'Noted', data: { text: 'a3' }, metadata: { actor: 'someone' } },
        ],
        { streamId: 'note-a' },
      )
      .thenRows((trx) => trx.selectFrom('stream_index').select(['stream_id', 'category', 'tenant_id']).orderBy('category'), [
        { stream_id: 'note-a#1', category: '1', tenant_id: 'a1' },
        { stream_id: 'note-b#1', category: '2', tenant_id: 'b1' },
        { stream_id: 'note-a#3', category: '4', tenant_id: 'a3' },
      ]);
    expect(seen.map((e) => [e.recordedAt, e.metadata])).toEqual([
      [GIVEN_RECORDED_AT, GIVEN_METADATA],
      [GIVEN_RECORDED_AT, GIVEN_METADATA],
      [GIVEN_RECORDED_AT, { ...GIVEN_METADATA, actor: 'someone' }],
    ]);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(3);
  });

  it('hands events without their data to a projection that reads none, as the runner does', async () => {
    const { projection, seen } = recordingProjection({ readsData: false });
    await projectionSpec(projection, database).given([{ type: 'Noted', data: { text: 'secret' } }], { streamId: 'note-a' }).thenRows((trx) => trx.selectFrom('stream_index').select('tenant_id'), [{ tenant_id: null }]);
    expect(seen[0].data).toBeNull();
  });

  it('fails when the rows differ from those expected', async () => {
    const { projection } = recordingProjection();
    const given = projectionSpec(projection, database).given([{ type: 'Noted', data: { text: 'a1' } }], { streamId: 'note-a' });
    await expect(given.thenRows((trx) => trx.selectFrom('stream_index').select('tenant_id'), [{ tenant_id: 'a2' }])).rejects.toThrow(/toEqual/);
  });

  it('fails when a rebuild leaves other rows than the two batches did', async () => {
    // Keeps a running count across batches but forgets it on reset: a rebuild differs from the live result.
    let counted = 0;
    const drifting: ProjectionUnderTest<DomainEvent> = {
      name: 'drifting',
      eventTypes: 'all',
      async apply(trx, events) {
        for (const event of events) {
          counted += 1;
          await trx.insertInto('stream_index').values({ stream_id: event.streamId + counted, category: 'x', tenant_id: null, version: 1, event_count: 1, first_recorded_at: event.recordedAt, last_recorded_at: event.recordedAt, last_event_type: event.type }).execute();
        }
      },
      async reset(trx) {
        await trx.deleteFrom('stream_index').execute();
      },
    };
    const given = projectionSpec(drifting, database).given([{ type: 'A', data: {} }, { type: 'B', data: {} }], { streamId: 's' });
    await expect(given.thenRebuildEqualsIncremental('stream_index')).rejects.toThrow(/toEqual/);
  });

  it('leaves nothing behind in the database, and refuses an event without a stream', async () => {
    const { projection } = recordingProjection();
    await projectionSpec(projection, database).given([{ type: 'Noted', data: { text: 'a1' } }], { streamId: 'note-a' }).thenRows('stream_index', [expect.objectContaining({ tenant_id: 'a1' })]);
    expect(await database.db.selectFrom('stream_index').selectAll().execute()).toEqual([]);
    expect(() => projectionSpec(projection, database).given([{ type: 'Noted', data: { text: 'x' } }])).toThrow('given event 0 (Noted) has no stream id');
  });
});
