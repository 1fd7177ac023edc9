import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { RuleBroken, type CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { Organisations } from '@maatlat/organisations/data-access';
import { assessmentStreamId } from '@maatlat/assessments/domain';
import { respondentStreamId, type PersonalData, type RespondentEvent } from '@maatlat/respondents/domain';
import { PersonalDataVault } from './personal-data-vault';
import { Respondents } from './respondents';
import { respondentsProjection } from './respondents.projection';

let ORGANISATION = '';
const metadata = (actor = 'coordinator-cor'): CommandMetadata => ({ now: new Date('2026-11-30T10:00:00Z'), actor, correlationId: randomUUID() });
const fatima: PersonalData = { name: 'Fatima el Amrani', email: 'f.elamrani@utrecht.example.nl' };
const signer = async () => ({ token: 'signed-invitation', expiresAt: new Date('2026-12-31T00:00:00Z') });

describe('Respondents and the PersonalDataVault, on the event store', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let vault: PersonalDataVault;
  let respondents: Respondents;
  let respondentId: string;
  const eventsOf = (id: string) => store.readStream<RespondentEvent>(respondentStreamId(id));
  /** Every column of every event, as text: where personal data must never be readable. */
  const eventsTableText = async () => (await sql<{ row: string }>`SELECT e::text AS row FROM events e`.execute(database.db)).rows.map((r) => r.row).join('\n');
  const keyOf = (id: string) => database.db.selectFrom('person_keys').select('respondent_id').where('respondent_id', '=', id).execute();

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 6 });
    store = new PostgresEventStore(database.db, database.pool);
    vault = PersonalDataVault.fromConfig(database.db, testConfig());
    respondents = new Respondents(database.db, store, vault);
    // Respondents name what exists: their organisation, and the assessments they are invited to.
    ORGANISATION = (await new Organisations(database.db, store).register({ name: 'Gemeente Utrecht', organisationType: 'municipality', sizeBand: 'large' }, metadata())).organisationId;
    for (const assessmentId of ['assessment-1', 'assessment-2']) {
      await store.append(assessmentStreamId(assessmentId), 0, [
        {
          eventId: randomUUID(),
          type: 'AssessmentOpened',
          data: { assessmentId, organisationId: ORGANISATION, scope: { kind: 'organisation', organisationId: ORGANISATION }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1', contentHash: 'h' }, layers: ['strategic', 'tactical', 'operational'], questionIds: [] },
        },
      ], metadata());
    }
    respondentId = (await respondents.register(ORGANISATION, fatima, metadata())).respondentId;
  });
  afterAll(() => database.drop());

  it('registers a respondent under a pseudonym, with the personal data only sealed in the events', async () => {
    expect(respondentId).toMatch(/^r-[0-9a-f]{16}$/);
    const [registered] = await eventsOf(respondentId);
    expect(registered).toMatchObject({ type: 'RespondentRegistered', data: { respondentId, organisationId: ORGANISATION, personal: { alg: 'A256GCM' } }, metadata: { tenantId: ORGANISATION } });

    const text = await eventsTableText();
    expect(text).toContain(respondentId);
    for (const plain of [fatima.name, fatima.email, 'Fatima', 'elamrani']) expect(text).not.toContain(plain);

    expect(await keyOf(respondentId)).toHaveLength(1);
    if (registered.type !== 'RespondentRegistered') throw new Error('the stream starts with the registration');
    expect(await vault.open(respondentId, registered.data.personal)).toEqual(fatima);
  });

  it('binds sealed data to its person: another respondent key cannot open it', async () => {
    const other = (await respondents.register(ORGANISATION, { name: 'Jan de Vries', email: 'jan@utrecht.example.nl' }, metadata())).respondentId;
    const sealed = await vault.seal(respondentId, { justification: 'alleen voor Fatima' });
    await expect(vault.open(other, sealed)).rejects.toThrow(/authenticate/);
  });

  it('shows the decrypted personal data to its organisation only', async () => {
    expect(await respondents.get(ORGANISATION, respondentId)).toEqual({ respondentId, organisationId: ORGANISATION, status: 'active', personal: fatima, revision: 1 });
    await expect(respondents.get('gemeente-zwolle', respondentId)).rejects.toMatchObject({ code: 'respondent.not-found' });
  });

  it('exports everything held about the person, decrypted, with the events that recorded it', async () => {
    const invitation = await respondents.invite(ORGANISATION, respondentId, { assessmentId: 'assessment-1', layer: 'tactical' }, signer, metadata());
    expect(invitation).toMatchObject({ token: 'signed-invitation', expiresAt: '2026-12-31T00:00:00.000Z' });

    const exported = await respondents.accessExport(ORGANISATION, respondentId);
    expect(exported).toMatchObject({ legalBasis: 'AVG art. 15', respondent: { respondentId, status: 'active', personal: fatima } });
    expect(exported.events).toEqual([
      { type: 'RespondentRegistered', version: 1, recordedAt: expect.any(String), actor: 'coordinator-cor', personal: fatima },
      { type: 'RespondentInvited', version: 2, recordedAt: expect.any(String), actor: 'coordinator-cor', personal: undefined },
    ]);
  });

  it('erases by destroying the key: the events stay, the personal data is gone for good', async () => {
    const before = await eventsOf(respondentId);
    expect(await respondents.erase(ORGANISATION, respondentId, metadata())).toEqual({ respondentId, organisationId: ORGANISATION, status: 'erased', personal: null, revision: 3 });

    expect(await keyOf(respondentId)).toEqual([]);
    const after = await eventsOf(respondentId);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length)).toMatchObject([
      { version: 3, type: 'RespondentErased', data: { respondentId, legalBasis: 'AVG art. 17' }, metadata: { reason: 'erasure request (AVG art. 17)', tenantId: ORGANISATION } },
    ]);
    const [registered] = after;
    if (registered.type !== 'RespondentRegistered') throw new Error('the stream starts with the registration');
    expect(await vault.open(respondentId, registered.data.personal)).toBeNull();

    expect(await respondents.get(ORGANISATION, respondentId)).toEqual({ respondentId, organisationId: ORGANISATION, status: 'erased', personal: null, revision: 3 });
    expect((await respondents.accessExport(ORGANISATION, respondentId)).events.map((e) => [e.type, e.personal])).toEqual([
      ['RespondentRegistered', null],
      ['RespondentInvited', undefined],
      ['RespondentErased', undefined],
    ]);
  });

  it('refuses to invite an erased respondent, and erasing again records nothing', async () => {
    await expect(respondents.invite(ORGANISATION, respondentId, { assessmentId: 'assessment-2', layer: 'strategic' }, signer, metadata())).rejects.toBeInstanceOf(RuleBroken);
    await respondents.erase(ORGANISATION, respondentId, metadata());
    expect(await eventsOf(respondentId)).toHaveLength(3);
  });

  it('lists the organisation respondents from the read model, the erased one without personal data', async () => {
    await new ProjectionRunner(database.db, database.pool, store, [respondentsProjection]).catchUp();
    expect(await respondents.list(ORGANISATION)).toEqual([
      { respondentId, organisationId: ORGANISATION, status: 'erased', personal: null, revision: 3 },
      { respondentId: expect.stringMatching(/^r-/), organisationId: ORGANISATION, status: 'active', personal: { name: 'Jan de Vries', email: 'jan@utrecht.example.nl' }, revision: 1 },
    ]);
    expect(await respondents.list('gemeente-zwolle')).toEqual([]);
  });
});
