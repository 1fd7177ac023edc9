import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { composeServices, eventStoreFeature, projectionsOf, type ServicesOf } from '@maatlat/shared/features';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { modelCatalogueFeature } from './model-catalogue.feature';

const KEY = 'datagedreven-overheid';
const meta = (): CommandMetadata => ({ now: new Date(), actor: 'admin', correlationId: randomUUID() });
const FEATURES = [eventStoreFeature, modelCatalogueFeature] as const;

describe('the model catalogue manifest, composed as the apps compose it', () => {
  let database: TestDatabase;
  let services: ServicesOf<typeof FEATURES>;
  let catchUp: () => Promise<number>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const store = new PostgresEventStore(database.db, database.pool);
    services = composeServices(FEATURES, database.db, store, testConfig({ DATABASE_URL: database.url }));
    catchUp = () => new ProjectionRunner(database.db, database.pool, store, projectionsOf(FEATURES)).catchUp();
  });
  afterAll(() => database.drop());

  it('publishes a shipped model through its service, and its projection lists it; offline, the same document validates', async () => {
    const { shippedModels, validateModelDocument, parseModelRef } = modelCatalogueFeature.offline;
    expect(validateModelDocument(shippedModels['2026.1'])).toEqual([]);
    expect(parseModelRef(`${KEY}@2026.1`)).toEqual({ key: KEY, version: '2026.1' });
    await services.catalogue.draft({ document: shippedModels['2026.1'] }, meta());
    const published = await services.catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta());
    expect(published).toMatchObject({ status: 'published', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await services.catalogue.list(KEY)).toEqual([]);
    await catchUp();
    expect(await services.catalogue.list(KEY)).toEqual([expect.objectContaining({ key: KEY, version: '2026.1', status: 'published', contentHash: published.contentHash })]);
  });
});
