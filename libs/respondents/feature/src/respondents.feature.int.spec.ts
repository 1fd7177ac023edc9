import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { composeServices, eventStoreFeature, projectionsOf, type ServicesOf } from '@maatlat/shared/features';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { respondentsFeature } from './respondents.feature';

const meta = (actor = 'coordinator'): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });
const FEATURES = [eventStoreFeature, organisationsFeature, respondentsFeature] as const;

describe('the respondents manifest, composed as the apps compose it', () => {
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

  it("uses the organisations composed before it, seals personal data with the vault it makes, and its projection fills the organisation's list", async () => {
    const { organisationId } = await services.organisations.register({ name: 'Gemeente Manifest', organisationType: 'municipality', sizeBand: 'small' }, meta('admin'));
    const { respondentId } = await services.respondents.register(organisationId, { name: 'Mila Manifest', email: 'mila@manifest.example.nl' }, meta());
    expect(await services.respondents.list(organisationId)).toEqual([]);
    await catchUp();
    expect((await services.respondents.list(organisationId)).map((r) => [r.respondentId, r.personal])).toEqual([[respondentId, { name: 'Mila Manifest', email: 'mila@manifest.example.nl' }]]);
    // Sealed in the log: the plaintext is nowhere in the events.
    const { rows } = await database.pool.query<{ text: string }>(`SELECT string_agg(data::text, '') AS text FROM events WHERE stream_id = $1`, [`respondent-${respondentId}`]);
    expect(rows[0].text).not.toMatch(/Mila|manifest\.example/);
    // Another organisation's respondent is not found.
    const other = await services.organisations.register({ name: 'Gemeente Anders', organisationType: 'municipality', sizeBand: 'small' }, meta('admin'));
    await expect(services.respondents.get(other.organisationId, respondentId)).rejects.toMatchObject({ code: 'respondent.not-found' });
  });
});
