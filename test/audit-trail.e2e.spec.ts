import { createHash, randomUUID } from 'node:crypto';
import { mintLocalToken } from '@maatlat/access';
import { eventually } from '@maatlat/shared/testing';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

interface TimelineEvent {
  streamId: string;
  version: number;
  eventId: string;
  hash: string;
  previousHash: string;
  contentHash: string;
  position: number;
  type: string;
  recordedAt: string;
  actor: string;
  reason: string | null;
  correlationId: string;
  questionId?: string;
  answer?: { level: number } | { dontKnow: true };
}

interface ScoreEvent {
  version: number;
  eventId: string;
  hash: string;
  type: string;
  recordedAt: string;
  algorithm: string;
  model: { key: string; version: string; contentHash: string };
  answersUpToVersion: number;
  responses: { streamId: string; version: number; hash: string }[] | null;
  recalculationId: string | null;
  cause: { kind: string };
  overall: { score: number | null; stage: number | null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX_HASH = /^[0-9a-f]{64}$/;

/** A link of the hash chain as the event store README defines it, recomputed from what the timeline prints. */
function link(previousHash: string, contentHash: string, version: number, recordedAt: string): string {
  const numbers = Buffer.alloc(16);
  numbers.writeBigInt64BE(BigInt(version), 0);
  numbers.writeBigInt64BE(BigInt(new Date(recordedAt).getTime()), 8);
  return createHash('sha256').update(Buffer.from(previousHash, 'hex')).update(Buffer.from(contentHash, 'hex')).update(numbers).digest('hex');
}

describe('an audit trail an auditor can check by hand', () => {
  let platform: TestPlatform;
  let admin: string;
  let coordinator: string;
  let auditor: string;
  let organisationId: string;
  let assessmentId: string;
  const moments: Record<'beforeRevisions' | 'afterClose', string> = { beforeRevisions: '', afterClose: '' };
  let closingScore: { overall: { score: number; stage: number }; model: { version: string } };
  const respondents: Record<string, { respondentId: string; token: string }> = {};
  const http = () => platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

  async function respondentFor(assessment: string, layer: string, tokenLayer = layer) {
    const respondentId = (await http().post(`/v1/organisations/${organisationId}/respondents`).set(bearer(coordinator)).send({ name: `Respondent ${layer}`, email: `${layer}-${randomUUID().slice(0, 6)}@example.nl` }).expect(201))
      .body.respondentId as string;
    await http().post(`/v1/assessments/${assessment}/invitations`).set(bearer(coordinator)).send({ respondentId, layer }).expect(201);
    const { token } = (await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set(bearer(coordinator)).send({ assessmentId: assessment, layer: tokenLayer }).expect(201)).body;
    return { respondentId, token: token as string };
  }

  const answer = (who: { token: string }, questionId: string, body: object, assessment = assessmentId) =>
    http().put(`/v1/assessments/${assessment}/answers/${questionId}`).set(bearer(who.token)).send(body).expect(200);
  const timeline = async (id = assessmentId) => (await http().get(`/v1/assessments/${id}/events`).set(bearer(auditor)).expect(200)).body as TimelineEvent[];
  const scoreEvents = async () => (await http().get(`/v1/assessments/${assessmentId}/score-events`).set(bearer(auditor)).expect(200)).body as ScoreEvent[];

  beforeAll(async () => {
    platform = await startPlatform({ worker: true, maxConnections: 30, env: { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '20' } });
    admin = await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] });
    await http().post('/v1/model-versions').set(bearer(admin)).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(bearer(admin)).send({ legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01' }).expect(200);
    organisationId = (await http().post('/v1/organisations').set(bearer(admin)).send({ name: 'Algemene Rekenkamer', organisationType: 'inspectorate-or-regulator', sizeBand: 'medium' }).expect(201)).body.organisationId;
    coordinator = await mintLocalToken(SECRET, { subject: 'coordinator-ar', roles: ['coordinator'], organisations: [organisationId] });
    auditor = await mintLocalToken(SECRET, { subject: 'auditor-adr', roles: ['auditor'], organisations: [organisationId] });

    // Two respondents per layer; "don't know"s; revisions after `beforeRevisions`; closed.
    assessmentId = (
      await http()
        .post('/v1/assessments')
        .set(bearer(coordinator))
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic', 'tactical', 'operational'] })
        .expect(201)
    ).body.assessmentId;
    for (const layer of ['strategic', 'tactical', 'operational']) {
      for (const n of [1, 2]) respondents[`${layer}${n}`] = await respondentFor(assessmentId, layer);
    }
    const levels: Record<string, (number | null)[]> = {
      strategic1: [4, 3, null, 5],
      strategic2: [5, 3, 2, 4],
      tactical1: [3, null, 2, 3],
      tactical2: [2, 2, 1, 3],
      operational1: [1, 2, 2, null],
      operational2: [2, 1, 0, 2],
    };
    for (const [who, given] of Object.entries(levels)) {
      for (const [i, questionId] of ['F01-Q1', 'F01-Q2', 'F07-Q1', 'F07-Q3'].entries()) {
        await answer(respondents[who], questionId, given[i] === null ? { dontKnow: true } : { level: given[i] });
      }
    }
    await pause();
    moments.beforeRevisions = new Date().toISOString();
    await pause();
    await answer(respondents.strategic1, 'F01-Q1', { level: 2 });
    await answer(respondents.tactical1, 'F01-Q2', { level: 4 });
    await answer(respondents.operational2, 'F01-Q1', { dontKnow: true });
    closingScore = (await http().post(`/v1/assessments/${assessmentId}/close`).set(bearer(coordinator)).expect(200)).body.score;
    await pause();
    moments.afterClose = new Date().toISOString();
    await pause();

    // The law changes: 2027.1 with its crosswalk; the worker rescores the closed assessment.
    await http().post('/v1/model-versions').set(bearer(admin)).send({ document: SHIPPED_MODELS['2027.1'] }).expect(201);
    await http().put('/v1/model-versions/datagedreven-overheid/2027.1/crosswalk').set(bearer(admin)).send({ crosswalk: SHIPPED_CROSSWALKS['2026.1->2027.1'] }).expect(200);
    await http().post('/v1/model-versions/datagedreven-overheid/2027.1/publish').set(bearer(admin)).send({ legalBasis: 'AI-verordening', effectiveFrom: '2027-01-01' }).expect(200);
    await eventually(async () => expect((await http().get('/v1/recalculations').set(bearer(admin)).expect(200)).body).toEqual([expect.objectContaining({ total: 1, done: 1, failed: 0 })]), {
      timeoutMs: 20_000,
    });
  });
  afterAll(() => platform?.stop());

  it('gives every event of the timeline its stream, id and hash-chain links, so each link can be recomputed', async () => {
    const events = await timeline();
    // The assessment's own stream and a response stream per respondent, in the order they were appended.
    expect(events.map((e) => e.position)).toEqual([...events.map((e) => e.position)].sort((a, b) => a - b));
    expect(events.map((e) => e.type).slice(-2)).toEqual(['ScoreCalculated', 'ScoreRecalculated']);
    const streams = new Map<string, TimelineEvent[]>();
    for (const event of events) streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
    expect([...streams.keys()].sort()).toEqual(
      [`assessment-${assessmentId}`, ...Object.values(respondents).map((r) => `response-${assessmentId}:${r.respondentId}`)].sort(),
    );
    expect(streams.get(`assessment-${assessmentId}`)!.map((e) => e.type)).not.toContain('AnswerRecorded');
    for (const [streamId, chain] of streams) {
      expect(chain.map((e) => e.version)).toEqual(chain.map((_, i) => i + 1));
      expect(chain[0].previousHash).toBe(createHash('sha256').update(`maatlat:${streamId}`).digest('hex'));
      chain.forEach((event, i) => {
        expect(event).toMatchObject({ eventId: expect.stringMatching(UUID), hash: expect.stringMatching(HEX_HASH), contentHash: expect.stringMatching(HEX_HASH), correlationId: expect.any(String) });
        if (i > 0) expect(event.previousHash).toBe(chain[i - 1].hash);
        expect({ version: event.version, link: link(event.previousHash, event.contentHash, event.version, event.recordedAt) }).toEqual({ version: event.version, link: event.hash });
      });
    }
    const revised = events.filter((e) => e.type === 'AnswerRevised');
    expect(revised.map((e) => [e.actor, e.questionId, e.answer])).toEqual([
      [respondents.strategic1.respondentId, 'F01-Q1', { level: 2 }],
      [respondents.tactical1.respondentId, 'F01-Q2', { level: 4 }],
      [respondents.operational2.respondentId, 'F01-Q1', { dontKnow: true }],
    ]);
    expect(events.find((e) => e.type === 'ScoreRecalculated')!.actor).toBe('system:recalculation');
  });

  it('lets every event an explanation cites be matched to the timeline by stream, version, event id and hash', async () => {
    const own = `assessment-${assessmentId}`;
    const byPlace = new Map((await timeline()).map((e) => [`${e.streamId}#${e.version}`, e]));
    for (const [path, scoreType] of [
      ['scores/explain', 'ScoreRecalculated'],
      ['scores/explain?scoreEvent=' + (await scoreEvents())[0].eventId, 'ScoreCalculated'],
    ]) {
      const explained = (await http().get(`/v1/assessments/${assessmentId}/${path}`).set(bearer(auditor)).expect(200)).body;
      expect(byPlace.get(`${own}#${explained.scoreEvent.version}`)).toMatchObject({ eventId: explained.scoreEvent.eventId, hash: explained.scoreEvent.hash, type: scoreType });
      const cited = explained.factors.flatMap((f: { layers: { questions: { answers: { streamId: string; streamVersion: number; eventId: string; hash: string; answer: unknown }[] }[] }[] }) =>
        f.layers.flatMap((l) => l.questions.flatMap((q) => q.answers)),
      );
      expect(cited.length).toBeGreaterThan(20);
      for (const source of cited) {
        expect(source.streamId).toMatch(new RegExp(`^response-${assessmentId}:`));
        const event = byPlace.get(`${source.streamId}#${source.streamVersion}`)!;
        expect({ eventId: event.eventId, hash: event.hash, answer: event.answer, type: event.type }).toEqual({
          eventId: source.eventId,
          hash: source.hash,
          answer: source.answer,
          type: expect.stringMatching(/^Answer(Recorded|Revised)$/),
        });
      }
    }
  });

  it('lists every recorded score with its event, algorithm, model version, cause, the response streams it read and overall score', async () => {
    const [closing, recalculated] = await scoreEvents();
    // The response streams it read, each where it ended: nothing was appended to one after the close.
    const ends = new Map<string, TimelineEvent>();
    for (const event of await timeline()) if (event.streamId.startsWith('response-')) ends.set(event.streamId, event);
    const read = [...ends.values()].map((e) => ({ streamId: e.streamId, version: e.version, hash: e.hash })).sort((a, b) => (a.streamId < b.streamId ? -1 : 1));
    expect(read).toHaveLength(6);
    const recalculation = (await http().get('/v1/recalculations').set(bearer(admin)).expect(200)).body[0];
    expect(closing).toEqual({
      version: expect.any(Number),
      eventId: expect.stringMatching(UUID),
      hash: expect.stringMatching(HEX_HASH),
      type: 'ScoreCalculated',
      recordedAt: expect.any(String),
      algorithm: 'maatlat-scoring/v1',
      model: { key: 'datagedreven-overheid', version: '2026.1', contentHash: expect.stringMatching(/^[0-9a-f]+$/) },
      answersUpToVersion: closing.version - 2,
      responses: read,
      recalculationId: null,
      cause: { kind: 'assessment-closed' },
      overall: { score: closingScore.overall.score, stage: closingScore.overall.stage },
    });
    expect(recalculated).toMatchObject({
      version: closing.version + 1,
      responses: read,
      type: 'ScoreRecalculated',
      model: { version: '2027.1' },
      recalculationId: recalculation.recalculationId,
      cause: { kind: 'model-published', from: 'datagedreven-overheid@2026.1', to: 'datagedreven-overheid@2027.1' },
    });
    const latest = (await http().get(`/v1/assessments/${assessmentId}/scores`).set(bearer(auditor)).expect(200)).body;
    expect(recalculated.overall).toEqual({ score: latest.overall.score, stage: latest.overall.stage });
  });

  it('explains, verifies and shows any recorded score by stream version or event id, not only the latest', async () => {
    const [closing, recalculated] = await scoreEvents();
    // F07 was split in 2027.1: only the closing score has it.
    await http().get(`/v1/assessments/${assessmentId}/scores/explain?factor=F07`).set(bearer(auditor)).expect(404);
    const byVersion = (await http().get(`/v1/assessments/${assessmentId}/scores/explain?factor=F07&scoreEvent=${closing.version}`).set(bearer(auditor)).expect(200)).body;
    const byEventId = (await http().get(`/v1/assessments/${assessmentId}/scores/explain?factor=F07&scoreEvent=${closing.eventId}`).set(bearer(auditor)).expect(200)).body;
    expect(byEventId).toEqual(byVersion);
    expect(byVersion).toMatchObject({ factorId: 'F07', model: { version: '2026.1' }, scoreEvent: { version: closing.version, eventId: closing.eventId, hash: closing.hash, type: 'ScoreCalculated' } });
    const overallThen = (await http().get(`/v1/assessments/${assessmentId}/scores/explain?scoreEvent=${closing.version}`).set(bearer(auditor)).expect(200)).body;
    expect(overallThen.overall).toBe(closingScore.overall.score);
    expect((await http().get(`/v1/assessments/${assessmentId}/scores/explain`).set(bearer(auditor)).expect(200)).body.scoreEvent.version).toBe(recalculated.version);

    expect((await http().get(`/v1/assessments/${assessmentId}/scores?scoreEvent=${closing.eventId}`).set(bearer(auditor)).expect(200)).body).toEqual(closingScore);
    expect((await http().get(`/v1/assessments/${assessmentId}/scores?scoreEvent=${recalculated.version}`).set(bearer(auditor)).expect(200)).body.model.version).toBe('2027.1');

    const one = (await http().post(`/v1/assessments/${assessmentId}/verify?scoreEvent=${closing.eventId}`).set(bearer(auditor)).expect(200)).body;
    expect(one).toMatchObject({ assessmentId, scoreEvent: { version: closing.version, eventId: closing.eventId, type: 'ScoreCalculated' }, status: 'verified', scoresChecked: 1, differences: [], hashChain: { ok: true } });
    const whole = (await http().post(`/v1/assessments/${assessmentId}/verify`).set(bearer(auditor)).expect(200)).body;
    expect(whole).toMatchObject({ status: 'verified', scoresChecked: 2 });
    expect(whole).not.toHaveProperty('scoreEvent');
  });

  it('answers an unknown score event with 404 naming it, and a malformed one with 400 naming the parameter', async () => {
    const unknownId = randomUUID();
    for (const route of ['scores', 'scores/explain', 'verify']) {
      const get = (query: string) =>
        route === 'verify' ? http().post(`/v1/assessments/${assessmentId}/verify?${query}`).set(bearer(auditor)) : http().get(`/v1/assessments/${assessmentId}/${route}?${query}`).set(bearer(auditor));
      // Version 1 exists, but it is the opening, not a score.
      expect((await get('scoreEvent=1').expect(404)).body).toMatchObject({ code: 'score-event.not-found', detail: 'score-event 1 was not found' });
      expect((await get(`scoreEvent=${unknownId}`).expect(404)).body.detail).toBe(`score-event ${unknownId} was not found`);
      for (const malformed of ['abc', '0', '-3', '1.5', 'latest']) {
        expect((await get(`scoreEvent=${malformed}`).expect(400)).body.detail).toMatch(/^scoreEvent: must be the stream version of a score event/);
      }
    }
  });

  it('shows the assessment as it stood: the answers that counted then, from which events, and the score then', async () => {
    const events = await timeline();
    const [closing, recalculated] = await scoreEvents();
    type Counted = { questionId: string; layer: string; respondentId: string; answer: unknown; source: { streamId: string; streamVersion: number; eventId: string; hash: string } };
    const asOf = async (moment?: string) => (await http().get(`/v1/assessments/${assessmentId}${moment ? `?asOf=${moment}` : ''}`).set(bearer(auditor)).expect(200)).body;
    const valueOf = (counted: Counted[], who: string, questionId: string) => counted.find((a) => a.respondentId === respondents[who].respondentId && a.questionId === questionId);

    const before = await asOf(moments.beforeRevisions);
    expect(before).toMatchObject({ status: 'open', answers: 24, score: null, scoreEvent: null, asOf: moments.beforeRevisions });
    expect(before.countedAnswers).toHaveLength(24);
    expect(valueOf(before.countedAnswers, 'strategic1', 'F01-Q1')).toMatchObject({ layer: 'strategic', answer: { level: 4 } });
    expect(valueOf(before.countedAnswers, 'tactical1', 'F01-Q2')).toMatchObject({ layer: 'tactical', answer: { dontKnow: true } });
    expect(valueOf(before.countedAnswers, 'operational2', 'F01-Q1')).toMatchObject({ layer: 'operational', answer: { level: 2 } });
    // Each counted answer comes from an answer event of the timeline, which says the same.
    for (const counted of before.countedAnswers as Counted[]) {
      const event = events.find((e) => e.streamId === counted.source.streamId && e.version === counted.source.streamVersion)!;
      expect({ eventId: event.eventId, hash: event.hash, actor: event.actor, questionId: event.questionId, answer: event.answer }).toEqual({
        eventId: counted.source.eventId,
        hash: counted.source.hash,
        actor: counted.respondentId,
        questionId: counted.questionId,
        answer: counted.answer,
      });
    }

    const afterClose = await asOf(moments.afterClose);
    expect(afterClose).toMatchObject({ status: 'closed', answers: 24, score: closingScore, scoreEvent: { version: closing.version, eventId: closing.eventId, hash: closing.hash, type: 'ScoreCalculated' } });
    expect(afterClose.countedAnswers).toHaveLength(24);
    expect(valueOf(afterClose.countedAnswers, 'strategic1', 'F01-Q1')).toMatchObject({ answer: { level: 2 }, source: { eventId: events.find((e) => e.type === 'AnswerRevised')!.eventId } });
    expect(valueOf(afterClose.countedAnswers, 'operational2', 'F01-Q1')).toMatchObject({ answer: { dontKnow: true } });

    const now = await asOf();
    expect(now).toMatchObject({ asOf: null, scoreEvent: { version: recalculated.version, type: 'ScoreRecalculated' }, score: { model: { version: '2027.1' } } });
    expect(now.countedAnswers).toEqual(afterClose.countedAnswers);
  });

  it("lists an organisation's assessments with status, scope, period, model and the latest overall score", async () => {
    const unitId = (await http().post(`/v1/organisations/${organisationId}/units`).set(bearer(coordinator)).send({ name: 'Directie Onderzoek', kind: 'division' }).expect(201)).body.unitId;
    const openOne = (
      await http()
        .post('/v1/assessments')
        .set(bearer(coordinator))
        .send({ organisationId, scope: { kind: 'unit', unitId }, period: '2027', model: { key: 'datagedreven-overheid', version: '2027.1' }, layers: ['operational'] })
        .expect(201)
    ).body.assessmentId;
    const [closing, recalculated] = await scoreEvents();
    // The list reads the assessments read model, which the worker keeps.
    const listed = await eventually(async () => {
      const body = (await http().get(`/v1/organisations/${organisationId}/assessments`).set(bearer(auditor)).expect(200)).body;
      expect(body).toHaveLength(2);
      return body;
    });
    expect(listed).toEqual([
      {
        assessmentId: openOne,
        organisationId,
        status: 'open',
        scopeKind: 'unit',
        period: '2027',
        model: { key: 'datagedreven-overheid', version: '2027.1' },
        openedAt: expect.any(String),
        closedAt: null,
        latestScore: null,
      },
      {
        assessmentId,
        organisationId,
        status: 'closed',
        scopeKind: 'organisation',
        period: '2026',
        model: { key: 'datagedreven-overheid', version: '2026.1' },
        openedAt: (await timeline())[0].recordedAt,
        closedAt: (await timeline()).find((e) => e.type === 'AssessmentClosed')!.recordedAt,
        latestScore: { version: recalculated.version, type: 'ScoreRecalculated', modelVersion: '2027.1', overall: recalculated.overall.score, stage: recalculated.overall.stage },
      },
    ]);
    expect(closing.version).toBeLessThan(recalculated.version);
    expect((await http().get(`/v1/organisations/${organisationId}/assessments`).set(bearer(coordinator)).expect(200)).body).toEqual(listed);
    expect((await http().get(`/v1/organisations/${organisationId}/assessments`).set(bearer(admin)).expect(200)).body).toEqual(listed);

    // Only those roles, and only for their own organisation.
    const reader = await mintLocalToken(SECRET, { subject: 'reader', roles: ['benchmark-reader', 'respondent'], organisations: [organisationId] });
    await http().get(`/v1/organisations/${organisationId}/assessments`).set(bearer(reader)).expect(403);
    await http().get(`/v1/organisations/${organisationId}/assessments`).set(bearer(respondents.strategic1.token)).expect(403);
    const otherOrganisation = (await http().post('/v1/organisations').set(bearer(admin)).send({ name: 'Gemeente Elders', organisationType: 'municipality', sizeBand: 'small' }).expect(201)).body.organisationId;
    const foreign = await mintLocalToken(SECRET, { subject: 'auditor-elders', roles: ['auditor', 'coordinator'], organisations: [otherOrganisation] });
    await http().get(`/v1/organisations/${organisationId}/assessments`).set(bearer(foreign)).expect(403);
    expect((await http().get(`/v1/organisations/${otherOrganisation}/assessments`).set(bearer(foreign)).expect(200)).body).toEqual([]);
    expect((await http().get(`/v1/organisations/${randomUUID()}/assessments`).set(bearer(admin)).expect(404)).body.detail).toMatch(/^organisation .* was not found$/);
    expect((await http().get('/v1/organisations/NOT_AN_ID/assessments').set(bearer(admin)).expect(400)).body.detail).toMatch(/^organisationId: /);
  });

  it('refuses answers through an invitation for another layer than the one the respondent is invited on', async () => {
    const other = (
      await http()
        .post('/v1/assessments')
        .set(bearer(coordinator))
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2027-Q1', model: { key: 'datagedreven-overheid', version: '2027.1' }, layers: ['tactical', 'operational'] })
        .expect(201)
    ).body.assessmentId;
    // Invited to the assessment on the tactical layer, but handed a token for the operational layer.
    const mismatched = await respondentFor(other, 'tactical', 'operational');
    const before = (await timeline(other)).length;
    const refused = await http().put(`/v1/assessments/${other}/answers/F01-Q1`).set(bearer(mismatched.token)).send({ level: 4 }).expect(403);
    expect(refused.body.detail).toBe('this invitation is for the operational layer; the respondent is invited to this assessment on the tactical layer');
    expect((await http().post(`/v1/assessments/${other}/submit`).set(bearer(mismatched.token)).expect(403)).body.detail).toBe(refused.body.detail);
    expect((await timeline(other)).length).toBe(before);

    // A token for the layer the respondent is invited on records as before.
    const { token } = (await http().post(`/v1/organisations/${organisationId}/respondents/${mismatched.respondentId}/invitations`).set(bearer(coordinator)).send({ assessmentId: other, layer: 'tactical' }).expect(201)).body;
    await answer({ token }, 'F01-Q1', { level: 4 }, other);
    const answers = (await http().get(`/v1/assessments/${other}`).set(bearer(auditor)).expect(200)).body.countedAnswers;
    expect(answers).toEqual([expect.objectContaining({ respondentId: mismatched.respondentId, layer: 'tactical', questionId: 'F01-Q1', answer: { level: 4 } })]);
  });

  it('documents the responses of the new routes in the OpenAPI', async () => {
    const document = (await http().get('/v1/openapi.json').expect(200)).body;
    const okSchema = (path: string) => document.paths[path].get.responses['200'].content['application/json'].schema;
    expect(okSchema('/assessments/{assessmentId}/score-events')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/ScoreEventView' } });
    expect(okSchema('/assessments/{assessmentId}/events')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/TimelineEventView' } });
    expect(okSchema('/organisations/{organisationId}/assessments')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/OrganisationAssessmentView' } });
    expect(Object.keys(document.components.schemas.ScoreEventView.properties)).toEqual(
      expect.arrayContaining(['version', 'eventId', 'hash', 'type', 'recordedAt', 'algorithm', 'model', 'recalculationId', 'cause', 'overall']),
    );
    expect(Object.keys(document.components.schemas.TimelineEventView.properties)).toEqual(expect.arrayContaining(['eventId', 'hash', 'previousHash', 'position', 'version', 'actor', 'correlationId', 'reason']));
    for (const [method, path] of [
      ['get', '/assessments/{assessmentId}/scores'],
      ['get', '/assessments/{assessmentId}/scores/explain'],
      ['post', '/assessments/{assessmentId}/verify'],
    ]) {
      expect(document.paths[path][method].parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'scoreEvent', in: 'query', required: false })]));
    }
  });
});
