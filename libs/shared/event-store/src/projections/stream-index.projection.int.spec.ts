import { createTestDatabase, projectionSpec, type TestDatabase } from '@maatlat/shared/testing';
import { streamIndexProjection } from './stream-index.projection';

const at = (hour: number) => new Date(Date.UTC(2026, 5, 1, hour));

describe('stream index projection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 4 });
  });
  afterAll(() => database.drop());
  const spec = () => projectionSpec(streamIndexProjection, database);

  const history = [
    { type: 'OrganisationRegistered', data: {}, streamId: 'organisation-utrecht', recordedAt: at(1), metadata: { tenantId: 'utrecht' } },
    { type: 'ModelVersionDrafted', data: {}, streamId: 'modelversion-datagedreven-overheid@2026.1', recordedAt: at(2) },
    { type: 'UnitAdded', data: {}, streamId: 'organisation-utrecht', recordedAt: at(3), metadata: { tenantId: 'utrecht' } },
    { type: 'ModelVersionPublished', data: {}, streamId: 'modelversion-datagedreven-overheid@2026.1', recordedAt: at(4) },
    { type: 'UnitRenamed', data: {}, streamId: 'organisation-utrecht', recordedAt: at(5), metadata: { tenantId: 'utrecht' } },
  ];

  it('indexes each stream by category and tenant, with its length, first and last moment and last event type', async () => {
    await spec()
      .given(history)
      .thenRows('stream_index', [
        {
          stream_id: 'modelversion-datagedreven-overheid@2026.1',
          category: 'modelversion',
          tenant_id: null,
          version: 2,
          event_count: 2,
          first_recorded_at: at(2),
          last_recorded_at: at(4),
          last_event_type: 'ModelVersionPublished',
        },
        { stream_id: 'organisation-utrecht', category: 'organisation', tenant_id: 'utrecht', version: 3, event_count: 3, first_recorded_at: at(1), last_recorded_at: at(5), last_event_type: 'UnitRenamed' },
      ]);
  });

  it('rebuilds to the rows it reached live, whichever batch a stream first appeared in', async () => {
    const rows = await spec().given(history).thenRebuildEqualsIncremental('stream_index', 2);
    expect(rows).toMatchObject([{ event_count: 2, first_recorded_at: at(2) }, { event_count: 3, first_recorded_at: at(1) }]);
  });
});
