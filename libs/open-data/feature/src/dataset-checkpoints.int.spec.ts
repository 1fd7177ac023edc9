import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { composeServices, eventStoreFeature, schedulesOf } from '@maatlat/shared/features';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { modelCatalogueFeature } from '@maatlat/model-catalogue/feature';
import { organisationsFeature, type OrganisationsServices } from '@maatlat/organisations/feature';
import { archiveFeature, type ArchiveServices } from '@maatlat/archive/feature';
import type { CheckpointCopy } from '@maatlat/open-data/data-access';
import { openDataFeature, type OpenDataServices } from './open-data.feature';

const SIGNING_KEY = `c1:${'ab'.repeat(32)}`;

describe('the dataset follows the signed checkpoints (the worker looks every minute)', () => {
  let database: TestDatabase;
  let services: OrganisationsServices & ArchiveServices & OpenDataServices;
  let look: () => Promise<unknown>;

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 6 });
    const config = testConfig({ DATABASE_URL: database.url, SIGNING_KEY });
    const features = [eventStoreFeature, modelCatalogueFeature, organisationsFeature, archiveFeature, openDataFeature] as const;
    services = composeServices(features, database.db, new PostgresEventStore(database.db, database.pool), config);
    const schedule = schedulesOf(features, services, config).find((s) => s.name === 'open-data.dataset-checkpoints')!;
    expect(schedule.everyMs).toBe(60_000);
    look = () => schedule.run({ pool: database.pool, now: new Date() });
    await services.organisations.register({ name: 'Gemeente Kopieën', organisationType: 'municipality', sizeBand: 'small' }, { now: new Date(), actor: 'admin', correlationId: randomUUID() });
  });
  afterAll(() => database.drop());

  const sequencesIn = async (version?: number) => {
    const file = await services.publications.openData.file('checkpoints.json', version);
    const { checkpoints, keys } = JSON.parse(file.content) as { checkpoints: CheckpointCopy[]; keys: { kid: string }[] };
    return { sequences: checkpoints.map((c) => c.statement.sequence), kids: keys.map((k) => k.kid) };
  };

  it('makes no dataset from a checkpoint alone', async () => {
    await services.checkpoints.record(database.pool, new Date());
    await expect(look()).resolves.toEqual({ skipped: 'no-dataset' });
  });

  it('gives a checkpoint recorded after the latest version a version of its own, signed copy and key included', async () => {
    const first = await services.publications.openData.buildVersion();
    expect(await sequencesIn(first.version)).toEqual({ sequences: [1], kids: ['c1'] });
    await expect(look()).resolves.toEqual({ skipped: 'unchanged' });

    await services.organisations.register({ name: 'Gemeente Later', organisationType: 'municipality', sizeBand: 'small' }, { now: new Date(), actor: 'admin', correlationId: randomUUID() });
    const second = await services.checkpoints.record(database.pool, new Date());
    await expect(look()).resolves.toMatchObject({ recorded: { version: first.version + 1 } });
    expect(await sequencesIn()).toEqual({ sequences: [1, second.statement.sequence], kids: ['c1'] });
    expect(await sequencesIn(first.version)).toEqual({ sequences: [1], kids: ['c1'] });
    await expect(look()).resolves.toEqual({ skipped: 'unchanged' });
  });
});
