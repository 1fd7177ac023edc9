import { SignJWT } from 'jose';
import { mintLocalToken } from '@maatlat/access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { startPlatform, TEST_INVITATION_SECRET, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

/** Invitation tokens are credentials: refused once revoked or once their respondent is erased, and only with an expiry. */
describe('invitation tokens, checked at the door', () => {
  let platform: TestPlatform;
  let coordinator: Record<string, string>;
  let admin: Record<string, string>;
  let organisationId: string;
  let assessmentId: string;
  const http = () => platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const eventCount = async () => Number((await platform.database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);

  beforeAll(async () => {
    platform = await startPlatform();
    admin = bearer(await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] }));
    await http().post('/v1/model-versions').set(admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(admin).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    organisationId = (await http().post('/v1/organisations').set(admin).send({ name: 'Waterschap Vallei', organisationType: 'water-board', sizeBand: 'medium' }).expect(201)).body.organisationId;
    coordinator = bearer(await mintLocalToken(SECRET, { subject: 'coordinator-wv', roles: ['coordinator'], organisations: [organisationId] }));
    assessmentId = (
      await http()
        .post('/v1/assessments')
        .set(coordinator)
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic', 'tactical'] })
        .expect(201)
    ).body.assessmentId;
  });
  afterAll(() => platform?.stop());

  async function invitedRespondent(layer = 'strategic') {
    const respondentId = (await http().post(`/v1/organisations/${organisationId}/respondents`).set(coordinator).send({ name: 'Rein Respondent', email: 'rein@example.nl' }).expect(201)).body.respondentId as string;
    await http().post(`/v1/assessments/${assessmentId}/invitations`).set(coordinator).send({ respondentId, layer }).expect(201);
    const invitation = (await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set(coordinator).send({ assessmentId, layer }).expect(201)).body;
    return { respondentId, invitationId: invitation.invitationId as string, token: invitation.token as string };
  }
  const answer = (token: string, questionId: string, body: object = { level: 3 }) => http().put(`/v1/assessments/${assessmentId}/answers/${questionId}`).set(bearer(token)).send(body);

  it('refuses a revoked invitation, naming the reason; revoking again changes nothing', async () => {
    const { respondentId, invitationId, token } = await invitedRespondent();
    await answer(token, 'F01-Q1').expect(200);

    const revocation = `/v1/organisations/${organisationId}/respondents/${respondentId}/invitations/${invitationId}/revocation`;
    const revoked = await http().post(revocation).set(coordinator).send({ reason: 'wrong person' }).expect(200);
    expect(revoked.body).toEqual({ respondentId, invitationId, status: 'revoked', revision: 3 });
    expect(revoked.headers.etag).toBe('"3"');

    const refused = await answer(token, 'F01-Q2').expect(401);
    expect(refused.body.detail).toBe('the invitation has been revoked');
    const before = await eventCount();
    await http().post(revocation).set(coordinator).send({}).expect(200);
    expect(await eventCount()).toBe(before);
    const { rows } = await platform.database.pool.query(`SELECT type, metadata->>'reason' AS reason FROM events WHERE stream_id = $1 ORDER BY version`, [`respondent-${respondentId}`]);
    expect(rows).toEqual([
      { type: 'RespondentRegistered', reason: null },
      { type: 'RespondentInvited', reason: null },
      { type: 'InvitationRevoked', reason: 'wrong person' },
    ]);
  });

  it('revokes only what exists, under If-Match, for the coordinator of the organisation', async () => {
    const { respondentId, invitationId } = await invitedRespondent();
    const base = `/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`;
    await http().post(`${base}/0190a4b2-0000-7000-8000-000000000000/revocation`).set(coordinator).send({}).expect(404);
    await http().post(`${base}/${invitationId}/revocation`).set({ ...coordinator, 'If-Match': '"1"' }).send({}).expect(409);
    const other = bearer(await mintLocalToken(SECRET, { subject: 'coordinator-x', roles: ['coordinator'], organisations: ['another-organisation'] }));
    await http().post(`${base}/${invitationId}/revocation`).set(other).send({}).expect(403);
    await http().post(`${base}/${invitationId}/revocation`).set({ ...coordinator, 'If-Match': '"2"' }).send({}).expect(200);
  });

  it('refuses the invitations of an erased respondent, naming the reason', async () => {
    const { respondentId, token } = await invitedRespondent('tactical');
    await answer(token, 'F01-Q1').expect(200);
    await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/erasure`).set(coordinator).send({}).expect(200);
    const refused = await answer(token, 'F01-Q2', { level: 2, justification: 'nog steeds' }).expect(401);
    expect(refused.body.detail).toBe('the respondent has been erased');
    await http().post(`/v1/assessments/${assessmentId}/submit`).set(bearer(token)).expect(401);
  });

  it('answers a justification without a data key with a 422 naming the code, never a 500', async () => {
    const { respondentId, token } = await invitedRespondent();
    await platform.database.pool.query('DELETE FROM person_keys WHERE respondent_id = $1', [respondentId]);
    const before = await eventCount();
    const refused = await answer(token, 'F01-Q1', { level: 4, justification: 'vastgesteld beleid' }).expect(422);
    expect(refused.body.code).toBe('respondent.no-data-key');
    expect(await eventCount()).toBe(before);
    // Without personal data, the answer is taken.
    await answer(token, 'F01-Q1', { level: 4 }).expect(200);
  });

  it('refuses tokens that never expire, and invitation tokens the platform never recorded', async () => {
    const { respondentId, invitationId } = await invitedRespondent();
    const claims = { roles: ['respondent'], organisations: [organisationId], assessment: assessmentId, layer: 'strategic' };
    const sign = (jwt: SignJWT, secret: string) => jwt.setProtectedHeader({ alg: 'HS256' }).setAudience('maatlat').sign(new TextEncoder().encode(secret));

    const endless = await sign(new SignJWT(claims).setSubject(respondentId).setJti(invitationId).setIssuer('maatlat-invitation'), TEST_INVITATION_SECRET);
    expect((await answer(endless, 'F01-Q1').expect(401)).body.detail).toBe('the token has no expiry (exp)');
    const endlessAdmin = await sign(new SignJWT({ roles: ['platform-admin'] }).setSubject('admin').setIssuer('maatlat-local'), SECRET);
    expect((await http().get('/v1/model-versions').set(bearer(endlessAdmin)).expect(401)).body.detail).toBe('the token has no expiry (exp)');

    const unrecorded = await sign(new SignJWT(claims).setSubject(respondentId).setJti('0190a4b2-0000-7000-8000-00000000abcd').setIssuer('maatlat-invitation').setExpirationTime('1h'), TEST_INVITATION_SECRET);
    expect((await answer(unrecorded, 'F01-Q1').expect(401)).body.detail).toBe('the invitation is not known');
    const otherLayer = await sign(new SignJWT({ ...claims, layer: 'tactical' }).setSubject(respondentId).setJti(invitationId).setIssuer('maatlat-invitation').setExpirationTime('1h'), TEST_INVITATION_SECRET);
    expect((await answer(otherLayer, 'F01-Q1').expect(401)).body.detail).toBe('the invitation is not known');
  });

  describe('with two API processes over one database', () => {
    // The answer route checks an invitation on the respondent's stream as its process remembers it,
    // and the answer's append holds only while that stream is unchanged: a revocation or erasure
    // through the other process is refused by the very next answer all the same.
    let other: TestPlatform;
    beforeAll(async () => {
      other = await startPlatform({ databaseUrlFor: () => platform.database.url });
    });
    afterAll(() => other?.stop());
    const answerElsewhere = (token: string, questionId: string, body: object = { level: 3 }, headers: Record<string, string> = {}) =>
      other.http().put(`/v1/assessments/${assessmentId}/answers/${questionId}`).set({ ...bearer(token), ...headers }).send(body);
    const responseEvents = async (respondentId: string) =>
      Number((await platform.database.pool.query('SELECT count(*) AS n FROM events WHERE stream_id = $1', [`response-${assessmentId}:${respondentId}`])).rows[0].n);

    it('refuses the next answer through one process once the invitation was revoked through the other', async () => {
      const { respondentId, invitationId, token } = await invitedRespondent();
      await answerElsewhere(token, 'F01-Q1').expect(200);
      await answerElsewhere(token, 'F01-Q2', { level: 2 }, { 'Idempotency-Key': 'answer-q2' }).expect(200);
      await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations/${invitationId}/revocation`).set(coordinator).send({}).expect(200);

      expect((await answerElsewhere(token, 'F01-Q3').expect(401)).body.detail).toBe('the invitation has been revoked');
      // Refused whatever else the request would have met: a replay, a body that does not validate, an answer given already.
      expect((await answerElsewhere(token, 'F01-Q2', { level: 2 }, { 'Idempotency-Key': 'answer-q2' }).expect(401)).body.detail).toBe('the invitation has been revoked');
      expect((await answerElsewhere(token, 'F01-Q4', { level: 9 }).expect(401)).body.detail).toBe('the invitation has been revoked');
      expect((await answerElsewhere(token, 'F01-Q1', { level: 3 }, { 'If-Match': '"0"' }).expect(401)).body.detail).toBe('the invitation has been revoked');
      expect(await responseEvents(respondentId)).toBe(2);
    });

    it('refuses the next answer through one process once the respondent was erased through the other', async () => {
      const { respondentId, token } = await invitedRespondent('tactical');
      await answerElsewhere(token, 'F01-Q1').expect(200);
      await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/erasure`).set(coordinator).send({}).expect(200);

      expect((await answerElsewhere(token, 'F01-Q2').expect(401)).body.detail).toBe('the respondent has been erased');
      // With personal data, whose key is gone: still the 401, not the 422 of a missing key.
      expect((await answerElsewhere(token, 'F01-Q3', { level: 2, justification: 'nog steeds' }).expect(401)).body.detail).toBe('the respondent has been erased');
      expect(await responseEvents(respondentId)).toBe(1);
    });

    it("keeps answering when the respondent's stream moved for another reason (a second invitation)", async () => {
      const { respondentId, token } = await invitedRespondent();
      await answerElsewhere(token, 'F01-Q1').expect(200);
      await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set(coordinator).send({ assessmentId, layer: 'strategic' }).expect(201);
      await answerElsewhere(token, 'F01-Q2').expect(200);
      await answerElsewhere(token, 'F01-Q3').expect(200);
      expect(await responseEvents(respondentId)).toBe(3);
    });
  });

  describe('check what they name', () => {
    let otherOrganisation: string;
    let otherAssessment: string;
    let otherRespondent: string;

    beforeAll(async () => {
      otherOrganisation = (await http().post('/v1/organisations').set(admin).send({ name: 'Waterschap Elders', organisationType: 'water-board', sizeBand: 'small' }).expect(201)).body.organisationId;
      otherAssessment = (
        await http()
          .post('/v1/assessments')
          .set(admin)
          .send({ organisationId: otherOrganisation, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] })
          .expect(201)
      ).body.assessmentId;
      otherRespondent = (await http().post(`/v1/organisations/${otherOrganisation}/respondents`).set(admin).send({ name: 'Olga Elders', email: 'olga@example.nl' }).expect(201)).body.respondentId;
    });

    it("mints no invitation to another organisation's assessment (403), to none (404), for another organisation's respondent (404), or for a layer not assessed (422)", async () => {
      const { respondentId } = await invitedRespondent();
      const invite = (who: string, body: object) => http().post(`/v1/organisations/${organisationId}/respondents/${who}/invitations`).set(coordinator).send(body);
      const before = await eventCount();
      expect((await invite(respondentId, { assessmentId: otherAssessment, layer: 'strategic' }).expect(403)).body.detail).toBe("the assessment is not one of this organisation's");
      await invite(respondentId, { assessmentId: '0190a4b2-0000-7000-8000-00000000beef', layer: 'strategic' }).expect(404);
      await invite(otherRespondent, { assessmentId, layer: 'strategic' }).expect(404);
      expect((await invite(respondentId, { assessmentId, layer: 'operational' }).expect(422)).body.code).toBe('invitation.layer-not-assessed');
      expect(await eventCount()).toBe(before);
      await invite(respondentId, { assessmentId, layer: 'tactical' }).expect(201);
    });

    it('registers no respondent under an organisation that does not exist (404)', async () => {
      const keyCount = async () => Number((await platform.database.pool.query('SELECT count(*) AS n FROM person_keys')).rows[0].n);
      const [before, keysBefore] = [await eventCount(), await keyCount()];
      for (const id of ['1e309', 'null', 'constructor', '__proto__', '0190a4b2-0000-7000-8000-00000000cafe']) {
        const response = await http().post(`/v1/organisations/${encodeURIComponent(id)}/respondents`).set(admin).send({ name: 'Niemand', email: 'niemand@example.nl' });
        expect({ id, status: response.status }).toEqual({ id, status: id === '__proto__' ? 400 : 404 });
      }
      // A coordinator whose token names an organisation that does not exist fares no better.
      const phantom = bearer(await mintLocalToken(SECRET, { subject: 'c-phantom', roles: ['coordinator'], organisations: ['1e309'] }));
      await http().post('/v1/organisations/1e309/respondents').set(phantom).send({ name: 'Niemand', email: 'niemand@example.nl' }).expect(404);
      expect(await eventCount()).toBe(before);
      expect(await keyCount()).toBe(keysBefore);
    });
  });
});
