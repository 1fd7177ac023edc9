import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { composeServices, eventStoreFeature, projectionsOf, type ServicesOf } from '@maatlat/shared/features';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { organisationsFeature } from './organisations.feature';

const meta = (): CommandMetadata => ({ now: new Date(), actor: 'admin', correlationId: randomUUID() });
const FEATURES = [eventStoreFeature, organisationsFeature] as const;

describe('the organisations manifest, composed as the apps compose it', () => {
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

  it('its services record, and its projections (the worker runs them) fill the read models its lists read', async () => {
    const { organisationId } = await services.organisations.register({ name: 'Waterschap Manifest', organisationType: 'water-board', sizeBand: 'medium' }, meta());
    const { unitId } = await services.organisations.addUnit(organisationId, { parentUnitId: null, name: 'Directie Data', kind: 'division' }, meta());
    const { chainId } = await services.chains.form({ name: 'Keten Water', description: 'samen meten' }, meta());
    await services.chains.addMember(chainId, { organisationId, unitId }, meta());
    // Nothing in the read models until the projections ran.
    expect(await services.organisations.list()).toEqual([]);
    expect(await catchUp()).toBeGreaterThanOrEqual(4);
    expect((await services.organisations.list()).map((o) => [o.organisationId, o.name])).toEqual([[organisationId, 'Waterschap Manifest']]);
    expect((await services.organisations.tree(organisationId)).map((u) => [u.unitId, u.name])).toEqual([[unitId, 'Directie Data']]);
    expect((await services.chains.list([organisationId])).map((c) => [c.chainId, c.name])).toEqual([[chainId, 'Keten Water']]);
  });
});
