import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { handleCommand, PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { composeServices, eventStoreFeature, reactionsOf } from '@maatlat/shared/features';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { modelCatalogueFeature, type ModelCatalogueServices } from '@maatlat/model-catalogue/feature';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { benchmarkCells, benchmarkPublicationDecider, benchmarkPublicationStreamId, PERCENTILE_METHOD, type PeerScore } from '@maatlat/insights/domain';
import { openDataFeature, type OpenDataServices } from './open-data.feature';

const KEY = 'datagedreven-overheid';
const meta = (): CommandMetadata => ({ now: new Date(), actor: 'admin', correlationId: randomUUID() });

describe('a published benchmark edition reaches the open dataset through the worker', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let services: ModelCatalogueServices & OpenDataServices;
  let react: () => Promise<number>;

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 6 });
    store = new PostgresEventStore(database.db, database.pool);
    const config = testConfig({ DATABASE_URL: database.url });
    const features = [eventStoreFeature, modelCatalogueFeature, organisationsFeature, openDataFeature] as const;
    const composed = composeServices(features, database.db, store, config);
    services = composed;
    react = () => new ProjectionRunner(database.db, database.pool, store, reactionsOf(features, composed)).catchUp();
    await services.catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta());
    await services.catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta());
  });
  afterAll(() => database.drop());

  /** An edition over `organisations` municipalities, as the insights feature publishes one. */
  async function publishEdition(organisations: number): Promise<void> {
    const factorIds = SHIPPED_MODELS['2026.1'].factors.map((f) => f.id);
    const scores: PeerScore[] = Array.from({ length: organisations }, (_, i) => ({
      organisationId: `org-${i}`,
      organisationType: 'municipality',
      sizeBand: 'small',
      overall: 1 + i / 2,
      factors: Object.fromEntries(factorIds.map((id) => [id, 1 + i / 2])),
    }));
    await handleCommand(store, benchmarkPublicationDecider, benchmarkPublicationStreamId(KEY, '2026', 'organisation'), {
      type: 'PublishBenchmark',
      data: {
        modelKey: KEY,
        period: '2026',
        level: 'organisation',
        modelVersion: '2026.1',
        minGroup: 5,
        percentileMethod: PERCENTILE_METHOD,
        inputs: scores.map((score, i) => ({
          organisationId: score.organisationId,
          organisationType: score.organisationType,
          sizeBand: score.sizeBand,
          scoreEvents: [{ streamId: `assessment-cited-${i}`, version: 3, eventId: randomUUID(), hash: 'ab'.repeat(32), type: 'ScoreCalculated' as const }],
        })),
        figures: [{ groupBy: 'all', cells: benchmarkCells(scores, 'all', 5, factorIds) }],
      },
      metadata: meta(),
    });
  }

  it('makes the version that carries it, and none more when replayed', async () => {
    await expect(services.publications.openData.summary()).rejects.toMatchObject({ code: 'open-data-version.not-found' });
    await publishEdition(6);
    await react();
    const first = await services.publications.openData.summary();
    const csv = (await services.publications.openData.file('benchmark-editions.csv')).content.trim().split('\r\n');
    expect(csv.slice(1)).toContainEqual(expect.stringMatching(new RegExp(`^${KEY},2026\\.1,2026,organisation,1,[^,]+,all,all,overall,6,`)));
    // The figures only: nothing of the organisations or score events that went in.
    const everything = (await Promise.all(first.files.map(async (f) => (await services.publications.openData.file(f.name, first.version)).content))).join('\n');
    expect(everything).not.toMatch(/org-\d|assessment-cited/);

    // A second edition: a new version with both; the first version keeps only the first.
    await publishEdition(7);
    await react();
    const second = await services.publications.openData.summary();
    expect(second.version).toBe(first.version + 1);
    const editions = (await services.publications.openData.file('benchmark-editions.csv')).content.trim().split('\r\n').slice(1);
    expect(editions.map((row) => row.split(',')[4])).toEqual(expect.arrayContaining(['1', '2']));
    expect((await services.publications.openData.file('benchmark-editions.csv', first.version)).content).not.toMatch(/,organisation,2,/);

    // Replayed from the start (a rebuild): the dataset is current, no new version.
    await database.pool.query("DELETE FROM projection_checkpoints WHERE name = 'open_data_benchmark_editions'");
    await react();
    expect((await services.publications.openData.summary()).version).toBe(second.version);
  });
});
