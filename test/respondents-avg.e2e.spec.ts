import { sql } from 'kysely';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { decodeJwt } from 'jose';
import { FAILED_AUTH_LIMIT, mintLocalToken } from '@maatlat/access';
import { verifyEventStore } from '@maatlat/shared/event-store';
import { eventually, type TestDatabase } from '@maatlat/shared/testing';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

const PERSON = { name: 'Jantine van der Meulen-Oosterhuis', email: 'jantine.vdmeulen@example.nl' };

describe('respondents and the AVG: access export and erasure by crypto-shredding', () => {
  let platform: TestPlatform;
  let database: TestDatabase;
  let organisationId: string;
  let coordinator: string;
  const logLines: string[] = [];
  const http = () => platform.http();

  /** Every row of every table of the database, as text. */
  async function everything(): Promise<string> {
    const { rows: tables } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(database.db);
    let text = '';
    for (const { table_name } of tables) {
      const { rows } = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(table_name)} t`.execute(database.db);
      text += rows.map((r) => r.row).join('\n');
    }
    return text;
  }

  beforeAll(async () => {
    // The API's own log lines, read back: they must never carry personal data either.
    const logDestination = { write: (line: string) => void logLines.push(line) };
    platform = await startPlatform({ worker: true, env: { LOG_LEVEL: 'debug' }, logDestination });
    database = platform.database;
    const admin = `Bearer ${await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] })}`;
    organisationId = (await http().post('/v1/organisations').set('Authorization', admin).send({ name: 'Belastingdienst', organisationType: 'executive-agency', sizeBand: 'very-large' }).expect(201)).body.organisationId;
    coordinator = `Bearer ${await mintLocalToken(SECRET, { subject: 'coordinator-bd', roles: ['coordinator'], organisations: [organisationId] })}`;
  });
  afterAll(() => platform?.stop());

  it('keeps personal data only sealed, exports it on request, and makes it unreadable everywhere on erasure while verify still passes', async () => {
    const registered = await http().post(`/v1/organisations/${organisationId}/respondents`).set('Authorization', coordinator).send(PERSON).expect(201);
    const respondentId = registered.body.respondentId as string;
    expect(respondentId).toMatch(/^r-[0-9a-f]{16}$/);
    expect(registered.body.personal).toEqual(PERSON);

    // Never in plain form in the events or any other table.
    const stored = await everything();
    expect(stored).not.toContain(PERSON.name);
    expect(stored).not.toContain(PERSON.email);
    const { rows: events } = await database.pool.query(`SELECT data FROM events WHERE stream_id = $1`, [`respondent-${respondentId}`]);
    expect(events[0].data.personal).toMatchObject({ alg: 'A256GCM' });

    const exported = await http().get(`/v1/organisations/${organisationId}/respondents/${respondentId}/access-export`).set('Authorization', coordinator).expect(200);
    expect(exported.body).toMatchObject({ legalBasis: 'AVG art. 15', respondent: { respondentId, status: 'active', personal: PERSON } });
    expect(exported.body.events).toEqual([expect.objectContaining({ type: 'RespondentRegistered', actor: 'coordinator-bd', personal: PERSON })]);

    const erased = await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/erasure`).set('Authorization', coordinator).send({ reason: 'verzoek betrokkene' }).expect(200);
    expect(erased.body).toEqual({ respondentId, organisationId, status: 'erased', personal: null, revision: 2 });

    await eventually(async () => {
      const { rows } = await database.pool.query(`SELECT status FROM respondents WHERE respondent_id = $1`, [respondentId]);
      expect(rows).toEqual([{ status: 'erased' }]);
    });
    const responses = [
      await http().get(`/v1/organisations/${organisationId}/respondents`).set('Authorization', coordinator).expect(200),
      await http().get(`/v1/organisations/${organisationId}/respondents/${respondentId}`).set('Authorization', coordinator).expect(200),
      await http().get(`/v1/organisations/${organisationId}/respondents/${respondentId}/access-export`).set('Authorization', coordinator).expect(200),
    ];
    for (const response of responses) {
      expect(response.text).not.toContain(PERSON.name);
      expect(response.text).not.toContain(PERSON.email);
    }
    expect(responses[1].body).toEqual({ respondentId, organisationId, status: 'erased', personal: null, revision: 2 });
    const afterwards = await everything();
    expect(afterwards).not.toContain(PERSON.name);
    expect(afterwards).not.toContain(PERSON.email);
    const { rows: keys } = await database.pool.query(`SELECT 1 FROM person_keys WHERE respondent_id = $1`, [respondentId]);
    expect(keys).toEqual([]);

    // The events stay, immutable and verifiable.
    const { rows: timeline } = await database.pool.query(`SELECT type, metadata->>'reason' AS reason FROM events WHERE stream_id = $1 ORDER BY version`, [`respondent-${respondentId}`]);
    expect(timeline).toEqual([
      { type: 'RespondentRegistered', reason: null },
      { type: 'RespondentErased', reason: 'verzoek betrokkene' },
    ]);
    expect((await verifyEventStore(database.db)).ok).toBe(true);

    const logs = logLines.join('');
    expect(logs).toContain(`/v1/organisations/${organisationId}/respondents/${respondentId}/erasure`);
    expect(logs).not.toContain(PERSON.name);
    expect(logs).not.toContain(PERSON.email);
  });

  it('does not let an auditor or another organisation near personal data', async () => {
    const auditor = `Bearer ${await mintLocalToken(SECRET, { subject: 'auditor-1', roles: ['auditor'], organisations: [organisationId] })}`;
    await http().get(`/v1/organisations/${organisationId}/respondents`).set('Authorization', auditor).expect(403);
    const other = `Bearer ${await mintLocalToken(SECRET, { subject: 'c-2', roles: ['coordinator'], organisations: ['another-org'] })}`;
    await http().get(`/v1/organisations/${organisationId}/respondents`).set('Authorization', other).expect(403);
  });

  it('invites a respondent with a token that reaches one assessment only', async () => {
    const admin = `Bearer ${await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] })}`;
    await http().post('/v1/model-versions').set('Authorization', admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set('Authorization', admin).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    const assessmentId = (
      await http()
        .post('/v1/assessments')
        .set('Authorization', coordinator)
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['operational'] })
        .expect(201)
    ).body.assessmentId;
    const respondentId = (await http().post(`/v1/organisations/${organisationId}/respondents`).set('Authorization', coordinator).send({ name: 'Piet Respondent', email: 'piet@example.nl' }).expect(201)).body.respondentId;
    const invited = await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set('Authorization', coordinator).send({ assessmentId, layer: 'operational' }).expect(201);
    expect(invited.body).toMatchObject({ invitationId: expect.any(String), token: expect.any(String), expiresAt: expect.any(String) });
    expect(decodeJwt(invited.body.token)).toMatchObject({ sub: respondentId, jti: invited.body.invitationId, roles: ['respondent'], organisations: [organisationId], assessment: assessmentId, layer: 'operational' });
    // Nothing outside that assessment opens for it, not even its own organisation's data.
    const refused = await http().get(`/v1/organisations/${organisationId}/respondents`).set('Authorization', `Bearer ${invited.body.token}`).expect(403);
    expect(refused.body.detail).toBe('this invitation is for another assessment');
    await http().get('/v1/model-versions').set('Authorization', `Bearer ${invited.body.token}`).expect(403);
    const { rows } = await database.pool.query(`SELECT type, data->>'layer' AS layer FROM events WHERE stream_id = $1 ORDER BY version`, [`respondent-${respondentId}`]);
    expect(rows).toEqual([{ type: 'RespondentRegistered', layer: null }, { type: 'RespondentInvited', layer: 'operational' }]);
    expect(JSON.stringify(rows)).not.toContain(invited.body.token);
  });

  it('slows down token guessing: after too many failed attempts an address must wait (429), while valid tokens from it still get in', async () => {
    // The limiter counts per minute-long window: start well inside one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
    const statuses: number[] = [];
    for (let i = 0; i < FAILED_AUTH_LIMIT + 3; i++) {
      statuses.push((await http().get('/v1/model-versions').set('Authorization', `Bearer guess.${i}.token`)).status);
    }
    expect(statuses.slice(0, FAILED_AUTH_LIMIT)).toEqual(Array(FAILED_AUTH_LIMIT).fill(401));
    expect(statuses.slice(FAILED_AUTH_LIMIT)).toEqual([429, 429, 429]);
    // A valid token from the same address still gets in: behind a proxy or NAT, one attacker must
    // not lock out a whole municipality. Only failures wait.
    await http().get('/v1/model-versions').set('Authorization', coordinator).expect(200);
    await http().get('/v1/model-versions').set('Authorization', 'Bearer one.more.guess').expect(429);
  });
});
