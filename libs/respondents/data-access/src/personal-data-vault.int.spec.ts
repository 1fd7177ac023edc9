import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { loadConfig } from '@maatlat/shared/config';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { Organisations } from '@maatlat/organisations/data-access';
import { respondentStreamId, type RespondentEvent, type SealedPersonalData } from '@maatlat/respondents/domain';
import { DataKeyUnavailable, PersonalDataVault } from './personal-data-vault';
import { Respondents } from './respondents';

const PERSON = { name: 'Hendrika Sleutelaar', email: 'h.sleutelaar@example.nl' };
const meta = (): CommandMetadata => ({ now: new Date(), actor: 'coordinator-1', correlationId: randomUUID() });
const keys = (...entries: [string, Buffer][]) => loadConfig({ DATA_KEY_ENCRYPTION_KEYS: entries.map(([id, key]) => `${id}:${key.toString('base64')}`).join(',') }).dataKeyEncryption!;

/** What a thief of the database without the configuration could try: the sealed value opened with a candidate key. */
function opensWith(candidate: Buffer, respondentId: string, sealed: SealedPersonalData): boolean {
  try {
    const decipher = createDecipheriv('aes-256-gcm', candidate, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(respondentId));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    return true;
  } catch {
    return false;
  }
}

describe('data keys wrapped with a key-encryption key that is not in the database', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let organisationId: string;
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const respondentsWith = (vault: PersonalDataVault) => new Respondents(database.db, store, vault);

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database.db, database.pool);
    organisationId = (await new Organisations(database.db, store).register({ name: 'Gemeente Kluis', organisationType: 'municipality', sizeBand: 'small' }, meta())).organisationId;
  });
  afterAll(() => database?.drop());

  /** Every row of every table of the database, as text: a dump. */
  async function dump(): Promise<string> {
    const { rows: tables } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(database.db);
    let text = '';
    for (const { table_name } of tables) {
      const { rows } = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(table_name)} t`.execute(database.db);
      text += rows.map((r) => r.row).join('\n');
    }
    return text;
  }

  const sealedOf = async (respondentId: string) => {
    const [registered] = await store.readStream<RespondentEvent>(respondentStreamId(respondentId));
    if (registered.type !== 'RespondentRegistered') throw new Error('not registered');
    return registered.data.personal;
  };

  it('a dump reveals no name or e-mail and no key that opens them; with the key-encryption key everything reads back', async () => {
    const vault = new PersonalDataVault(database.db, keys(['k1', k1]));
    const { respondentId } = await respondentsWith(vault).register(organisationId, PERSON, meta());

    const text = await dump();
    expect(text).not.toContain(PERSON.name);
    expect(text).not.toContain(PERSON.email);
    expect(text).not.toContain(k1.toString('hex'));
    const row = await database.db.selectFrom('person_keys').selectAll().where('respondent_id', '=', respondentId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ data_key: null, key_id: 'k1' });
    expect(row.wrapped_key).toHaveLength(60);

    // Nothing stored opens the sealed data: not the wrapped key, nor any 32 bytes of it.
    const sealed = await sealedOf(respondentId);
    const candidates = [row.wrapped_key!, ...Array.from({ length: 29 }, (_, at) => row.wrapped_key!.subarray(at, at + 32))].filter((c) => c.length === 32);
    expect(candidates.length).toBeGreaterThan(0);
    expect(candidates.some((candidate) => opensWith(candidate, respondentId, sealed))).toBe(false);

    expect(await respondentsWith(vault).get(organisationId, respondentId)).toMatchObject({ personal: PERSON });
  });

  it('without the right key-encryption key nothing opens, and the error says which key is missing', async () => {
    const { respondentId } = await respondentsWith(new PersonalDataVault(database.db, keys(['k1', k1]))).register(organisationId, PERSON, meta());
    const sealed = await sealedOf(respondentId);

    const otherKeyUnderTheSameId = new PersonalDataVault(database.db, keys(['k1', randomBytes(32)]));
    await expect(otherKeyUnderTheSameId.open(respondentId, sealed)).rejects.toThrow(new DataKeyUnavailable(`the data key of respondent ${respondentId} does not unwrap with key-encryption key "k1": DATA_KEY_ENCRYPTION_KEYS holds another key under that id`));
    const anotherId = new PersonalDataVault(database.db, keys(['k9', k1]));
    await expect(anotherId.open(respondentId, sealed)).rejects.toThrow(`is wrapped with key-encryption key "k1", which DATA_KEY_ENCRYPTION_KEYS does not hold`);
    // A wrapped key copied onto another person unwraps to nothing either.
    const { respondentId: other } = await respondentsWith(new PersonalDataVault(database.db, keys(['k1', k1]))).register(organisationId, PERSON, meta());
    const stolen = await database.db.selectFrom('person_keys').select('wrapped_key').where('respondent_id', '=', respondentId).executeTakeFirstOrThrow();
    await database.db.updateTable('person_keys').set({ wrapped_key: stolen.wrapped_key }).where('respondent_id', '=', other).execute();
    await expect(new PersonalDataVault(database.db, keys(['k1', k1])).open(other, await sealedOf(other))).rejects.toThrow(DataKeyUnavailable);
  });

  it('keeps reading keys stored before wrapping, and wraps them on their first use', async () => {
    const respondentId = `r-${randomBytes(8).toString('hex')}`;
    const legacyKey = randomBytes(32);
    await database.db.insertInto('person_keys').values({ respondent_id: respondentId, data_key: legacyKey }).execute();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', legacyKey, iv);
    cipher.setAAD(Buffer.from(respondentId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(PERSON), 'utf8'), cipher.final()]);
    const sealed: SealedPersonalData = { alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };

    const vault = new PersonalDataVault(database.db, keys(['k1', k1]));
    expect(await vault.open(respondentId, sealed)).toEqual(PERSON);
    const row = await database.db.selectFrom('person_keys').selectAll().where('respondent_id', '=', respondentId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ data_key: null, key_id: 'k1' });
    expect(await vault.open(respondentId, sealed)).toEqual(PERSON);
  });

  it('rotates by re-wrapping the data keys only: the sealed data stays as it was', async () => {
    const before = new PersonalDataVault(database.db, keys(['k1', k1]));
    const { respondentId } = await respondentsWith(before).register(organisationId, PERSON, meta());
    const legacyId = `r-${randomBytes(8).toString('hex')}`;
    await database.db.insertInto('person_keys').values({ respondent_id: legacyId, data_key: randomBytes(32) }).execute();
    const events = async () => (await sql<{ all: string }>`SELECT string_agg(t::text, '\n' ORDER BY position) AS all FROM events t`.execute(database.db)).rows[0].all;
    const eventsBefore = await events();

    // The new key first: it wraps; the old one still unwraps.
    const during = new PersonalDataVault(database.db, keys(['k2', k2], ['k1', k1]));
    expect(await respondentsWith(during).get(organisationId, respondentId)).toMatchObject({ personal: PERSON });
    // The row tampered with above cannot be unwrapped: it is reported, and the rest are re-wrapped.
    const rotation = await during.rewrapAll(2);
    expect(rotation.rewrapped).toBeGreaterThanOrEqual(4);
    expect(rotation.failed).toEqual([{ respondentId: expect.any(String), problem: expect.stringContaining('does not unwrap') }]);
    const { rows } = await sql<{ key_id: string | null; legacy: number; n: number }>`
      SELECT key_id, count(*) FILTER (WHERE data_key IS NOT NULL)::int AS legacy, count(*)::int AS n FROM person_keys GROUP BY key_id ORDER BY key_id`.execute(database.db);
    expect(rows).toEqual([
      { key_id: 'k1', legacy: 0, n: 1 },
      { key_id: 'k2', legacy: 0, n: rotation.rewrapped },
    ]);
    expect(await during.rewrapAll()).toEqual({ rewrapped: 0, failed: rotation.failed });

    const after = new PersonalDataVault(database.db, keys(['k2', k2]));
    expect(await respondentsWith(after).get(organisationId, respondentId)).toMatchObject({ personal: PERSON });
    expect(await events()).toBe(eventsBefore);
  });

  it('is made only with key-encryption keys: a clear start-up error names the variable', () => {
    expect(() => PersonalDataVault.fromConfig(database.db, loadConfig({}))).toThrow(/^DATA_KEY_ENCRYPTION_KEYS: is required/);
    expect(PersonalDataVault.fromConfig(database.db, testConfig())).toBeInstanceOf(PersonalDataVault);
  });
});
