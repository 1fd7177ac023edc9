import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigError, loadConfig } from '@maatlat/shared/config';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { createTestDatabase, TEST_DATA_KEY_ENCRYPTION_KEYS, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { rewrapKeys } from './commands';
import { platformServices } from './features';

describe('cli keys rewrap', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('wraps every data key with the first key-encryption key, after which the older one can go', async () => {
    const meta = () => ({ now: new Date(), actor: 'operator', correlationId: randomUUID() });
    const before = platformServices(database.db, new PostgresEventStore(database.db, database.pool), testConfig({ DATABASE_URL: database.url }));
    const { organisationId } = await before.organisations.register({ name: 'Gemeente Rotatie', organisationType: 'municipality', sizeBand: 'small' }, meta());
    const { respondentId } = await before.respondents.register(organisationId, { name: 'Roos Rotatie', email: 'roos@example.nl' }, meta());

    const newKey = `k2:${randomBytes(32).toString('base64')}`;
    const rotated = await rewrapKeys(testConfig({ DATABASE_URL: database.url, DATA_KEY_ENCRYPTION_KEYS: `${newKey},${TEST_DATA_KEY_ENCRYPTION_KEYS}` }));
    expect(rotated).toEqual({ output: 're-wrapped 1 data key(s) with key-encryption key "k2"\nevery data key is wrapped with it: older keys can leave DATA_KEY_ENCRYPTION_KEYS', exitCode: 0 });

    const after = platformServices(database.db, new PostgresEventStore(database.db, database.pool), testConfig({ DATABASE_URL: database.url, DATA_KEY_ENCRYPTION_KEYS: newKey }));
    expect((await after.respondents.get(organisationId, respondentId)).personal).toEqual({ name: 'Roos Rotatie', email: 'roos@example.nl' });
  });

  it('will not build the services of a process without key-encryption keys: one line naming the variable', () => {
    const build = () => platformServices(database.db, new PostgresEventStore(database.db, database.pool), loadConfig({ DATABASE_URL: database.url }));
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/^DATA_KEY_ENCRYPTION_KEYS: is required/);
  });
});
