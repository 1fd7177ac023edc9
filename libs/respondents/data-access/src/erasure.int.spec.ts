import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { Organisations } from '@maatlat/organisations/data-access';
import { respondentStreamId } from '@maatlat/respondents/domain';
import { PersonalDataVault } from './personal-data-vault';
import { Respondents } from './respondents';
import { respondentsProjection } from './respondents.projection';

const PERSON = { name: 'Wilhelmina Schrap', email: 'w.schrap@example.nl' };
const meta = (): CommandMetadata => ({ now: new Date(), actor: 'coordinator-1', correlationId: randomUUID() });

/** A vault whose next `destroyKey` fails, as when the process dies between recording and shredding. */
class VaultThatFailsToDestroyOnce extends PersonalDataVault {
  failNext = false;
  override async destroyKey(respondentId: string): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('connection lost while destroying the key');
    }
    return super.destroyKey(respondentId);
  }
}

/** A store whose next append fails, after everything before it has run. */
class StoreThatFailsToAppendOnce extends PostgresEventStore {
  failNext = false;
  override async append(...args: Parameters<PostgresEventStore['append']>) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('connection lost while appending');
    }
    return super.append(...args);
  }
}

describe('erasure in every order of failure', () => {
  let database: TestDatabase;
  let store: StoreThatFailsToAppendOnce;
  let vault: VaultThatFailsToDestroyOnce;
  let respondents: Respondents;
  let organisationId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new StoreThatFailsToAppendOnce(database.db, database.pool);
    vault = new VaultThatFailsToDestroyOnce(database.db, testConfig().dataKeyEncryption!);
    respondents = new Respondents(database.db, store, vault);
    organisationId = (await new Organisations(database.db, store).register({ name: 'Gemeente Wis', organisationType: 'municipality', sizeBand: 'small' }, meta())).organisationId;
  });
  afterAll(() => database?.drop());

  const keyExists = async (respondentId: string) =>
    (await database.db.selectFrom('person_keys').select('respondent_id').where('respondent_id', '=', respondentId).execute()).length === 1;
  const eventTypes = async (respondentId: string) => (await store.readStream(respondentStreamId(respondentId))).map((e) => e.type);
  const catchUpProjection = () => new ProjectionRunner(database.db, database.pool, store, [respondentsProjection]).catchUp();

  it('when the key cannot be destroyed, the erasure is on record, the data unreadable, and the projection destroys the key', async () => {
    const { respondentId } = await respondents.register(organisationId, PERSON, meta());
    vault.failNext = true;
    await expect(respondents.erase(organisationId, respondentId, meta())).rejects.toThrow('connection lost');

    expect(await eventTypes(respondentId)).toEqual(['RespondentRegistered', 'RespondentErased']);
    expect(await keyExists(respondentId)).toBe(true);
    // Shown erased, and nothing is opened while the key outlives the erasure.
    expect(await respondents.get(organisationId, respondentId)).toMatchObject({ status: 'erased', personal: null });
    const exported = await respondents.accessExport(organisationId, respondentId);
    expect(exported.events.map((e) => e.personal ?? null)).toEqual([null, null]);

    await catchUpProjection();
    expect(await keyExists(respondentId)).toBe(false);
    const { rows } = await database.pool.query('SELECT status FROM respondents WHERE respondent_id = $1', [respondentId]);
    expect(rows).toEqual([{ status: 'erased' }]);
  });

  it('a retried erasure finishes the shredding, whatever revision it names, and records nothing twice', async () => {
    const { respondentId, revision } = await respondents.register(organisationId, PERSON, meta());
    vault.failNext = true;
    await expect(respondents.erase(organisationId, respondentId, meta(), revision)).rejects.toThrow('connection lost');
    expect(await keyExists(respondentId)).toBe(true);

    // The same request again (its If-Match now stale), and a new one.
    expect(await respondents.erase(organisationId, respondentId, meta(), revision)).toEqual({ respondentId, organisationId, status: 'erased', personal: null, revision: 2 });
    expect(await keyExists(respondentId)).toBe(false);
    expect(await respondents.erase(organisationId, respondentId, meta())).toMatchObject({ status: 'erased', revision: 2 });
    expect(await eventTypes(respondentId)).toEqual(['RespondentRegistered', 'RespondentErased']);
  });

  it('when the erasure cannot be recorded, nothing is lost: the key and the data stay, and a retry erases', async () => {
    const { respondentId } = await respondents.register(organisationId, PERSON, meta());
    store.failNext = true;
    await expect(respondents.erase(organisationId, respondentId, meta())).rejects.toThrow('connection lost');

    expect(await eventTypes(respondentId)).toEqual(['RespondentRegistered']);
    expect(await keyExists(respondentId)).toBe(true);
    expect(await respondents.get(organisationId, respondentId)).toMatchObject({ status: 'active', personal: PERSON });

    await respondents.erase(organisationId, respondentId, meta());
    expect(await eventTypes(respondentId)).toEqual(['RespondentRegistered', 'RespondentErased']);
    expect(await keyExists(respondentId)).toBe(false);
    expect(await respondents.get(organisationId, respondentId)).toMatchObject({ status: 'erased', personal: null });
  });

  it('a stale If-Match on an active respondent is still a conflict, and erases nothing', async () => {
    const { respondentId } = await respondents.register(organisationId, PERSON, meta());
    await expect(respondents.erase(organisationId, respondentId, meta(), 7)).rejects.toMatchObject({ name: 'WrongExpectedVersion' });
    expect(await keyExists(respondentId)).toBe(true);
    expect(await eventTypes(respondentId)).toEqual(['RespondentRegistered']);
  });
});
